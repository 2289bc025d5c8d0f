package blocks_test

import (
	"fmt"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// A private bucket whose objects expire after a fortnight.
func ExamplePrivateBucket() {
	t := templates.New("exports", "Keeps exports")
	blocks.PrivateBucket{ID: "Exports", Comment: "exports, kept two weeks; transient: rebuilt every night", ExpireAfterDays: 14, Retention: blocks.Transient}.Add(t)
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Keeps exports
	//
	// Resources:
	//   # exports, kept two weeks; transient: rebuilt every night
	//   Exports:
	//     Type: AWS::S3::Bucket
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       BucketEncryption:
	//         ServerSideEncryptionConfiguration:
	//           - ServerSideEncryptionByDefault:
	//               SSEAlgorithm: AES256
	//       LifecycleConfiguration:
	//         Rules:
	//           - AbortIncompleteMultipartUpload:
	//               DaysAfterInitiation: 7
	//             Id: AbortIncompleteUploads
	//             Status: Enabled
	//           - ExpirationInDays: 14
	//             Id: ExpireOldObjects
	//             Status: Enabled
	//       OwnershipControls:
	//         Rules:
	//           - ObjectOwnership: BucketOwnerEnforced
	//       PublicAccessBlockConfiguration:
	//         BlockPublicAcls: true
	//         BlockPublicPolicy: true
	//         IgnorePublicAcls: true
	//         RestrictPublicBuckets: true
	//
	//   ExportsPolicy:
	//     Type: AWS::S3::BucketPolicy
	//     Properties:
	//       Bucket: !Ref Exports
	//       PolicyDocument:
	//         Version: "2012-10-17"
	//         Statement:
	//           - Sid: DenyInsecureTransport
	//             Effect: Deny
	//             Principal:
	//               AWS: "*"
	//             Action:
	//               - s3:*
	//             Resource:
	//               - !GetAtt Exports.Arn
	//               - !Sub ${Exports.Arn}/*
	//             Condition:
	//               Bool:
	//                 aws:SecureTransport: "false"
}
