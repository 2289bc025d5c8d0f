package templates

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	cfn "github.com/awslabs/goformation/v7/cloudformation/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
)

func getAttFindings(t *testing.T, build func(tpl *Template)) []Finding {
	t.Helper()
	tpl := New("demo", "GetAtt check")
	build(tpl)
	tree, err := tpl.Tree()
	if err != nil {
		t.Fatal(err)
	}
	return checkGetAttAttributes("demo", tree)
}

func TestGetAttKnownAttributesPass(t *testing.T) {
	got := getAttFindings(t, func(tpl *Template) {
		tpl.Resource("Site", &s3.Bucket{}, "")
		tpl.Output("Arn", cloudformation.Output{Value: cloudformation.GetAtt("Site", "Arn")})
		tpl.Output("Domain", cloudformation.Output{Value: cloudformation.Sub("https://${Site.RegionalDomainName}/${Suffix}")})
	})
	if len(got) != 0 {
		t.Fatalf("want no findings, got %v", got)
	}
}

func TestGetAttUnknownAttributeIsReported(t *testing.T) {
	got := getAttFindings(t, func(tpl *Template) {
		tpl.Resource("Site", &s3.Bucket{}, "")
		tpl.Output("Url", cloudformation.Output{Value: cloudformation.GetAtt("Site", "Url")})
	})
	if len(got) != 1 {
		t.Fatalf("want 1 finding, got %v", got)
	}
	want := `demo: Url: Value: !GetAtt Site.Url: AWS::S3::Bucket has no attribute "Url"; it has Arn,`
	if !strings.HasPrefix(got[0].String(), want) {
		t.Errorf("finding\n got %s\nwant prefix %s", got[0], want)
	}
}

func TestGetAttInSubIsChecked(t *testing.T) {
	got := getAttFindings(t, func(tpl *Template) {
		tpl.Resource("Site", &s3.Bucket{}, "")
		tpl.Resource("Topic", &sns.Topic{DisplayName: cloudformation.SubPtr("${Site.Name}")}, "")
	})
	if len(got) != 1 || got[0].LogicalID != "Topic" || got[0].Path != "Properties.DisplayName" ||
		!strings.Contains(got[0].Message, `!Sub variable ${Site.Name}: AWS::S3::Bucket has no attribute "Name"`) {
		t.Fatalf("want one finding on Topic: Properties.DisplayName, got %v", got)
	}
}

func TestGetAttSubLocalVariableIsNotAnAttribute(t *testing.T) {
	got := getAttFindings(t, func(tpl *Template) {
		tpl.Resource("Site", &s3.Bucket{}, "")
		tpl.Output("X", cloudformation.Output{Value: cloudformation.SubVars("${Site.Name}", map[string]any{"Site.Name": "literal"})})
	})
	if len(got) != 0 {
		t.Fatalf("a !Sub variable defined in its own map is not a GetAtt: %v", got)
	}
}

func TestGetAttUncheckableCasesAreSkipped(t *testing.T) {
	got := getAttFindings(t, func(tpl *Template) {
		tpl.Resource("Custom", &cloudformation.CustomResource{Type: "Custom::Thing", Properties: map[string]any{"ServiceToken": "arn"}}, "")
		tpl.Resource("Site", &s3.Bucket{}, "")
		tpl.Output("A", cloudformation.Output{Value: cloudformation.GetAtt("Custom", "Anything")})
		tpl.Output("B", cloudformation.Output{Value: cloudformation.GetAtt("Missing", "Arn")}) // checkReferences' job
	})
	if len(got) != 0 {
		t.Fatalf("want no findings for custom resources and undeclared resources, got %v", got)
	}
}

func TestGetAttNestedStackOutputsMatchPattern(t *testing.T) {
	got := getAttFindings(t, func(tpl *Template) {
		tpl.Resource("Child", &cfn.Stack{TemplateURL: "https://example.com/t.yaml"}, "")
		tpl.Output("A", cloudformation.Output{Value: cloudformation.GetAtt("Child", "Outputs.Endpoint")})
		tpl.Output("B", cloudformation.Output{Value: cloudformation.GetAtt("Child", "Endpoint")})
	})
	if len(got) != 1 || got[0].LogicalID != "B" {
		t.Fatalf("want only B reported (Outputs.X is valid for a nested stack), got %v", got)
	}
}

func TestGetAttRunsInRender(t *testing.T) {
	tpl := New("demo", "")
	tpl.Resource("Site", &s3.Bucket{}, "")
	tpl.Output("Url", cloudformation.Output{Value: cloudformation.GetAtt("Site", "Url")})
	_, err := Render(tpl, YAML, EngineRules())
	if err == nil || !strings.Contains(err.Error(), "has no attribute \"Url\"") {
		t.Fatalf("Render must refuse an unknown attribute, got %v", err)
	}
}

// TestRegistryDataSorted guards lookupRegistry's binary search: the
// generated table must stay sorted by type name, without duplicates.
func TestRegistryDataSorted(t *testing.T) {
	for i := 1; i < len(registryData); i++ {
		if registryData[i-1].typeName >= registryData[i].typeName {
			t.Fatalf("registryData not sorted at %d: %q then %q", i, registryData[i-1].typeName, registryData[i].typeName)
		}
	}
	for _, e := range registryData {
		if got, ok := lookupRegistry(e.typeName); !ok || got != e {
			t.Fatalf("lookupRegistry(%q) = %v, %v", e.typeName, got, ok)
		}
	}
	if _, ok := lookupRegistry("AWS::No::Such"); ok {
		t.Error("lookupRegistry found a type that does not exist")
	}
}
