package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/formwork-dev/formwork/templates"
)

// Code is where a function's code comes from, the one type every block that
// makes a Lambda function takes (Function.Code, and through it
// HTTPFunction.Handler, QueueConsumer.Consumer and a scheduled Function).
// Make it with:
//
//   - InlineCode or InlineCodeSub: source in the template itself (up to
//     4,096 characters);
//   - GoPackage, Directory or ZipFile: code formwork packages (a Go main
//     package built for linux/arm64, a directory zipped, a zip as it is),
//     uploads under the SHA-256 of the zip and passes to the stack
//     (formwork package, deploy, plan and apply do it first);
//   - FromS3: an object someone else put in S3.
//
// Packaged code needs two String parameters that receive the object's
// bucket and key. By default the function declares them itself, named
// ID+"CodeBucket" and ID+"CodeKey" under the parameter group ID+" code";
// In names parameters the stack declares instead.
type Code struct {
	zipFile *string               // inline source, or a !Sub of it
	s3      *lambda.Function_Code // an object in S3 that formwork does not make
	source  templates.AssetSource // what formwork packages
	params  CodeParameters
}

// CodeParameters names the parameters that receive packaged code.
type CodeParameters struct {
	// Bucket and Key are String parameters the stack declares.
	Bucket, Key string
	// ObjectVersion, when set, is an S3ObjectVersion value: an intrinsic
	// that yields AWS::NoValue when no version is given.
	ObjectVersion string
}

// S3Object is an object in S3: its bucket and key, and a version ("" for
// the latest, or an intrinsic that yields AWS::NoValue when none is given).
// Each may hold an intrinsic.
type S3Object struct {
	Bucket, Key, Version string
}

// InlineCode is source deployed inline exactly as written: no !Sub, so ${
// in the source stays ${. Pass values in Function.Environment instead. Its
// size is checked at render time, and so is a ${Parameter} in it that only
// InlineCodeSub would substitute.
func InlineCode(source string) Code {
	return Code{zipFile: cloudformation.String(source)}
}

// InlineCodeSub is source deployed inline and run through !Sub, so the code
// can read parameters as ${Name}; a literal ${ must be written ${! in the
// source. The size, with every parameter at its longest, is checked at
// render time. Use InlineCode when the source substitutes nothing (cfn-lint
// warns about a !Sub without variables, W1020).
func InlineCodeSub(source string) Code {
	return Code{zipFile: cloudformation.String(cloudformation.Sub(source))}
}

// GoPackage is a Go main package formwork builds for linux/arm64 into
// bootstrap: an import path or "./path/to/cmd" from the repository root, as
// go build takes it. The function then runs on provided.al2023 on arm64
// with handler bootstrap, unless it says otherwise.
func GoPackage(pkg string) Code { return Code{source: templates.GoMain(pkg)} }

// Directory is a directory formwork zips file by file, for a runtime that
// reads source files (Python, Node.js): set the function's Runtime and
// Handler.
func Directory(path string) Code { return Code{source: templates.Dir(path)} }

// ZipFile is a zip built elsewhere, uploaded as it is: set the function's
// Runtime and Handler.
func ZipFile(path string) Code { return Code{source: templates.Zip(path)} }

// FromS3 is code from an object already in S3, which formwork neither
// builds nor uploads.
func FromS3(o S3Object) Code {
	code := &lambda.Function_Code{S3Bucket: cloudformation.String(o.Bucket), S3Key: cloudformation.String(o.Key)}
	if o.Version != "" {
		code.S3ObjectVersion = cloudformation.String(o.Version)
	}
	return Code{s3: code}
}

// In has packaged code received by parameters the stack declares itself
// (with its own descriptions), instead of the function's own.
func (c Code) In(p CodeParameters) Code {
	c.params = p
	return c
}

// packaged reports whether formwork makes and uploads the code.
func (c Code) packaged() bool { return c.source.Path != "" }

// isGo reports whether the code is a Go main package.
func (c Code) isGo() bool { return c.source.Kind == templates.GoMainKind }

// declare declares what the code of function id needs (its asset and, by
// default, its parameters) and returns the function's Code property.
func (c Code) declare(t *templates.Template, id string) *lambda.Function_Code {
	switch {
	case c.zipFile != nil:
		return &lambda.Function_Code{ZipFile: c.zipFile}
	case c.s3 != nil:
		return c.s3
	case !c.packaged():
		t.Fail(id, "Properties.Code", "no code: set Code to InlineCode, InlineCodeSub, GoPackage, Directory, ZipFile or FromS3")
		return nil
	}
	p := c.params
	if p.Bucket == "" && p.Key == "" {
		p.Bucket, p.Key = id+"CodeBucket", id+"CodeKey"
		declareCodeParameters(t, id, p)
	}
	t.Asset(templates.Asset{Name: id, Source: c.source, BucketParameter: p.Bucket, KeyParameter: p.Key})
	return FromS3(S3Object{Bucket: cloudformation.Ref(p.Bucket), Key: cloudformation.Ref(p.Key), Version: p.ObjectVersion}).s3
}

// declareCodeParameters declares the two parameters formwork fills with
// the uploaded object's bucket and key.
func declareCodeParameters(t *templates.Template, id string, p CodeParameters) {
	t.Parameter(p.Bucket, cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("S3 bucket holding " + id + "'s code: formwork package uploads it there"),
		AllowedPattern:        cloudformation.String(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`),
		ConstraintDescription: cloudformation.String("must be an S3 bucket name"),
	})
	t.Parameter(p.Key, cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Key of " + id + "'s code in " + p.Bucket + ": formwork deploy passes the one formwork package uploaded, formwork/<SHA-256 of the zip>.zip"),
		MinLength:   cloudformation.Int(1),
		MaxLength:   cloudformation.Int(1024),
	})
	t.ParameterGroup(id+" code", p.Bucket, p.Key)
}
