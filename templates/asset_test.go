package templates

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
)

func assetTemplate(assets ...Asset) *Template {
	t := New("code-stack", "assets")
	t.Parameter("CodeBucket", cloudformation.Parameter{Type: "String"})
	t.Parameter("CodeKey", cloudformation.Parameter{Type: "String"})
	t.Parameter("Other", cloudformation.Parameter{Type: "String"})
	t.Parameter("Count", cloudformation.Parameter{Type: "Number"})
	for _, a := range assets {
		t.Asset(a)
	}
	return t
}

func TestAssetsAreListedAndNotRendered(t *testing.T) {
	job := Asset{Name: "Job", Source: GoMain("./jobs/cleanup"), BucketParameter: "CodeBucket", KeyParameter: "CodeKey"}
	plain := assetTemplate()
	with := assetTemplate(job)
	a, err := Render(plain, YAML, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(with, YAML, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("declaring an asset changed the template:\n%s", b)
	}
	if got := with.Assets(); len(got) != 1 || got[0] != job {
		t.Errorf("Assets() = %+v", got)
	}
	if s := job.Source.String(); s != "go ./jobs/cleanup" {
		t.Errorf("source %q", s)
	}
}

func TestAssetDeclarationErrors(t *testing.T) {
	good := Asset{Name: "Job", Source: Dir("code"), BucketParameter: "CodeBucket", KeyParameter: "CodeKey"}
	with := func(change func(*Asset)) Asset {
		a := good
		change(&a)
		return a
	}
	cases := []struct {
		name   string
		assets []Asset
		want   string
	}{
		{"no name", []Asset{with(func(a *Asset) { a.Name = "" })}, "asset : the name must be letters and digits"},
		{"a dash in the name", []Asset{with(func(a *Asset) { a.Name = "my-job" })}, "asset my-job: the name must be letters and digits"},
		{"twice", []Asset{good, with(func(a *Asset) { a.BucketParameter, a.KeyParameter = "Other", "Other" })}, "asset Job: declared twice"},
		{"no source", []Asset{with(func(a *Asset) { a.Source = AssetSource{} })}, "asset Job: no source: use templates.GoMain, Dir or Zip with a path"},
		{"no path", []Asset{with(func(a *Asset) { a.Source = Zip("") })}, "asset Job: no source"},
		{"undeclared parameter", []Asset{with(func(a *Asset) { a.KeyParameter = "Missing" })}, `asset Job: parameter "Missing" is not declared: declare it with t.Parameter`},
		{"a Number parameter", []Asset{with(func(a *Asset) { a.KeyParameter = "Count" })}, `asset Job: parameter "Count" must be of Type String`},
		{"no bucket parameter", []Asset{with(func(a *Asset) { a.BucketParameter = "" })}, "asset Job: BucketParameter and KeyParameter must both name a parameter"},
		{"a shared key", []Asset{good, with(func(a *Asset) { a.Name, a.BucketParameter = "Other", "Other" })}, `asset Other: parameter "CodeKey" already receives asset Job`},
	}
	for _, c := range cases {
		_, err := Render(assetTemplate(c.assets...), YAML, EngineRules())
		if err == nil || !strings.Contains(err.Error(), "code-stack: "+c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}
