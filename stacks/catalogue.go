// Package stacks is formwork's catalogue: eight real stacks built from the
// blocks in stacks/blocks, each a type whose fields are the options that
// change its shape and whose Stack method names it. Nothing registers
// itself: a team's repository takes a stack only by asking for it,
//
//	commands.Main(stacks.HexoSite{BuildCommands: []string{"npm run build"}}.Stack())
//
// and formwork's own binary serves Catalogue().
package stacks

import "github.com/formwork-dev/formwork/templates"

// Catalogue is every stack of the catalogue with its default options,
// sorted by name: what formwork's own CLI and golden/ hold.
func Catalogue() []templates.Stack {
	return []templates.Stack{
		AccessPointMonitor{}.Stack(),
		DefaultCodebuildCron().Stack(),
		HexoSite{}.Stack(),
		DefaultOrderService().Stack(),
		DefaultScheduledBinary().Stack(),
		DefaultServerlessAppPipeline().Stack(),
		DefaultServiceDiscovery().Stack(),
		DefaultTemplatesPipeline().Stack(),
	}
}
