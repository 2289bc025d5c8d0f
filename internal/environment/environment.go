// Package environment reads the checked-in environment files of a formwork
// repository, environments/<env>.yaml, one per deployment target:
//
//	# environments/prod.yaml
//	account: "123456789012"    # plan and apply refuse credentials of another account
//	region: eu-central-1
//	tags:                      # on every stack of the environment
//	  environment: prod
//	stacks:
//	  access-point-monitor:
//	    stackName: mesh-monitor  # default: <stack>-<env>
//	    region: eu-west-1        # account and region may differ per stack
//	    parameters:
//	      NodesApiUrl: https://map.example.net/meshviewer.json
//	      CheckRateMinutes: 10
//	    tags:
//	      owner: mesh-team
//
// It checks the files offline against the templates' parameter
// constraints, reporting file:line: message, and makes no AWS call.
// It lives under internal/ because an environment is deployment input the
// CLI reads, not template content: templates knows the parameter
// constraints, this package knows the files.
package environment

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/internal/input"
	"gopkg.in/yaml.v3"
)

// Environment is one environments/<name>.yaml.
type Environment struct {
	Name    string // the file's base name without .yaml
	Path    string
	Account string
	Region  string
	Tags    []Value
	Stacks  []Stack // in file order
}

// Stack is one stack's entry: where it is deployed and with what.
type Stack struct {
	Name       string // the formwork stack
	Line       int
	StackName  string // the CloudFormation stack name
	Account    string // the stack's, else the environment's
	Region     string
	Parameters []Value // in file order
	Tags       []Value // the environment's, then the stack's (which win)
}

// Value is a parameter value or tag with the line it is on.
type Value struct {
	Key, Value string
	Line       int
	// Variable is NAME when the value is written ${env:NAME}: it is read
	// from the process environment when the stack is deployed (Resolve),
	// so the file names a secret without holding it.
	Variable string
}

// Reference reports a value formwork cannot check offline: one read from
// the process environment, or a {{resolve:...}} dynamic reference, which
// CloudFormation resolves.
func (v Value) Reference() bool {
	return v.Variable != "" || IsDynamicReference(v.Value)
}

// IsDynamicReference reports a {{resolve:service:...}} value.
func IsDynamicReference(s string) bool {
	return strings.HasPrefix(s, "{{resolve:") && strings.HasSuffix(s, "}}")
}

// Resolve reads the values of the stack's ${env:NAME} parameters from
// lookup (os.LookupEnv); a variable that is not set is an error with the
// file and line.
func (e *Environment) Resolve(s *Stack, lookup func(string) (string, bool)) error {
	for i, v := range s.Parameters {
		if v.Variable == "" {
			continue
		}
		value, ok := lookup(v.Variable)
		if !ok {
			return e.fail(v.Line, "%s: parameter %s is ${env:%s}, and %s is not set: export it", s.Name, v.Key, v.Variable, v.Variable)
		}
		s.Parameters[i].Value = value
	}
	return nil
}

// Finding is one problem in an environment file.
type Finding struct {
	File    string
	Line    int
	Message string
	// Name is true for a finding about a name (an unknown stack or
	// parameter), false for one about a value.
	Name bool
}

func (f Finding) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Message) }

// Error is a file that cannot be read as an environment.
type Error struct{ Finding }

func (e *Error) Error() string { return e.String() }

// Stack returns the entry for a formwork stack.
func (e *Environment) Stack(name string) (Stack, bool) {
	for _, s := range e.Stacks {
		if s.Name == name {
			return s, true
		}
	}
	return Stack{}, false
}

// StackNames lists the stacks the environment deploys, in file order.
func (e *Environment) StackNames() []string {
	names := make([]string, len(e.Stacks))
	for i, s := range e.Stacks {
		names[i] = s.Name
	}
	return names
}

// ParameterMap returns the stack's parameter values by name.
func (s Stack) ParameterMap() map[string]string { return toMap(s.Parameters) }

// TagMap returns the stack's tags by key.
func (s Stack) TagMap() map[string]string { return toMap(s.Tags) }

func toMap(values []Value) map[string]string {
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[v.Key] = v.Value
	}
	return m
}

var envName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`) })

// Open loads environments/<name>.yaml from dir.
func Open(dir, name string) (*Environment, error) {
	if !envName().MatchString(name) {
		return nil, fmt.Errorf("environment %q: a name is lower-case letters, digits, - and _, the base name of %s/<name>.yaml", name, dir)
	}
	path := filepath.Join(dir, name+".yaml")
	e, err := Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		have, _ := Names(dir)
		if len(have) == 0 {
			return nil, fmt.Errorf("no environment %s: create %s (see formwork env --help)", name, path)
		}
		return nil, fmt.Errorf("no environment %s in %s: there are %s", name, dir, strings.Join(have, ", "))
	}
	return e, err
}

// Names lists the environments in dir, sorted.
func Names(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() && !strings.HasPrefix(n, ".") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// LoadAll loads every environment in dir; a missing dir has none.
func LoadAll(dir string) ([]*Environment, error) {
	names, err := Names(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", dir, err)
	}
	var out []*Environment
	for _, n := range names {
		e, err := Load(filepath.Join(dir, n+".yaml"))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Load reads one environment file. Its structure must be exactly the
// documented one: an unknown key is an error, with the closest key named.
func Load(path string) (*Environment, error) {
	e := &Environment{Name: strings.TrimSuffix(filepath.Base(path), ".yaml"), Path: path}
	data, err := input.Read(path, input.SmallBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, e.fail(1, "cannot read it: %v", rootCause(err))
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, e.fail(1, "the file is empty: it needs at least stacks:")
		}
		return nil, e.fail(yamlLine(err), "not YAML: %s", yamlLineRE().ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), ""))
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		line := next.Line
		if err != nil {
			line = yamlLine(err)
		}
		return nil, e.fail(line, "a second YAML document (after ---): an environment is one document; merge them or make a second environment file")
	}
	r := reader{env: e}
	if err := r.environment(doc.Content[0]); err != nil {
		return nil, err
	}
	return e, nil
}

// rootCause strips the operation and path an *fs.PathError repeats.
func rootCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (e *Environment) fail(line int, format string, args ...any) error {
	return &Error{Finding{File: e.Path, Line: line, Message: fmt.Sprintf(format, args...)}}
}

var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+): `) })

func yamlLine(err error) int {
	if m := yamlLineRE().FindStringSubmatch(err.Error()); m != nil {
		var n int
		fmt.Sscan(m[1], &n)
		return n
	}
	return 1
}
