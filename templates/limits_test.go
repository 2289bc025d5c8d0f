package templates

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
)

func TestSectionLimitsAllowTheMaximum(t *testing.T) {
	tpl := New("big", "")
	for i := range MaxResources {
		tpl.Resource(fmt.Sprintf("Topic%d", i), &sns.Topic{}, "")
	}
	for i := range MaxParameters {
		tpl.Parameter(fmt.Sprintf("P%d", i), cloudformation.Parameter{Type: "String", Default: "x"})
	}
	tree, err := tpl.Tree()
	if err != nil {
		t.Fatal(err)
	}
	if got := checkSectionLimits("big", tree); len(got) != 0 {
		t.Fatalf("exactly at the limits must pass, got %v", got)
	}
}

func TestSectionLimitsReportOneOver(t *testing.T) {
	tpl := New("big", "")
	for i := range MaxResources + 1 {
		tpl.Resource(fmt.Sprintf("Topic%d", i), &sns.Topic{}, "")
	}
	for i := range MaxOutputs + 1 {
		tpl.Output(fmt.Sprintf("O%d", i), cloudformation.Output{Value: "x"})
	}
	for i := range MaxMappings + 1 {
		tpl.Mapping(fmt.Sprintf("M%d", i), map[string]any{"a": map[string]any{"b": "c"}})
	}
	tree, err := tpl.Tree()
	if err != nil {
		t.Fatal(err)
	}
	got := Findings(checkSectionLimits("big", tree)).Error()
	want := "big: Resources: 501 resources, over CloudFormation's limit of 500: split the stack (e.g. a nested stack)\n" +
		"big: Outputs: 201 outputs, over CloudFormation's limit of 200: split the stack (e.g. a nested stack)\n" +
		"big: Mappings: 201 mappings, over CloudFormation's limit of 200: split the stack (e.g. a nested stack)"
	if got != want {
		t.Errorf("findings\n got %s\nwant %s", got, want)
	}
	if _, err := Render(tpl, YAML, EngineRules()); err == nil || !strings.Contains(err.Error(), "501 resources") {
		t.Errorf("Render must refuse a template over the limits, got %v", err)
	}
}

func TestCheckSize(t *testing.T) {
	cases := []struct {
		size          int
		errs, warns   int
		wantInMessage string
	}{
		{MaxDirectBodyBytes, 0, 0, ""},
		{MaxDirectBodyBytes + 1, 0, 1, "template body is 51,201 bytes, over the 51,200 that aws cloudformation deploy sends inline: deploy with --s3-bucket"},
		{MaxBodyBytes, 0, 1, "1,000,000 bytes"},
		{MaxBodyBytes + 1, 1, 0, "template body is 1,000,001 bytes, over CloudFormation's limit of 1,000,000"},
	}
	for _, c := range cases {
		errs, warns := CheckSize("s", bytes.Repeat([]byte("x"), c.size))
		if len(errs) != c.errs || len(warns) != c.warns {
			t.Errorf("size %d: got %d errors, %d warnings; want %d, %d", c.size, len(errs), len(warns), c.errs, c.warns)
			continue
		}
		all := append(errs, warns...).Error()
		if !strings.Contains(all, c.wantInMessage) {
			t.Errorf("size %d: message %q does not say %q", c.size, all, c.wantInMessage)
		}
	}
}

func TestCommas(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 51200: "51,200", 1000000: "1,000,000"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRenderRefusesABodyOverOneMegabyte(t *testing.T) {
	tp := New("huge", "")
	for i := 0; i < 200; i++ {
		tp.Output(fmt.Sprintf("Out%03d", i), cloudformation.Output{Value: strings.Repeat("x", 5100)})
	}
	_, err := Render(tp, YAML, EngineRules())
	if err == nil || !strings.Contains(err.Error(), "huge: template body is") || !strings.Contains(err.Error(), "over CloudFormation's limit of 1,000,000") {
		t.Errorf("got %v, want the 1 MB finding", err)
	}
}
