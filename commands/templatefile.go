package commands

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"sync"

	"github.com/formwork-dev/formwork/internal/input"
	"github.com/formwork-dev/formwork/templates"
	"gopkg.in/yaml.v3"
)

// readTemplate reads a template file given as input (diff, import): a
// regular file of at most input.TemplateBytes, one YAML or JSON document
// whose top level is a mapping with Resources. Whatever else it is, the
// error says so without quoting the file, which may hold anything (a
// secrets file given by mistake).
func readTemplate(path string) ([]byte, error) {
	body, err := input.Read(path, input.TemplateBytes)
	if err != nil {
		return nil, usageError("cannot read %s: %v: pass a template file", path, rootCause(err))
	}
	if msg := notATemplate(body); msg != "" {
		return nil, usageError("%s is not a CloudFormation template: %s", path, msg)
	}
	return body, nil
}

// readImportInput reads a template to import: a regular file within the
// limit, one document; its syntax and sections are the importer's to judge,
// with lines.
func readImportInput(path string) ([]byte, error) {
	body, err := input.Read(path, input.TemplateBytes)
	if err != nil {
		return nil, usageError("cannot read %s: %v: name an existing template file", path, rootCause(err))
	}
	dec := yaml.NewDecoder(bytes.NewReader(body))
	var doc yaml.Node
	if dec.Decode(&doc) == nil && !errors.Is(dec.Decode(&doc), io.EOF) {
		return nil, usageError("%s holds more than one YAML document (---): a template is one document; split it into files", path)
	}
	return body, nil
}

// notATemplate says why body is not one CloudFormation template, or "".
func notATemplate(body []byte) string {
	if trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff"); len(trimmed) > 0 && trimmed[0] == '{' {
		return notAJSONTemplate(trimmed)
	}
	if plainlyOneTemplate(body) {
		return ""
	}
	return notAYAMLTemplate(body)
}

// plainlyOneTemplate reports a YAML template that needs no explaining: no
// document marker, a Resources key at the start of a line, and the engine
// reads it (the engine's reader costs a fraction of the YAML decoder's,
// which explains the others).
func plainlyOneTemplate(body []byte) bool {
	for _, marker := range []string{"---", "...", "%"} {
		if bytes.HasPrefix(body, []byte(marker)) || bytes.Contains(body, []byte("\n"+marker)) {
			return false
		}
	}
	if !bytes.HasPrefix(body, []byte("Resources:")) && !bytes.Contains(body, []byte("\nResources:")) {
		return false
	}
	tree, err := templates.Parse(body)
	if err != nil {
		return false
	}
	_, ok := tree.Get("Resources")
	return ok
}

// notAYAMLTemplate is notATemplate for a template written in YAML.
func notAYAMLTemplate(body []byte) string {
	dec := yaml.NewDecoder(bytes.NewReader(body))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return "it is empty"
		}
		return "it is neither YAML nor JSON (" + yamlProblem(err) + ")"
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return "it holds more than one YAML document (---): a template is one document; split it into files"
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return "its top level is not a mapping of sections (AWSTemplateFormatVersion, Parameters, Resources, ...)"
	}
	for i := 0; i < len(top.Content); i += 2 {
		if top.Content[i].Value == "Resources" {
			return ""
		}
	}
	return "it has no Resources section, which every template has"
}

// notAJSONTemplate is notATemplate for a template written in JSON, read
// as templates.Parse reads it.
func notAJSONTemplate(body []byte) string {
	doc, err := decodeJSON(body)
	var dup duplicateKeyError
	switch {
	case errors.As(err, &dup):
		return dup.Error()
	case err != nil:
		return "it is not valid JSON"
	}
	if _, ok := doc.(map[string]any)["Resources"]; !ok {
		return "it has no Resources section, which every template has"
	}
	return ""
}

// yamlProblem is a parser error's line, without the text it quotes.
func yamlProblem(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return "not a YAML document"
	}
	if m := yamlLineNumber().FindString(err.Error()); m != "" {
		return "a syntax error at " + m
	}
	return "a syntax error"
}

var yamlLineNumber = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line \d+`) })
