package blocks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
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
			Code: InlineCodeSub(source)})
	}
}

func TestInlineCodeOverLimitIsRefused(t *testing.T) {
	err := templatestest.RenderError(rules.All(), inlineTestStack(strings.Repeat("x", InlineCodeLimit+1), nil))
	templatestest.WantFinding(t, err, "test: Inline: Properties.Code.ZipFile: inline code can reach 4097 characters", "Lambda accepts 4096: shorten it or deploy it from S3")
}

// The limit holds after substitution: each parameter counts at its longest.
func TestInlineCodeCountsParametersAtMaxLength(t *testing.T) {
	source := strings.Repeat("x", InlineCodeLimit-100) + "${Name}"
	long := map[string]cloudformation.Parameter{"Name": {Type: "String", MaxLength: cloudformation.Int(200)}}
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), inlineTestStack(source, long)), "inline code can reach 4196 characters")
	short := map[string]cloudformation.Parameter{"Name": {Type: "String", MaxLength: cloudformation.Int(50), AllowedPattern: cloudformation.String(SafeTextPattern)}}
	if err := templatestest.RenderError(rules.All(), inlineTestStack(source, short)); err != nil {
		t.Fatalf("MaxLength 50 fits: %v", err)
	}
}

func TestInlineCodeParameterWithoutBoundIsRefused(t *testing.T) {
	params := map[string]cloudformation.Parameter{"Name": {Type: "String"}}
	err := templatestest.RenderError(rules.All(), inlineTestStack("print('${Name}')", params))
	templatestest.WantFinding(t, err, "test: Inline: Properties.Code.ZipFile: inline code uses ${Name}, whose length has no bound: give parameter Name a MaxLength")
}

func TestInlineCodeLiteralDollarBraceMustBeEscaped(t *testing.T) {
	err := templatestest.RenderError(rules.All(), inlineTestStack("print('${not a variable}')", nil))
	templatestest.WantFinding(t, err, "test: Inline: Properties.Code.ZipFile: ", "write ${! for a literal ${")
	if err := templatestest.RenderError(rules.All(), inlineTestStack("print('${!Name}')", nil)); err != nil {
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

// InlineCode deploys the source as written; InlineCodeSub runs it through
// !Sub. The caller chooses, so code that substitutes nothing carries no
// !Sub (cfn-lint W1020).
func TestInlineCodeSubIsTheCallersChoice(t *testing.T) {
	for _, c := range []struct {
		code *lambda.Function_Code
		want string
	}{
		{InlineCode("print('hi')\n"), "      Code:\n        ZipFile: |\n          print('hi')\n"},
		{InlineCodeSub("print('${AWS::Region}')\n"), "      Code:\n        ZipFile: !Sub |\n          print('${AWS::Region}')\n"},
	} {
		out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
			DeclareFunction(t, Function{ID: "Fn", Runtime: "python3.13", Handler: "index.handler", Code: c.code})
		})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("want\n%s\nin\n%s", c.want, out)
		}
	}
}

func TestPlainInlineCodeWithParameterIsRefused(t *testing.T) {
	build := func(source string) func(t *templates.Template) {
		return func(t *templates.Template) {
			t.Parameter("TableName", cloudformation.Parameter{Type: "String", MaxLength: cloudformation.Int(255)})
			DeclareFunction(t, Function{ID: "Fn", Runtime: "nodejs22.x", Handler: "index.handler", Code: InlineCode(source)})
		}
	}
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), build("const t = '${TableName}';")),
		"test: Fn: Properties.Code.ZipFile: inline code holds ${TableName} but is not run through !Sub, so the function sees the text ${TableName}: deploy it with blocks.InlineCodeSub, or pass TableName in Environment")
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), build("region = '${AWS::Region}'")),
		"test: Fn: Properties.Code.ZipFile: inline code holds ${AWS::Region} but is not run through !Sub")
	// A JavaScript template literal is the code's own.
	if err := templatestest.RenderError(rules.All(), build("const msg = `order ${id} stored`;")); err != nil {
		t.Fatalf("template literal refused: %v", err)
	}
}

func TestFunctionOptions(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		DeclareFunction(t, Function{ID: "Fn", Runtime: "provided.al2023", Handler: "bootstrap", Arm64: true,
			Code: FromS3("artifacts", "fn.zip", ""), MemorySize: 512, Timeout: 20, ReservedConcurrency: 5,
			LogRetentionDays: 90, Environment: map[string]string{"MODE": "strict"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"RetentionInDays: 90\n", "ReservedConcurrentExecutions: 5\n", "MemorySize: 512\n",
		"Timeout: 20\n", "- arm64\n", "MODE: strict\n", "S3Bucket: artifacts\n", "S3Key: fn.zip\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered function lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "S3ObjectVersion") {
		t.Errorf("no version given, yet S3ObjectVersion is set:\n%s", out)
	}
}

func TestFunctionDefaults(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		DeclareFunction(t, Function{ID: "Fn", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n")})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "RetentionInDays: 30\n") {
		t.Errorf("default retention is not 30 days:\n%s", out)
	}
	for _, absent := range []string{"ReservedConcurrentExecutions", "Architectures", "MemorySize", "Timeout", "Environment"} {
		if strings.Contains(out, absent) {
			t.Errorf("%s set without the option:\n%s", absent, out)
		}
	}
}

func TestLogRetentionMustBeACloudWatchPeriod(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		DeclareFunction(t, Function{ID: "Fn", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n"), LogRetentionDays: 45})
	})
	templatestest.WantFinding(t, err, "test: FnLogs: Properties.RetentionInDays: CloudWatch Logs keeps events 1, 3, 5, 7, 14, 30, 60, 90, ... or 3653 days, not 45: pick one of blocks.RetentionPeriods")
}
