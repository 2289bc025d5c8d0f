package templates

import "fmt"

// Fail records a problem a building block found while declaring a resource,
// e.g. an invalid option. Render then fails with
// "stack: LogicalId: Path: message"; path may be empty.
func (t *Template) Fail(id, path, message string) {
	f := Finding{Stack: t.Name, LogicalID: id, Path: path, Message: message}
	t.errs = append(t.errs, fmt.Errorf("%s", f.String()))
}
