package commands

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/moto"
	"github.com/formwork-dev/formwork/stacks"
	"github.com/formwork-dev/formwork/templates"
)

// seedTemplate is what a deployer already has before formwork's stacks:
// a VPC with two subnets and a client security group, a hosted zone, the
// bucket the code zip is uploaded to and the SSM parameter with the token.
const seedTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.42.0.0/16}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.42.1.0/24, AvailabilityZone: us-east-1a}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.42.2.0/24, AvailabilityZone: us-east-1b}
  Clients:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: cache clients, VpcId: !Ref Vpc}
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: example.org}
  CodeBucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: formwork-moto-code}
  ApiToken:
    Type: AWS::SSM::Parameter
    Properties: {Name: /formwork/moto/api-token, Type: String, Value: not-a-secret}
`

// seed creates the seed stack and uploads the code zip; it returns the
// physical ids by logical id.
func seed(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfn := cloudformation.NewFromConfig(cfg)
	if _, err := cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("seed"), TemplateBody: aws.String(seedTemplate)}); err != nil {
		t.Fatalf("seed stack: %v", err)
	}
	out, err := cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("seed")})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range out.StackResources {
		ids[aws.ToString(r.LogicalResourceId)] = strings.TrimPrefix(aws.ToString(r.PhysicalResourceId), "/hostedzone/")
	}
	var zipped bytes.Buffer
	w := zip.NewWriter(&zipped)
	f, _ := w.Create("bootstrap")
	f.Write([]byte("#!/bin/sh\necho not a real binary\n"))
	w.Close()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("formwork-moto-code"), Key: aws.String("scheduled-binary/bootstrap.zip"),
		Body: bytes.NewReader(zipped.Bytes())}); err != nil {
		t.Fatalf("upload the code zip: %v", err)
	}
	return ids
}

// catalogueEnvironment deploys every catalogue stack with the seeded ids.
func catalogueEnvironment(ids map[string]string) string {
	connection := "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	return fmt.Sprintf(`region: us-east-1
account: "123456789012"
tags: {environment: moto}
stacks:
  access-point-monitor:
    parameters:
      NodesApiUrl: https://map.example.net/meshviewer.json
      AccessPointName: node-1
      NotificationEmail: ops@example.org
  codebuild-cron:
    parameters:
      ConnectionArn: %[1]s
      RepositoryOwner: formwork-dev
      RepositoryName: jobs
      JobCommand: make nightly
      NotificationEmail: ops@example.org
  hexo-site:
    parameters:
      DomainName: blog.example.org
      HostedZoneId: %[2]s
      ConnectionArn: %[1]s
      FullRepositoryId: formwork-dev/blog
  scheduled-binary:
    parameters:
      CodeBucket: formwork-moto-code
      CodeKey: scheduled-binary/bootstrap.zip
      ApiTokenParameter: %[3]s
      ApiBaseUrl: https://api.example.org/v1
      NotificationEmail: ops@example.org
  serverless-app-pipeline:
    parameters:
      ConnectionArn: %[1]s
      FullRepositoryId: formwork-dev/app
      BackendStackName: app-backend
      BackendDeployPolicyName: app-backend-deploy
  service-discovery:
    parameters:
      VpcId: %[4]s
      CacheSubnetIds: [%[5]s, %[6]s]
      ClientSecurityGroupId: %[7]s
  templates-pipeline:
    parameters:
      ConnectionArn: %[1]s
      FullRepositoryId: formwork-dev/infra
      ApprovalEmail: ops@example.org
`, connection, ids["Zone"], ids["ApiToken"], ids["Vpc"], ids["SubnetA"], ids["SubnetB"], ids["Clients"])
}

// motoBlockers names the resources moto cannot stand in for: a GetAtt (or
// ${X.Attr}) to a type moto does not implement fails the whole stack, so
// such a stack fails on moto for moto's reasons.
func motoBlockers(t *testing.T, s templates.Stack) []string {
	t.Helper()
	tree, err := s.Template().Tree()
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, r := range templates.Resources(tree) {
		types[r.ID] = r.Type
	}
	var out []string
	note := func(id string) {
		if typ := types[id]; slices.Contains(moto.Unimplemented, typ) && !slices.Contains(out, id+" ("+typ+")") {
			out = append(out, id+" ("+typ+")")
		}
	}
	templates.Walk(tree, "", func(_ string, fn templates.Fn) {
		switch fn.Name {
		case templates.FnGetAtt:
			if parts, ok := fn.Arg.([]any); ok && len(parts) > 0 {
				note(fmt.Sprint(parts[0]))
			}
		case templates.FnSub:
			text, _ := templates.SubParts(fn.Arg)
			names, _ := templates.SubVariables(text)
			for _, n := range names {
				if id, _, attr := strings.Cut(n, "."); attr {
					note(id)
				}
			}
		}
	})
	return out
}

// fastCloud polls moto often and gives up soon: moto answers at once, and
// a create it cannot finish stays IN_PROGRESS for ever.
func fastCloud(t *testing.T) {
	saved := newCloud
	newCloud = func(ctx context.Context, o cloud.Options) (*cloud.Client, error) {
		c, err := cloud.New(ctx, o)
		if err == nil {
			c.Poll, c.Timeout = 50*time.Millisecond, 20*time.Second
		}
		return c, err
	}
	t.Cleanup(func() { newCloud = saved })
}

func TestMotoDeploysEveryCatalogueStackItImplements(t *testing.T) {
	moto.Shared(t)
	fastCloud(t)
	ids := seed(t)
	envs := writeEnvironment(t, "", "moto", catalogueEnvironment(ids))
	// the environment is valid offline for every stack, with real ids
	formwork(t, "validate", "--no-cfn-lint", "--environments", envs).wantExit(t, exitOK)
	var deployed []string
	for _, s := range stacks.Catalogue() {
		if blockers := motoBlockers(t, s); len(blockers) > 0 {
			t.Logf("%s: not deployed, moto lacks what it reads attributes of: %s", s.Name, strings.Join(blockers, ", "))
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			args := []string{s.Name, "--env", "moto", "--environments", envs, "--change-set", "catalogue"}
			plan := formwork(t, append([]string{"plan", "--keep"}, args...)...).wantExit(t, exitFindings)
			if !strings.Contains(plan.stdout, "new stack") {
				t.Errorf("plan:\n%s", plan.stdout)
			}
			formwork(t, append([]string{"apply"}, args...)...).wantExit(t, exitOK)
			if st := stackOnMoto(t, s.Name+"-moto"); st == nil || st.Status != "CREATE_COMPLETE" {
				t.Fatalf("%s after apply: %+v", s.Name, st)
			}
			formwork(t, "diff", "--base", "stack:"+s.Name+"-moto", s.Name, "--exit-code").wantExit(t, exitOK)
		})
		deployed = append(deployed, s.Name)
	}
	for _, must := range []string{"access-point-monitor", "scheduled-binary"} {
		if !slices.Contains(deployed, must) {
			t.Errorf("%s was not deployed: it uses only types moto implements or skips", must)
		}
	}
	t.Logf("deployed on moto: %s", strings.Join(deployed, ", "))
}
