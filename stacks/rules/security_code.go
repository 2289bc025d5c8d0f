package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/formwork-dev/formwork/templates"
)

//go:generate python3 gen/lifecycle.py lifecycle_gen.go
//go:generate gofmt -w lifecycle_gen.go

// runtimeLifecycle is when AWS deprecates a Lambda runtime, and what
// replaces it.
type runtimeLifecycle struct{ deprecated, successor string }

// today is the date runtimes are judged on, as YYYY-MM-DD in UTC: a
// runtime past its deprecation date fails the render from that day on.
var today = func() string { return time.Now().UTC().Format(time.DateOnly) }

func checkLambdaRuntime(r ruleReport, tree *templates.Map) {
	for _, fn := range templates.ResourcesOfType(tree, "AWS::Lambda::Function") {
		if pkg := templates.StringAt(fn.Properties, "PackageType"); pkg == "Image" {
			continue // the image brings its runtime
		}
		if msg := runtimeProblem(templates.ValueAt(fn.Properties, "Runtime")); msg != "" {
			r.add(fn.ID, "Properties.Runtime", "%s", msg)
		}
	}
}

func runtimeProblem(v any) string {
	name, ok := v.(string)
	if v == nil {
		return "the function has no Runtime: set a supported one, e.g. python3.13, nodejs22.x or provided.al2023"
	}
	if !ok {
		return "Runtime is not a literal runtime name, so its support cannot be checked: write it out, e.g. python3.13 or provided.al2023"
	}
	life, known := lambdaRuntimes[name]
	switch {
	case !known:
		return fmt.Sprintf("%q is not a Lambda runtime: use e.g. python3.13, nodejs22.x or provided.al2023", name)
	case life.deprecated != "" && life.deprecated <= today():
		return fmt.Sprintf("runtime %s has been deprecated since %s and gets no security patches: move to %s", name, life.deprecated, life.successor)
	}
	return ""
}

// currentCodeBuildImagesChecked is when currentCodeBuildImages was last
// compared with CodeBuild's "Docker images provided by CodeBuild" page; the
// same list is in stacks/testdata/guard/codebuild.guard.
const currentCodeBuildImagesChecked = "2026-12-01"

// currentCodeBuildImages are the curated images with supported runtimes.
var currentCodeBuildImages = map[string]bool{
	"aws/codebuild/standard:7.0":                      true,
	"aws/codebuild/amazonlinux-x86_64-standard:5.0":   true,
	"aws/codebuild/amazonlinux2-x86_64-standard:5.0":  true,
	"aws/codebuild/amazonlinux-aarch64-standard:3.0":  true,
	"aws/codebuild/amazonlinux2-aarch64-standard:3.0": true,
}

func checkCodeBuildImage(r ruleReport, tree *templates.Map) {
	for _, p := range templates.ResourcesOfType(tree, "AWS::CodeBuild::Project") {
		image := templates.ValueAt(p.Properties, "Environment", "Image")
		if name, ok := image.(string); !ok || !currentCodeBuildImages[name] {
			r.add(p.ID, "Properties.Environment.Image", "%v is not a current curated CodeBuild image (list checked %s): use %s, or waive the rule for a custom image with the reason it is kept patched",
				image, currentCodeBuildImagesChecked, CodeBuildImage)
		}
	}
}

func checkLogGroupRetention(r ruleReport, tree *templates.Map) {
	for _, g := range templates.ResourcesOfType(tree, "AWS::Logs::LogGroup") {
		if _, ok := g.Properties.Get("RetentionInDays"); !ok {
			r.add(g.ID, "Properties.RetentionInDays", "the log group keeps its events forever: set RetentionInDays (blocks.LogGroup keeps %d days)", LogRetentionDays)
		}
	}
}

func checkDeletionPolicies(r ruleReport, tree *templates.Map) {
	for _, res := range templates.Resources(tree) {
		if !statefulTypes[res.Type] {
			continue
		}
		var missing []string
		for _, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
			if _, ok := res.Body.Get(attr); !ok {
				missing = append(missing, attr)
			}
		}
		if len(missing) > 0 {
			r.add(res.ID, missing[0], "%s holds data but does not say %s: Retain what cannot be recreated, Delete what is transient and say so in the resource's comment (blocks.Retain, blocks.Transient)",
				res.Type, strings.Join(missing, " and "))
		}
	}
}

