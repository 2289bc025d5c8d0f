package blocks

import "github.com/formwork-dev/formwork/stacks/rules"

// InlineCodeLimit is the most characters Lambda accepts as inline code
// (Code.ZipFile), counted after CloudFormation substituted the parameters.
const InlineCodeLimit = rules.InlineCodeLimit

// SafeTextPattern is the AllowedPattern of a parameter that inline code
// substituted through !Sub may read: one line, no quotes or backslashes
// (rules.SafeTextPattern, which the inline_code_parameters rule asks for).
const SafeTextPattern = rules.SafeTextPattern
