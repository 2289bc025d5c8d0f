package cloud

import (
	"context"

	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
)

// Resources lists the logical ids of the resources the stack holds, every
// page of them.
func (c *Client) Resources(ctx context.Context, stack string) ([]string, error) {
	in := &cfn.ListStackResourcesInput{StackName: stack}
	var ids []string
	for {
		out, err := c.API.ListStackResources(ctx, in)
		if err != nil {
			return nil, c.failed("list the resources of stack "+stack, err)
		}
		for _, r := range out.StackResourceSummaries {
			ids = append(ids, r.LogicalResourceId)
		}
		if out.NextToken == "" {
			return ids, nil
		}
		in.NextToken = out.NextToken
	}
}