// inlineCodeSources are the properties whose !Sub text becomes source code.
var inlineCodeSources = map[string][]string{
	"AWS::Lambda::Function":     {"Properties", "Code", "ZipFile"},
	"AWS::CloudFront::Function": {"Properties", "FunctionCode"},
}

func checkInlineCodeParameters(r ruleReport, tree *templates.Map) {
	params := templates.Section(tree, "Parameters")
	for _, res := range templates.Resources(tree) {
		path, ok := inlineCodeSources[res.Type]
		if !ok {
			continue
		}
		text, isSub := inlineText(templates.ValueAt(res.Body, path...))
		if !isSub {
			continue
		}
		vars, _ := templates.SubVariables(text)
		seen := map[string]bool{}
		for _, v := range vars {
			p, declared := params.Get(v)
			if !declared || seen[v] {
				continue // pseudo parameters and resource attributes come from AWS
			}
			seen[v] = true
			if msg := CodeParameterProblem(p); msg != "" {
				r.add(res.ID, strings.Join(path, "."), "parameter %s is pasted into the code by !Sub, but %s: give it an AllowedPattern that excludes quotes, backslashes and line breaks, e.g. %s, or pass it in an environment variable", v, msg, SafeTextPattern)
			}
		}
	}
}

// SafeTextPattern accepts one line of text without quotes or backslashes:
// a value that can be pasted between quotes in Python or JavaScript source.
const SafeTextPattern = `^[^\x00-\x1f"'\\` + "`" + `]+$`

// HostileCodeCharacters are what breaks out of a string literal in inline
// code, or breaks the code: quotes, backslash, line breaks, NUL.
var HostileCodeCharacters = []string{`"`, `'`, "`", `\`, "\n", "\r", "\x00"}

// CodeParameterProblem says why a parameter's values are not safe to paste
// into source code, or "" when they are: numbers and AWS-typed ids, listed
// values free of hostile characters, or a pattern that refuses every one.
func CodeParameterProblem(p any) string {
	typ := templates.StringAt(p, "Type")
	if typ == "Number" || typ == "List<Number>" || (strings.HasPrefix(typ, "AWS::") && !strings.HasPrefix(typ, "AWS::SSM::")) {
		return ""
	}
	if values := templates.ListAt(p, "AllowedValues"); len(values) > 0 {
		for _, v := range values {
			if s := fmt.Sprint(v); strings.ContainsAny(s, strings.Join(HostileCodeCharacters, "")) {
				return fmt.Sprintf("its allowed value %q holds a quote, backslash or line break", s)
			}
		}
		return ""
	}
	pattern, ok := templates.ValueAt(p, "AllowedPattern").(string)
	if !ok {
		return "it has no AllowedPattern, so any text is accepted"
	}
	accepted, err := acceptedHostileValues(pattern)
	if err != nil {
		return fmt.Sprintf("its AllowedPattern cannot be checked (%v)", err)
	}
	if len(accepted) > 0 {
		return fmt.Sprintf("its AllowedPattern accepts %s", strings.Join(accepted, ", "))
	}
	return ""
}

// acceptedHostileValues returns, quoted, the values with a hostile
// character that the pattern accepts; each is a value the pattern accepts
// with one hostile character inserted somewhere.
func acceptedHostileValues(pattern string) ([]string, error) {
	re, seeds, err := compileParameterPattern(pattern)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, seed := range seeds {
		if strings.ContainsAny(seed, strings.Join(HostileCodeCharacters, "")) {
			found[fmt.Sprintf("%q", seed)] = true
		}
		for _, h := range HostileCodeCharacters {
			for i := 0; i <= len(seed); i++ {
				if probe := seed[:i] + h + seed[i:]; re.MatchString(probe) {
					found[fmt.Sprintf("%q", probe)] = true
					break
				}
			}
		}
	}
	out := make([]string, 0, len(found))
	for k := range found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// SupportedRuntimes lists, sorted, the Lambda runtimes the rule
// lambda_runtime_supported accepts today.
func SupportedRuntimes() []string {
	var out []string
	for name := range lambdaRuntimes {
		if runtimeProblem(name) == "" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// CurrentCodeBuildImages lists, sorted, the images the rule
// codebuild_image_current accepts.
func CurrentCodeBuildImages() []string {
	var out []string
	for image := range currentCodeBuildImages {
		out = append(out, image)
	}
	sort.Strings(out)
	return out
}
