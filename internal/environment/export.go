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
// Keys are sorted, so the file is the same on every run. filled adds the
// values formwork fills itself (a packaged asset's key).
func (s Stack) TemplateConfiguration(filled map[string]string) []byte {
	params := s.ParameterMap()
	for k, v := range filled {
		params[k] = v
	}
	doc := struct {
		Parameters map[string]string `json:"Parameters"`
		Tags       map[string]string `json:"Tags"`
	}{params, s.TagMap()}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(doc) // maps of strings always encode
	return b.Bytes()
}
