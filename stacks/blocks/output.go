package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// OutputRef is a stack output holding !Ref of a resource: its name, id or
// URL, depending on the resource type.
type OutputRef struct {
	// ID is the output's name.
	ID string
	// Resource is the logical id of the resource referred to.
	Resource string
	// Description says what the value is for.
	Description string
}

// Add declares the output in t.
func (o OutputRef) Add(t *templates.Template) {
	t.Output(o.ID, cloudformation.Output{Description: cloudformation.String(o.Description), Value: cloudformation.Ref(o.Resource)})
}
