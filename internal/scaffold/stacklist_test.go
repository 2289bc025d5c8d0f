package scaffold

import (
	"strings"
	"testing"
)

func TestAddStacks(t *testing.T) {
	src := "package stacks\n\nimport \"github.com/formwork-dev/formwork/templates\"\n\n" +
		"// All is every stack.\nfunc All() []templates.Stack {\n\treturn []templates.Stack{\n\t\tHelloSchedule(),\n\t}\n}\n"
	got, err := AddStacks([]byte(src), "Orders()", "Billing()")
	if err != nil {
		t.Fatal(err)
	}
	want := "\treturn []templates.Stack{\n\t\tHelloSchedule(),\n\t\tOrders(),\n\t\tBilling(),\n\t}\n"
	if !strings.Contains(string(got), want) {
		t.Errorf("got\n%s\nwant it to hold\n%s", got, want)
	}
	empty := strings.Replace(src, "\t\tHelloSchedule(),\n", "", 1)
	if got, err = AddStacks([]byte(empty), "Orders()"); err != nil || !strings.Contains(string(got), "{\n\t\tOrders(),\n\t}") {
		t.Errorf("adding to an empty list: %v\n%s", err, got)
	}
	oneLine := strings.Replace(src, "{\n\t\tHelloSchedule(),\n\t}", "{HelloSchedule()}", 1)
	if got, err = AddStacks([]byte(oneLine), "Orders()"); err != nil || !strings.Contains(string(got), "HelloSchedule(),\n\t\tOrders(),") {
		t.Errorf("adding to a one-line list: %v\n%s", err, got)
	}
}

func TestAddStacksRefusesAnotherShape(t *testing.T) {
	for name, src := range map[string]string{
		"no All":      "package stacks\n",
		"computed":    "package stacks\n\nfunc All() []int { return list() }\n",
		"two returns": "package stacks\n\nfunc All() []int {\n\tx := []int{}\n\treturn x\n}\n",
		"not Go":      "package stacks\nfunc {",
	} {
		if _, err := AddStacks([]byte(src), "Orders()"); err == nil {
			t.Errorf("%s: AddStacks accepted it", name)
		}
	}
}
