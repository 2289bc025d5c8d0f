package blocks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/templatestest"
)

func mustCompile(t *testing.T, pattern string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return re
}

func inlineTestStack(source string, params map[string]cloudformation.Parameter) func(t *templates.Template) {
	return func(t *templates.Template) {
		for _, name := range []string{"Name", "Count"} {
			if p, ok := params[name]; ok {
				t.Parameter(name, p)
			}
		}
		DeclareFunction(t, Function{ID: "Inline", Description: "test", Runtime: "python3.13", Handler: "index.handler",
			Code: InlineCode(source)})
	}
}

func TestInlineCodeOverLimitIsRefused(t *testing.T) {
	err := templatestest.RenderError(inlineTestStack(strings.Repeat("x", InlineCodeLimit+1), nil))
	templatestest.WantFinding(t, err, "test: Inline: Properties.Code.ZipFile: inline code can reach 4097 characters", "Lambda accepts 4096: shorten it or deploy it from S3")
}

// The limit holds after substitution: each parameter counts at its longest.
func TestInlineCodeCountsParametersAtMaxLength(t *testing.T) {
	source := strings.Repeat("x", InlineCodeLimit-100) + "${Name}"
	long := map[string]cloudformation.Parameter{"Name": {Type: "String", MaxLength: cloudformation.Int(200)}}
	templatestest.WantFinding(t, templatestest.RenderError(inlineTestStack(source, long)), "inline code can reach 4196 characters")
	short := map[string]cloudformation.Parameter{"Name": {Type: "String", MaxLength: cloudformation.Int(50), AllowedPattern: cloudformation.String(SafeTextPattern)}}
	if err := templatestest.RenderError(inlineTestStack(source, short)); err != nil {
		t.Fatalf("MaxLength 50 fits: %v", err)
	}
}

func TestInlineCodeParameterWithoutBoundIsRefused(t *testing.T) {
	params := map[string]cloudformation.Parameter{"Name": {Type: "String"}}
	err := templatestest.RenderError(inlineTestStack("print('${Name}')", params))
	templatestest.WantFinding(t, err, "test: Inline: Properties.Code.ZipFile: inline code uses ${Name}, whose length has no bound: give parameter Name a MaxLength")
}

func TestInlineCodeLiteralDollarBraceMustBeEscaped(t *testing.T) {
	err := templatestest.RenderError(inlineTestStack("print('${not a variable}')", nil))
	templatestest.WantFinding(t, err, "test: Inline: Properties.Code.ZipFile: ", "write ${! for a literal ${")
	if err := templatestest.RenderError(inlineTestStack("print('${!Name}')", nil)); err != nil {
		t.Fatalf("escaped ${! is fine: %v", err)
	}
}

func TestFunctionRoleWritesOnlyItsOwnLogs(t *testing.T) {
	f := Function{ID: "Job", OnFailure: "Parked"}
	got := f.statements()
	if len(got) != 2 || got[0].Sid != "WriteOwnLogs" || got[0].Resource[0] != Arn("JobLogs") {
		t.Fatalf("statements = %+v, want own log group first", got)
	}
	if got[1].Action[0] != "sqs:SendMessage" || got[1].Resource[0] != Arn("Parked") {
		t.Fatalf("on-failure statement = %+v, want sqs:SendMessage on the queue only", got[1])
	}
}
