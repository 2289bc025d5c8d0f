package templates

import (
	"strings"
	"testing"
)

func build(*Template) {}

func TestRegistrySortsByName(t *testing.T) {
	var r Registry
	r.Add(Stack{Name: "web", Build: build})
	r.Add(Stack{Name: "api", Build: build})
	got := r.Stacks()
	if len(got) != 2 || got[0].Name != "api" || got[1].Name != "web" {
		t.Fatalf("got %v", got)
	}
}

func TestRegistryRefusesADuplicate(t *testing.T) {
	var r Registry
	r.Add(Stack{Name: "api", Build: build})
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, `two stacks are named "api"`) {
			t.Fatalf("want a panic naming the duplicate, got %q", msg)
		}
	}()
	r.Add(Stack{Name: "api", Build: build})
}

func TestCheckStacks(t *testing.T) {
	for _, tc := range []struct {
		list []Stack
		want string
	}{
		{[]Stack{{Name: "Api", Build: build}}, `stack name "Api" must be lower-case`},
		{[]Stack{{Name: "", Build: build}}, `stack name "" must be`},
		{[]Stack{{Name: "a--b", Build: build}}, `stack name "a--b" must be`},
		{[]Stack{{Name: "api", Build: build}, {Name: "api", Build: build}}, `two stacks are named "api"`},
		{[]Stack{{Name: "api"}}, `stack "api" has no Build function`},
	} {
		err := CheckStacks(tc.list)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckStacks(%v): got %v, want %q", tc.list, err, tc.want)
		}
	}
	if err := CheckStacks([]Stack{{Name: "api-2", Build: build}, {Name: "web", Build: build}}); err != nil {
		t.Errorf("valid list refused: %v", err)
	}
}
