package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// OutputRef declares an output holding !Ref of a resource.
func OutputRef(t *templates.Template, name, resource, description string) {
	t.Output(name, cloudformation.Output{Description: cloudformation.String(description), Value: cloudformation.Ref(resource)})
}
