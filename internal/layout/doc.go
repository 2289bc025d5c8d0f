// Package layout is formwork's package graph, as policy: which package may
// import which. Its test lists every package of the module with the
// packages and modules it may import (the way Go's own go/build/deps_test.go
// states the standard library's policy), fails on any import the list does
// not name, and checks that "Where things live" (formwork help development) says the
// same. Data flows one way: stack definition, goformation template, the
// engine, bytes; nothing downstream reaches back upstream.
package layout
