package importer

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// sample is a value of every field of t, to depth 4: what a template that
// sets every property would hold.
func sample(t reflect.Type, depth int) any {
	switch t.Kind() {
	case reflect.Pointer:
		return sample(t.Elem(), depth)
	case reflect.String:
		return "x"
	case reflect.Int, reflect.Int64:
		return 1
	case reflect.Float64:
		return 1.5
	case reflect.Bool:
		return true
	case reflect.Slice:
		if depth > 3 {
			return []any{}
		}
		return []any{sample(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"k": sample(t.Elem(), depth+1)}
	case reflect.Interface:
		return map[string]any{"a": []any{1, "b"}}
	case reflect.Struct:
		m := map[string]any{}
		if depth > 3 {
			return m
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				// union: take the first alternative
				return sample(f.Type, depth)
			}
			m[name] = sample(f.Type, depth+1)
		}
		return m
	}
	return "x"
}

// TestEveryGoformationType imports one resource of every type goformation
// knows, every property set (down to four levels): each must come back
// exactly, typed wherever goformation's struct can hold it. Compiled and
// rendered once by hand (go vet, formwork render, formwork diff: no change);
// here the in-memory round trip that Import proves.
func TestEveryGoformationType(t *testing.T) {
	if testing.Short() {
		t.Skip("imports about 1,300 resources: skipped with -short")
	}
	all := cloudformation.AllResources()
	var names []string
	for n := range all {
		if strings.Contains(n, "::") && n != "AWS::CloudFormation::CustomResource" { // Globals sections; untyped on purpose
			names = append(names, n)
		}
	}
	sort.Strings(names)
	// in templates of at most 400 resources: CloudFormation's limit is 500
	var untyped, size, overrides int
	for start := 0; start < len(names); start += 400 {
		resources := map[string]any{}
		for i, n := range names[start:min(start+400, len(names))] {
			resources[fmt.Sprintf("R%d", start+i)] = map[string]any{"Type": n, "Properties": sample(reflect.TypeOf(all[n]).Elem(), 0)}
		}
		// SAM's types are CloudFormation's only under SAM's transform
		data, err := json.Marshal(map[string]any{"Transform": "AWS::Serverless-2016-10-31", "Resources": resources})
		if err != nil {
			t.Fatal(err)
		}
		out, err := Import("every.json", "every", data, Options{Rules: templates.EngineRules()})
		if err != nil {
			t.Fatal(err)
		}
		untyped += strings.Count(string(out), "templates.Untyped{")
		size += len(out)
		overrides += strings.Count(string(out), "t.Override(")
	}
	if untyped > 0 {
		t.Errorf("%d resources untyped, want every one typed", untyped)
	}
	t.Logf("%d types, %d bytes of Go, %d overrides", len(names), size, overrides)
}
