package templates

import (
	"strings"
	"testing"
)

// Each case is a string value and the exact line the engine must write.
func TestScalarQuoting(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		// YAML 1.1 booleans and null, in any case.
		{"yes", "yes", `K: "yes"`},
		{"No", "No", `K: "No"`},
		{"ON", "ON", `K: "ON"`},
		{"off", "off", `K: "off"`},
		{"y", "y", `K: "y"`},
		{"N", "N", `K: "N"`},
		{"true", "true", `K: "true"`},
		{"False", "False", `K: "False"`},
		{"null", "null", `K: "null"`},
		{"NULL", "NULL", `K: "NULL"`},
		{"tilde", "~", `K: "~"`},
		{"empty", "", `K: ""`},
		// Numbers in every base and notation.
		{"decimal", "42", `K: "42"`},
		{"negative", "-7", `K: "-7"`},
		{"octal 1.1", "0755", `K: "0755"`},
		{"octal 1.2", "0o755", `K: "0o755"`},
		{"hex", "0x1F", `K: "0x1F"`},
		{"binary", "0b101", `K: "0b101"`},
		{"underscore", "1_000", `K: "1_000"`},
		{"exponent", "1e3", `K: "1e3"`},
		{"float", "3.14", `K: "3.14"`},
		{"leading dot", ".5", `K: ".5"`},
		{"inf", ".inf", `K: ".inf"`},
		{"nan", ".NaN", `K: ".NaN"`},
		{"base 60", "12:30", `K: "12:30"`},
		{"base 60 long", "1:20:30", `K: "1:20:30"`},
		// Dates and timestamps.
		{"date", "2024-01-01", `K: "2024-01-01"`},
		{"policy version", "2012-10-17", `K: "2012-10-17"`},
		{"timestamp", "2024-01-01T10:00:00Z", `K: "2024-01-01T10:00:00Z"`},
		// Leading indicators.
		{"alias", "*foo", `K: "*foo"`},
		{"anchor", "&foo", `K: "&foo"`},
		{"tag", "!foo", `K: "!foo"`},
		{"directive", "%foo", `K: "%foo"`},
		{"reserved at", "@foo", `K: "@foo"`},
		{"reserved backtick", "`foo`", "K: \"`foo`\""},
		{"flow seq", "[a]", `K: "[a]"`},
		{"flow map", "{a}", `K: "{a}"`},
		{"comment", "#foo", `K: "#foo"`},
		{"literal indicator", "|foo", `K: "|foo"`},
		{"folded indicator", ">foo", `K: ">foo"`},
		{"single quote", "'foo'", `K: "'foo'"`},
		{"double quote", `"foo"`, `K: "\"foo\""`},
		{"dash space", "- foo", `K: "- foo"`},
		{"lone dash", "-", `K: "-"`},
		{"question space", "? foo", `K: "? foo"`},
		{"merge key", "<<", `K: "<<"`},
		// Inside the string.
		{"colon space", "a: b", `K: "a: b"`},
		{"trailing colon", "a:", `K: "a:"`},
		{"space hash", "a #b", `K: "a #b"`},
		{"leading space", " a", `K: " a"`},
		{"trailing space", "a ", `K: "a "`},
		{"tab", "a\tb", `K: "a\tb"`},
		// Plain: nothing to misread.
		{"word", "hello", `K: hello`},
		{"arn", "arn:aws:s3:::bucket/*", `K: arn:aws:s3:::bucket/*`},
		{"url", "https://example.com/a?b=c#d", `K: https://example.com/a?b=c#d`},
		{"rate", "rate(5 minutes)", `K: rate(5 minutes)`},
		{"version triple", "1.2.3", `K: 1.2.3`},
		{"dash word", "--delete", `K: --delete`},
		{"colon no space", "a:b", `K: a:b`},
		{"hash no space", "a#b", `K: a#b`},
		{"yes inside", "yesterday", `K: yesterday`},
		{"digits and letters", "t3.micro", `K: t3.micro`},
		{"cron", "cron(0 12 * * ? *)", `K: cron(0 12 * * ? *)`},
		{"unicode", "héllo ☃", `K: héllo ☃`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.TrimSuffix(mustYAML(t, mapOf("K", c.in)), "\n")
			if got != c.want {
				t.Errorf("value %q:\n got %s\nwant %s", c.in, got, c.want)
			}
			if back := yamlToPlain(t, []byte(got)).(map[string]any)["K"]; back != c.in {
				t.Errorf("value %q reads back as %#v", c.in, back)
			}
		})
	}
}

func TestKeysAreQuotedLikeValues(t *testing.T) {
	got := mustYAML(t, mapOf("yes", "a", "0755", "b", "plain", "c"))
	want := "\"yes\": a\n\n\"0755\": b\n\nplain: c\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
