package templates

import (
	"reflect"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
)

func TestLiteralBlocks(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"clip", "a\nb\n", "K: |\n  a\n  b\n"},
		{"strip", "a\nb", "K: |-\n  a\n  b\n"},
		{"indented first line", "  a\nb\n", "K: |2\n    a\n  b\n"},
		{"code with quotes and dollars", "echo \"$(date)\" `id` '${X}'\n", "K: |\n  echo \"$(date)\" `id` '${X}'\n"},
		{"blank line inside", "a\n\nb\n", "K: |\n  a\n\n  b\n"},
		// Not literal blocks: the keep indicator, trailing spaces and
		// control characters fall back to double quotes.
		{"trailing blank lines", "a\n\n", `K: "a\n\n"` + "\n"},
		{"trailing space on a line", "a \nb\n", `K: "a \nb\n"` + "\n"},
		{"only newlines", "\n", `K: "\n"` + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := mustYAML(t, mapOf("K", c.in))
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
			if back := yamlToPlain(t, []byte(got)).(map[string]any)["K"]; back != c.in {
				t.Errorf("reads back as %q, want %q", back, c.in)
			}
		})
	}
}

func TestIntrinsicsShortForm(t *testing.T) {
	vars := mapOf("Name", Fn{FnRef, "Bucket"})
	cases := []struct {
		name string
		fn   Fn
		want string
	}{
		{"ref", Fn{FnRef, "Bucket"}, "K: !Ref Bucket\n"},
		{"getatt scalar", Fn{FnGetAtt, []any{"Cache", "ConfigurationEndpoint.Address"}}, "K: !GetAtt Cache.ConfigurationEndpoint.Address\n"},
		{"sub", Fn{FnSub, "arn:${AWS::Partition}:s3:::${Bucket}"}, "K: !Sub arn:${AWS::Partition}:s3:::${Bucket}\n"},
		{"sub literal", Fn{FnSub, "echo ${Bucket}\nls\n"}, "K: !Sub |\n  echo ${Bucket}\n  ls\n"},
		{"sub with variables", Fn{FnSub, []any{"${Name}-x", vars}}, "K: !Sub\n  - ${Name}-x\n  - Name: !Ref Bucket\n"},
		{"join", Fn{FnJoin, []any{",", []any{"a", Fn{FnRef, "B"}}}}, "K: !Join\n  - \",\"\n  - - a\n    - !Ref B\n"},
		{"select getazs", Fn{FnSelect, []any{json0, Fn{FnGetAZs, ""}}}, "K: !Select\n  - 0\n  - !GetAZs \"\"\n"},
		{"if", Fn{FnIf, []any{"IsProd", "a", Fn{FnRef, "AWS::NoValue"}}}, "K: !If\n  - IsProd\n  - a\n  - !Ref AWS::NoValue\n"},
		{"equals", Fn{FnEquals, []any{Fn{FnRef, "Env"}, "prod"}}, "K: !Equals\n  - !Ref Env\n  - prod\n"},
		{"import", Fn{FnImportValue, "shared-vpc"}, "K: !ImportValue shared-vpc\n"},
		// One tag per node: an intrinsic whose argument is an intrinsic is long form.
		{"base64 of sub", Fn{FnBase64, Fn{FnSub, "#!/bin/sh\necho ${Bucket}\n"}}, "K:\n  Fn::Base64: !Sub |\n    #!/bin/sh\n    echo ${Bucket}\n"},
		{"getazs of ref", Fn{FnGetAZs, Fn{FnRef, "AWS::Region"}}, "K:\n  Fn::GetAZs: !Ref AWS::Region\n"},
		{"import of sub", Fn{FnImportValue, Fn{FnSub, "${Env}-vpc"}}, "K:\n  Fn::ImportValue: !Sub ${Env}-vpc\n"},
		// No short form exists.
		{"length", Fn{FnLength, []any{"a"}}, "K:\n  Fn::Length:\n    - a\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := mustYAML(t, mapOf("K", c.fn)); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

var json0 = mustNumber("0")

func mustNumber(s string) any {
	v, err := decodeJSON([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

func TestGoformationIntrinsicsAreDecoded(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want any
	}{
		{"ref", cloudformation.Ref("X"), Fn{FnRef, "X"}},
		{"getatt", cloudformation.GetAtt("X", "Arn"), Fn{FnGetAtt, []any{"X", "Arn"}}},
		{"sub", cloudformation.Sub("${X}"), Fn{FnSub, "${X}"}},
		{"base64 sub", cloudformation.Base64(cloudformation.Sub("a")), Fn{FnBase64, Fn{FnSub, "a"}}},
		{"join", cloudformation.Join("-", []string{cloudformation.Ref("A"), "b"}), Fn{FnJoin, []any{"-", []any{Fn{FnRef, "A"}, "b"}}}},
		{"select", cloudformation.Select(1, []string{"a", "b"}), Fn{FnSelect, []any{mustNumber("1"), []any{"a", "b"}}}},
		{"import", cloudformation.ImportValue("x"), Fn{FnImportValue, "x"}},
		{"plain base64-looking text", "eyJub3QiOiAiaW50cmluc2ljIn0=", "eyJub3QiOiAiaW50cmluc2ljIn0="},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := fromGo(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %#v\nwant %#v", got, c.want)
			}
		})
	}
}

func TestSectionsAndBlankLines(t *testing.T) {
	got := mustYAML(t, mapOf(
		"Description", "d",
		"Resources", mapOf("A", mapOf("Type", "T"), "B", mapOf("Type", "T")),
	))
	want := "Description: d\n\nResources:\n  A:\n    Type: T\n\n  B:\n    Type: T\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestResourceCommentsAreWrittenAbove(t *testing.T) {
	tree := mapOf("Resources", mapOf("A", mapOf("Type", "T"), "B", mapOf("Type", "T")))
	out, err := encodeYAML(tree, map[string]string{"B": "why B exists"})
	if err != nil {
		t.Fatal(err)
	}
	want := "Resources:\n  A:\n    Type: T\n\n  # why B exists\n  B:\n    Type: T\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestNoTrailingSpaceAndOneTrailingNewline(t *testing.T) {
	out := mustYAML(t, mapOf("A", "x\ny\n", "B", []any{}, "C", NewMap()))
	for i, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line %d has trailing space: %q", i+1, line)
		}
	}
	if !strings.HasSuffix(out, "\n") || strings.HasSuffix(out, "\n\n") {
		t.Errorf("output must end in exactly one newline: %q", out)
	}
	if !strings.Contains(out, "B: []\n") || !strings.Contains(out, "C: {}\n") {
		t.Errorf("empty collections must be written [] and {}:\n%s", out)
	}
}
