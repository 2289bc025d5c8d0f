package stacks

import (
	_ "embed"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/formwork-dev/formwork/templates"
)

// hexoRewriteJS is the viewer-request function: www → apex redirect and
// Hexo's pretty URLs (/post/ → /post/index.html).
//
//go:embed assets/hexo-rewrite.js
var hexoRewriteJS string

func init() {
	register(Stack{
		Name:        "hexo-site",
		Description: "Hexo static website: private S3 bucket behind CloudFront (OAC, ACM certificate, security headers) under a Route 53 domain, rebuilt by a pipeline on every push",
		Build:       buildHexoSite,
	})
}

// Logical ids the site's resources refer to each other by.
const (
	hexoBucket       = "ContentBucket"
	hexoDistribution = "Distribution"
	hexoCertificate  = "Certificate"
)

func buildHexoSite(t *templates.Template) {
	hexoSiteParameters(t)
	t.Rule("DeployInUsEast1", RegionRule(CertificateRegion,
		"Deploy this stack in us-east-1: CloudFront only accepts ACM certificates from that region."))
	hexoContent(t)
	hexoCDN(t)
	hexoRecords(t)
	hexoSiteOutputs(t)
}

func hexoSiteParameters(t *templates.Template) {
	t.Parameter("DomainName", cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Apex domain of the site, e.g. example.com; www.<domain> redirects to it."),
		// Lower-case labels of letters, digits and inner hyphens, then a TLD.
		AllowedPattern:        cloudformation.String(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`),
		ConstraintDescription: cloudformation.String("a lower-case domain name such as example.com, without www., scheme or trailing dot"),
	})
	t.Parameter("HostedZoneId", cloudformation.Parameter{
		Type:        "AWS::Route53::HostedZone::Id",
		Description: cloudformation.String("Public Route 53 hosted zone of the domain: the certificate is validated and the records are created in it."),
	})
	t.Parameter("PriceClass", cloudformation.Parameter{
		Type:          "String",
		Description:   cloudformation.String("CloudFront edge locations to serve from: PriceClass_100 (North America, Europe) is the cheapest."),
		Default:       "PriceClass_100",
		AllowedValues: []any{"PriceClass_100", "PriceClass_200", "PriceClass_All"},
	})
	t.ParameterGroup("Website", "DomainName", "HostedZoneId", "PriceClass")
}

// hexoContent declares the bucket the generated site is synced to. It is
// private: CloudFront reads it through origin access control.
func hexoContent(t *templates.Template) {
	t.Resource(hexoBucket, privateBucket(), "Holds the generated site; private, read only by the distribution")
	t.Resource("ContentBucketPolicy", &s3.BucketPolicy{
		Bucket: cloudformation.Ref(hexoBucket),
		PolicyDocument: Policy(
			denyInsecureTransport(hexoBucket),
			ReadByCloudFront(hexoBucket, hexoDistribution),
		),
	}, "TLS only; objects readable by this stack's distribution and nothing else")
}

func hexoCDN(t *templates.Template) {
	t.Resource(hexoCertificate, DNSValidatedCertificate(cloudformation.Ref("HostedZoneId"),
		cloudformation.Ref("DomainName"), cloudformation.Sub("www.${DomainName}")),
		"HTTPS certificate for the apex and www, validated through the hosted zone")
	t.Resource("OriginAccessControl", S3OriginAccessControl(cloudformation.Sub("${AWS::StackName}-content"),
		"CloudFront signs its requests to the content bucket"), "Lets CloudFront read the private bucket")
	t.Resource("SecurityHeaders", SecurityHeadersPolicy(cloudformation.Sub("${AWS::StackName}-security-headers"),
		"HSTS, nosniff, frame denial and referrer policy on every response"), "Security headers on every response")
	t.Resource("RewriteFunction", ViewerRequestFunction(cloudformation.Sub("${AWS::StackName}-rewrite"),
		"Redirects www to the apex; rewrites /path/ to /path/index.html", hexoRewriteJS),
		"Pretty URLs and the www redirect, run on every viewer request")
	site := StaticSite{
		Comment:         "Hexo site",
		Aliases:         []string{cloudformation.Ref("DomainName"), cloudformation.Sub("www.${DomainName}")},
		CertificateArn:  cloudformation.Ref(hexoCertificate),
		BucketDomain:    cloudformation.GetAtt(hexoBucket, "RegionalDomainName"),
		AccessControlID: cloudformation.GetAtt("OriginAccessControl", "Id"),
		HeadersPolicyID: cloudformation.GetAtt("SecurityHeaders", "Id"),
		FunctionArn:     cloudformation.GetAtt("RewriteFunction", "FunctionARN"),
		RootObject:      "index.html",
		NotFoundPage:    "/404.html",
		PriceClass:      cloudformation.Ref("PriceClass"),
	}
	t.Resource(hexoDistribution, site.Distribution(), "Serves the site over HTTPS at the apex and www")
}

func hexoRecords(t *templates.Template) {
	names := map[string]string{"Apex": cloudformation.Ref("DomainName"), "Www": cloudformation.Sub("www.${DomainName}")}
	for _, host := range []string{"Apex", "Www"} {
		for _, recordType := range []string{"A", "AAAA"} {
			t.Resource(host+recordType+"Record",
				AliasRecord(cloudformation.Ref("HostedZoneId"), names[host], recordType, hexoDistribution),
				"")
		}
	}
}

func hexoSiteOutputs(t *templates.Template) {
	t.Output("SiteUrl", cloudformation.Output{
		Value:       cloudformation.Sub("https://${DomainName}/"),
		Description: cloudformation.String("The site"),
	})
	t.Output("DistributionId", cloudformation.Output{
		Value:       cloudformation.Ref(hexoDistribution),
		Description: cloudformation.String("CloudFront distribution to invalidate after a manual sync"),
	})
	t.Output("ContentBucketName", cloudformation.Output{
		Value:       cloudformation.Ref(hexoBucket),
		Description: cloudformation.String("Bucket the build syncs public/ to"),
	})
}

// privateBucket is encrypted, owner-enforced, with every public access
// blocked. TODO: replace with the shared bucket block once it lands.
func privateBucket() *s3.Bucket {
	return &s3.Bucket{
		BucketEncryption: &s3.Bucket_BucketEncryption{ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
			ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"},
		}}},
		OwnershipControls: &s3.Bucket_OwnershipControls{Rules: []s3.Bucket_OwnershipControlsRule{{
			ObjectOwnership: cloudformation.String("BucketOwnerEnforced"),
		}}},
		PublicAccessBlockConfiguration: &s3.Bucket_PublicAccessBlockConfiguration{
			BlockPublicAcls: cloudformation.Bool(true), BlockPublicPolicy: cloudformation.Bool(true),
			IgnorePublicAcls: cloudformation.Bool(true), RestrictPublicBuckets: cloudformation.Bool(true),
		},
	}
}

// denyInsecureTransport refuses any request to the bucket not made over TLS.
func denyInsecureTransport(bucket string) Statement {
	return Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{Arn(bucket), cloudformation.Sub("${" + bucket + ".Arn}/*")},
	}.When("Bool", "aws:SecureTransport", "false")
}
