package rules

import (
	"sort"

	"github.com/formwork-dev/formwork/templates"
)

var codebuildImageCurrent = templates.Rule{
	ID:      "codebuild_image_current",
	Summary: "CodeBuild projects use a current curated image",
	Why:     "older images carry language runtimes that are out of support",
	Check:   reported(checkCodeBuildImage),
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
