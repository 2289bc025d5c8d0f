package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// GoCode is the code of a function written as a Go main package in the
// repository. formwork builds it for linux/arm64 into bootstrap, zips it
// reproducibly and uploads it under the SHA-256 of the zip (formwork package);
// the template only names the parameters that receive the bucket and key.
type GoCode struct {
	// Package is the main package, as go build takes it: an import path or
	// "./path/to/cmd" from the repository root.
	Package string
	// BucketParameter and KeyParameter are the String parameters (declared
	// by the stack, with its descriptions) that receive the object's bucket
	// and key at deploy time.
	BucketParameter, KeyParameter string
	// ObjectVersion, when set, is an S3ObjectVersion value: an intrinsic
	// that yields AWS::NoValue when no version is given.
	ObjectVersion string
}

// DeclareGoFunction declares f (as DeclareFunction does) running code on
// provided.al2023 on arm64, and declares code's asset, so that formwork
// package, deploy, plan and apply build and upload it first.
func DeclareGoFunction(t *templates.Template, f Function, code GoCode) {
	f.Runtime, f.Handler, f.Arm64 = "provided.al2023", "bootstrap", true
	f.Code = FromS3(cloudformation.Ref(code.BucketParameter), cloudformation.Ref(code.KeyParameter), code.ObjectVersion)
	t.Asset(templates.Asset{
		Name:            f.ID,
		Source:          templates.GoMain(code.Package),
		BucketParameter: code.BucketParameter,
		KeyParameter:    code.KeyParameter,
	})
	f.Add(t)
}
