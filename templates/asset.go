package templates

import (
	"fmt"
	"slices"
)

// Asset is a file a stack needs in S3 before it is deployed, such as a
// Lambda function's code. The CLI makes the file from Source, names the
// object by the SHA-256 of its content, uploads it when it is missing, and
// passes its bucket and key as the values of two of the template's
// parameters. The template holds only those parameters, so its YAML does
// not change when the code does.
type Asset struct {
	// Name identifies the asset in progress lines and errors: the logical id
	// of the resource that uses it.
	Name   string
	Source AssetSource
	// BucketParameter and KeyParameter name the template's String
	// parameters that receive the object's bucket and key.
	BucketParameter, KeyParameter string
}

// SourceKind is what an asset's Source path holds.
type SourceKind int

const (
	// GoMainKind is a Go main package, built for linux/arm64 into a single
	// executable named bootstrap (Lambda's provided.al2023 runtime).
	GoMainKind SourceKind = iota + 1
	// DirKind is a directory whose files are zipped as they are.
	DirKind
	// ZipKind is a zip file uploaded as it is.
	ZipKind
)

func (k SourceKind) String() string {
	switch k {
	case GoMainKind:
		return "go"
	case DirKind:
		return "dir"
	case ZipKind:
		return "zip"
	}
	return fmt.Sprintf("SourceKind(%d)", int(k))
}

// AssetSource is what an asset is made from. Paths are relative to the
// directory formwork runs in (the repository root, where golden/ is).
type AssetSource struct {
	Kind SourceKind
	Path string
}

// GoMain is a Go main package: an import path
// ("github.com/you/infra/jobs/cleanup") or a directory ("./jobs/cleanup"),
// as `go build` takes it.
func GoMain(pkg string) AssetSource { return AssetSource{GoMainKind, pkg} }

// Dir is a directory zipped file by file.
func Dir(path string) AssetSource { return AssetSource{DirKind, path} }

// Zip is a zip file built elsewhere.
func Zip(path string) AssetSource { return AssetSource{ZipKind, path} }

func (s AssetSource) String() string { return s.Kind.String() + " " + s.Path }

// Asset declares an asset. Its parameters may be declared before or after
// it; the template fails to render if they are not declared at all.
func (t *Template) Asset(a Asset) {
	t.assets = append(t.assets, a)
}

// Assets returns the declared assets in declaration order.
func (t *Template) Assets() []Asset { return slices.Clone(t.assets) }

// checkAssets refuses assets the CLI could not package or wire: no name, a
// name used twice, no source, or parameters the template does not declare
// as Strings or that another asset already fills.
func (t *Template) checkAssets() []error {
	var errs []error
	names, params := map[string]bool{}, map[string]string{}
	fail := func(a Asset, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: asset %s: %s", t.Name, a.Name, fmt.Sprintf(format, args...)))
	}
	for _, a := range t.assets {
		if !isLogicalID(a.Name) {
			fail(a, "the name must be letters and digits, like a logical id")
		}
		if names[a.Name] {
			fail(a, "declared twice")
		}
		names[a.Name] = true
		if a.Source.Kind < GoMainKind || a.Source.Kind > ZipKind || a.Source.Path == "" {
			fail(a, "no source: use templates.GoMain, Dir or Zip with a path")
		}
		for _, p := range []string{a.BucketParameter, a.KeyParameter} {
			if other, taken := params[p]; taken {
				fail(a, "parameter %q already receives asset %s", p, other)
				continue
			}
			params[p] = a.Name
			if msg := t.stringParameter(p); msg != "" {
				fail(a, "%s", msg)
			}
		}
	}
	return errs
}

func (t *Template) stringParameter(name string) string {
	if name == "" {
		return "BucketParameter and KeyParameter must both name a parameter"
	}
	p, ok := t.parameters.Get(name)
	if !ok {
		return fmt.Sprintf("parameter %q is not declared: declare it with t.Parameter", name)
	}
	if StringAt(p, "Type") != "String" {
		return fmt.Sprintf("parameter %q must be of Type String to receive a bucket or key", name)
	}
	return ""
}
