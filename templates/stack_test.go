package templates

import (
	"strings"
	"testing"
)

func build(*Template) {}

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
