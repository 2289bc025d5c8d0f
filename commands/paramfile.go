package commands

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/formwork-dev/formwork/internal/input"
	"strings"
)

// paramValues holds parameter values in the order they were first given.
type paramValues struct {
	names  []string
	values map[string]string
	// from names the environment variable a value was read from.
	from map[string]string
}

// variable is the shell variable a printed command reads name's value
// from: the one it came from, else the parameter's own name.
func (p *paramValues) variable(name string) string {
	if v := p.from[name]; v != "" {
		return v
	}
	return name
}

func (p *paramValues) set(name, value string) {
	if p.values == nil {
		p.values = map[string]string{}
	}
	if _, ok := p.values[name]; !ok {
		p.names = append(p.names, name)
	}
	p.values[name] = value
	delete(p.from, name)
}

// setFrom sets name to the value of the environment variable variable.
func (p *paramValues) setFrom(name, value, variable string) {
	p.set(name, value)
	if p.from == nil {
		p.from = map[string]string{}
	}
	p.from[name] = variable
}

// get returns the value given for name.
func (p *paramValues) get(name string) (string, bool) {
	v, ok := p.values[name]
	return v, ok
}

// parseParamFlags reads --param KEY=VALUE flags.
func parseParamFlags(pairs []string, into *paramValues) error {
	for _, pair := range pairs {
		name, value, ok := strings.Cut(pair, "=")
		if !ok || name == "" {
			return usageError("--param %q is not KEY=VALUE: write e.g. --param Branch=main", pair)
		}
		into.set(name, value)
	}
	return nil
}

// readParamsFile reads a parameters file in any JSON format that
// `aws cloudformation deploy --parameter-overrides file://FILE` accepts:
// {"Parameters": {"K": "V"}}, [{"ParameterKey": "K", "ParameterValue": "V"}]
// or ["K=V"].
func readParamsFile(path string, into *paramValues) error {
	data, err := input.Read(path, input.SmallBytes)
	if err != nil {
		return usageError("--params %s: %v: pass a readable JSON file (formwork params STACK writes one)", path, rootCause(err))
	}
	doc, err := decodeJSON(data)
	var dup duplicateKeyError
	if errors.As(err, &dup) {
		return usageError("--params %s: %v", path, err)
	}
	if err != nil {
		return usageError("--params %s is not valid JSON (%v): formwork params STACK writes a skeleton", path, err)
	}
	if err := decodeParams(doc, into); err != nil {
		return usageError("--params %s: %v", path, err)
	}
	return nil
}

const paramsFormats = `use {"Parameters": {"Key": "Value"}}, [{"ParameterKey": "Key", "ParameterValue": "Value"}] or ["Key=Value"]`

func decodeParams(doc any, into *paramValues) error {
	switch d := doc.(type) {
	case map[string]any:
		params, ok := d["Parameters"].(map[string]any)
		if !ok {
			return fmt.Errorf("no \"Parameters\" object: %s", paramsFormats)
		}
		// Map order is lost in JSON decoding; deploy orders by the template.
		for name, v := range params {
			s, err := paramString(name, v)
			if err != nil {
				return err
			}
			into.set(name, s)
		}
		return nil
	case []any:
		entry := map[string]int{}
		for i, item := range d {
			name, value, err := decodeParamItem(item)
			if err != nil {
				return err
			}
			if first, dup := entry[name]; dup {
				return fmt.Errorf("%s is given twice, in entries %d and %d: keep one", name, first, i+1)
			}
			entry[name] = i + 1
			into.set(name, value)
		}
		return nil
	}
	return fmt.Errorf("not a parameters file: %s", paramsFormats)
}

func decodeParamItem(item any) (name, value string, err error) {
	switch it := item.(type) {
	case string:
		name, value, ok := strings.Cut(it, "=")
		if !ok || name == "" {
			return "", "", fmt.Errorf("entry %q is not Key=Value", it)
		}
		return name, value, nil
	case map[string]any:
		name, ok := it["ParameterKey"].(string)
		v, hasValue := it["ParameterValue"]
		if !ok || !hasValue || len(it) != 2 {
			return "", "", fmt.Errorf("each entry needs exactly ParameterKey and ParameterValue: %s", paramsFormats)
		}
		value, err := paramString(name, v)
		return name, value, err
	}
	return "", "", fmt.Errorf("unexpected entry %v: %s", item, paramsFormats)
}

func paramString(name string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number: // as written: 123456789012 stays 123456789012, 1000000 stays 1000000
		return x.String(), nil
	}
	return "", fmt.Errorf("the value of %s must be a string", name)
}
