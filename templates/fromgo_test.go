package templates

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
)

// fill sets every field of v it can reach, to depth levels of nesting:
// strings, numbers and booleans, one-element slices and maps, allocated
// pointers, and an intrinsic in every other string.
func fill(v reflect.Value, depth int, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		if *n%2 == 0 {
			v.SetString(cloudformation.Ref("Thing"))
		} else {
			v.SetString("value")
		}
	case reflect.Bool:
		v.SetBool(*n%3 != 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n % 4))
	case reflect.Float64:
		v.SetFloat(float64(*n) / 8)
	case reflect.Pointer:
		if depth > 0 {
			p := reflect.New(v.Type().Elem())
			fill(p.Elem(), depth-1, n)
			v.Set(p)
		}
	case reflect.Slice:
		if depth > 0 {
			s := reflect.MakeSlice(v.Type(), 1, 1)
			fill(s.Index(0), depth-1, n)
			v.Set(s)
		}
	case reflect.Map:
		if depth > 0 && v.Type().Key().Kind() == reflect.String {
			m := reflect.MakeMap(v.Type())
			for _, k := range []string{"b", "a"} {
				e := reflect.New(v.Type().Elem()).Elem()
				fill(e, depth-1, n)
				m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), e)
			}
			v.Set(m)
		}
	case reflect.Interface:
		if depth > 0 && v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(map[string]any{"Key": cloudformation.Sub("${AWS::Region}"), "N": 1.5, "List": []any{"x", 2}}))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth, n)
			}
		}
	}
}

// Every goformation resource type, filled in, reads the same by
// reflection as through encoding/json.
func TestFromGoAgreesWithJSONForEveryResourceType(t *testing.T) {
	for name, r := range cloudformation.AllResources() {
		for _, depth := range []int{0, 3} {
			n := 0
			v := reflect.New(reflect.TypeOf(r).Elem())
			fill(v.Elem(), depth, &n)
			assertSameTree(t, name, v.Interface())
		}
	}
}

func TestFromGoAgreesWithJSON(t *testing.T) {
	type tagged struct {
		Plain     string
		Renamed   string  `json:"Other"`
		Omitted   string  `json:",omitempty"`
		Skipped   string  `json:"-"`
		AsString  int     `json:",string"`
		Float     float64 `json:"F"`
		Bytes     []byte
		Number    json.Number
		NilSlice  []string
		NilMap    map[string]any
		Empty     []int
		unexposed string
	}
	type embedding struct {
		tagged
		Extra string
	}
	bucket := &s3.Bucket{BucketName: cloudformation.String("b")}
	bucket.AWSCloudFormationDeletionPolicy = policies.DeletionPolicy("Retain")
	bucket.AWSCloudFormationDependsOn = []string{"A"}
	cases := map[string]any{
		"nil":           nil,
		"nil pointer":   (*s3.Bucket)(nil),
		"resource":      bucket,
		"resource copy": *bucket,
		"struct":        tagged{Plain: "p", Renamed: "r", AsString: 7, Float: 1e21, Bytes: []byte("hi"), Number: "12.50", Empty: []int{}, unexposed: "u"},
		"embedded":      embedding{tagged: tagged{Plain: "p"}, Extra: "e"},
		"invalid UTF-8": map[string]any{"k": "a\xffb"},
		"numbers":       []any{1, int8(-2), uint16(3), 2.5, float32(0.1), math.MaxInt64, 1e-7},
		"map keys":      map[string]int{"b": 1, "a": 2, "é": 3},
		"int map keys":  map[int]string{2: "b", 10: "a"},
		"intrinsics":    map[string]any{"Sub": cloudformation.Sub("${A}"), "If": cloudformation.If("C", "a", "b")},
		"parameter":     cloudformation.Parameter{Type: "String", Default: "x", AllowedValues: []any{"x", "y"}},
		"output":        cloudformation.Output{Value: cloudformation.GetAtt("A", "Arn")},
		"custom":        &cloudformation.CustomResource{Type: "Custom::Thing", Properties: map[string]any{"ServiceToken": "arn"}},
	}
	for name, v := range cases {
		assertSameTree(t, name, v)
	}
}

func assertSameTree(t *testing.T, name string, v any) {
	t.Helper()
	want, wantErr := fromGoJSON(v)
	got, err := fromGo(v)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%s: fromGo error %v, through JSON %v", name, err, wantErr)
	}
	if !sameTree(got, want) {
		t.Fatalf("%s: fromGo and fromGoJSON differ:\n%s\nthrough JSON:\n%s", name, dump(got), dump(want))
	}
}

// sameTree compares two trees: keys in order, values alike, nil and empty
// slices of keys alike.
func sameTree(a, b any) bool {
	switch x := a.(type) {
	case *Map:
		y, ok := b.(*Map)
		if !ok || !slices.Equal(x.keys, y.keys) {
			return false
		}
		for i := range x.vals {
			if !sameTree(x.vals[i], y.vals[i]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameTree(x[i], y[i]) {
				return false
			}
		}
		return true
	case Fn:
		y, ok := b.(Fn)
		return ok && x.Name == y.Name && sameTree(x.Arg, y.Arg)
	}
	return a == b
}

func dump(v any) string {
	switch x := v.(type) {
	case *Map:
		var parts []string
		for i, k := range x.keys {
			parts = append(parts, k+": "+dump(x.vals[i]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		var parts []string
		for _, item := range x {
			parts = append(parts, dump(item))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case Fn:
		return x.Name + "(" + dump(x.Arg) + ")"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}
