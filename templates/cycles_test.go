package templates

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
)

func cycleTree(t *testing.T, build func(tmpl *Template)) *Map {
	t.Helper()
	tmpl := New("cycles", "test")
	build(tmpl)
	tree, err := tmpl.Tree()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestDependencyCycles(t *testing.T) {
	queue := func(props sqs.Queue) *sqs.Queue { return &props }
	cases := []struct {
		name  string
		build func(tmpl *Template)
		want  string // "" when there is no circle
	}{
		{"queue and dead-letter queue naming each other", func(tmpl *Template) {
			tmpl.Resource("Parked", queue(sqs.Queue{RedriveAllowPolicy: map[string]any{"sourceQueueArns": []string{cloudformation.GetAtt("Work", "Arn")}}}), "")
			tmpl.Resource("Work", queue(sqs.Queue{RedrivePolicy: map[string]any{"deadLetterTargetArn": cloudformation.GetAtt("Parked", "Arn")}}), "")
		}, "cycles: Parked: resources depend on each other in a circle, Parked -> Work -> Parked, which CloudFormation refuses: " +
			"break it by naming one of them without Ref/GetAtt (a constructed ARN or name) or by dropping the property that closes it"},
		{"through a Sub variable and DependsOn", func(tmpl *Template) {
			tmpl.Resource("A", queue(sqs.Queue{QueueName: cloudformation.String(cloudformation.Sub("${B.QueueName}-a"))}), "")
			tmpl.Resource("B", queue(sqs.Queue{AWSCloudFormationDependsOn: []string{"C"}}), "")
			tmpl.Resource("C", queue(sqs.Queue{QueueName: cloudformation.String(cloudformation.Ref("A"))}), "")
		}, "cycles: A: resources depend on each other in a circle, A -> B -> C -> A"},
		{"one way only", func(tmpl *Template) {
			tmpl.Resource("Parked", queue(sqs.Queue{}), "")
			tmpl.Resource("Work", queue(sqs.Queue{RedrivePolicy: map[string]any{"deadLetterTargetArn": cloudformation.GetAtt("Parked", "Arn")}}), "")
		}, ""},
		{"a Sub's own variable is not a resource", func(tmpl *Template) {
			tmpl.Resource("A", queue(sqs.Queue{QueueName: cloudformation.String(cloudformation.SubVars("${A}-x", map[string]any{"A": "literal"}))}), "")
		}, ""},
	}
	for _, c := range cases {
		got := checkDependencyCycles("cycles", cycleTree(t, c.build))
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: unexpected %v", c.name, got)
		case c.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0].String(), c.want)):
			t.Errorf("%s: got %v, want one finding starting %q", c.name, got, c.want)
		}
	}
}
