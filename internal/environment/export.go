package environment

import (
	"bytes"
	"encoding/json"
)

// TemplateConfiguration is the stack's entry in CodePipeline's template
// configuration format, the file a CloudFormation deploy action reads
// (TemplateConfiguration: Source::deploy/<stack>.json):
//
//	{"Parameters": {"Key": "Value"}, "Tags": {"Key": "Value"}}
//
// Keys are sorted, so the file is the same on every run.
func (s Stack) TemplateConfiguration() []byte {
	doc := struct {
		Parameters map[string]string `json:"Parameters"`
		Tags       map[string]string `json:"Tags"`
	}{s.ParameterMap(), s.TagMap()}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(doc) // maps of strings always encode
	return b.Bytes()
}
