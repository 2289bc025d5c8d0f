package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/formwork-dev/formwork/stacks/rules"
)

// InlineCodeLimit is the most characters Lambda accepts as inline code
// (Code.ZipFile), counted after CloudFormation substituted the parameters.
const InlineCodeLimit = rules.InlineCodeLimit

// InlineCode is source deployed inline exactly as written: no !Sub, so ${
// in the source stays ${. Pass values in Function.Environment instead. Its
// size is checked at render time, and so is a ${Parameter} in it that only
// InlineCodeSub would substitute.
func InlineCode(source string) *lambda.Function_Code {
	return &lambda.Function_Code{ZipFile: cloudformation.String(source)}
}

// InlineCodeSub is source deployed inline and run through !Sub, so the code
// can read parameters as ${Name}; a literal ${ must be written ${! in the
// source. The size, with every parameter at its longest, is checked at
// render time. Use InlineCode when the source substitutes nothing (cfn-lint
// warns about a !Sub without variables, W1020).
func InlineCodeSub(source string) *lambda.Function_Code {
	return &lambda.Function_Code{ZipFile: cloudformation.String(cloudformation.Sub(source))}
}

// SafeTextPattern is the AllowedPattern of a parameter that inline code
// substituted through !Sub may read: one line, no quotes or backslashes
// (rules.SafeTextPattern, which the inline_code_parameters rule asks for).
const SafeTextPattern = rules.SafeTextPattern
