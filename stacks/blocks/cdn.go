package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/certificatemanager"
	"github.com/awslabs/goformation/v7/cloudformation/cloudfront"
	"github.com/awslabs/goformation/v7/cloudformation/route53"
	"github.com/formwork-dev/formwork/stacks/rules"
)

// Building blocks for serving a private S3 bucket through CloudFront under a
// custom domain: origin access control, security headers, a viewer-request
// function, a DNS-validated certificate and alias records.

const (
	// CachingOptimizedPolicyID is CloudFront's managed cache policy for
	// static content: long TTLs, no cookies, headers or query strings in the
	// cache key, gzip and brotli.
	CachingOptimizedPolicyID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// CloudFrontHostedZoneID is the Route 53 zone every CloudFront
	// distribution lives in; alias records to a distribution name it.
	CloudFrontHostedZoneID = "Z2FDTNDATAQYW2"
	// CertificateRegion is the only region whose ACM certificates CloudFront
	// accepts.
	CertificateRegion = rules.CertificateRegion
	// hstsMaxAgeSeconds is two years: browsers remember HTTPS-only that long.
	hstsMaxAgeSeconds = 63072000
)

// S3OriginAccessControl lets CloudFront sign its requests to an S3 origin
// (SigV4, always), so the bucket can stay private.
func S3OriginAccessControl(name, description string) *cloudfront.OriginAccessControl {
	return &cloudfront.OriginAccessControl{
		OriginAccessControlConfig: &cloudfront.OriginAccessControl_OriginAccessControlConfig{
			Name:                          name,
			Description:                   cloudformation.String(description),
			OriginAccessControlOriginType: "s3",
			SigningBehavior:               "always",
			SigningProtocol:               "sigv4",
		},
	}
}

// SecurityHeadersPolicy adds HSTS (two years, subdomains), nosniff,
// X-Frame-Options DENY and a strict referrer policy to every response,
// overriding whatever the origin sent.
func SecurityHeadersPolicy(name, comment string) *cloudfront.ResponseHeadersPolicy {
	return &cloudfront.ResponseHeadersPolicy{
		ResponseHeadersPolicyConfig: &cloudfront.ResponseHeadersPolicy_ResponseHeadersPolicyConfig{
			Name:    name,
			Comment: cloudformation.String(comment),
			SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicy_SecurityHeadersConfig{
				StrictTransportSecurity: &cloudfront.ResponseHeadersPolicy_StrictTransportSecurity{
					AccessControlMaxAgeSec: hstsMaxAgeSeconds,
					IncludeSubdomains:      cloudformation.Bool(true),
					Override:               true,
				},
				ContentTypeOptions: &cloudfront.ResponseHeadersPolicy_ContentTypeOptions{Override: true},
				FrameOptions:       &cloudfront.ResponseHeadersPolicy_FrameOptions{FrameOption: "DENY", Override: true},
				ReferrerPolicy: &cloudfront.ResponseHeadersPolicy_ReferrerPolicy{
					ReferrerPolicy: "strict-origin-when-cross-origin",
					Override:       true,
				},
			},
		},
	}
}

// ViewerRequestFunction is a published CloudFront Function (JavaScript
// runtime 2.0) meant for the viewer-request event.
func ViewerRequestFunction(name, comment, code string) *cloudfront.Function {
	return &cloudfront.Function{
		Name:           name,
		AutoPublish:    cloudformation.Bool(true),
		FunctionConfig: &cloudfront.Function_FunctionConfig{Comment: comment, Runtime: "cloudfront-js-2.0"},
		FunctionCode:   code,
	}
}

// DNSValidatedCertificate is an ACM certificate for domains (the first is
// the certificate's name, the rest its alternative names), validated by
// records that ACM writes into the hosted zone itself.
func DNSValidatedCertificate(hostedZoneID string, domains ...string) *certificatemanager.Certificate {
	options := make([]certificatemanager.Certificate_DomainValidationOption, len(domains))
	for i, d := range domains {
		options[i] = certificatemanager.Certificate_DomainValidationOption{
			DomainName: d, HostedZoneId: cloudformation.String(hostedZoneID),
		}
	}
	return &certificatemanager.Certificate{
		DomainName:              domains[0],
		SubjectAlternativeNames: domains[1:],
		ValidationMethod:        cloudformation.String("DNS"),
		DomainValidationOptions: options,
	}
}

// RegionRule is a Rules entry that fails the deployment before any resource
// is created unless the stack is deployed in region.
func RegionRule(region, why string) map[string]any {
	return map[string]any{
		"Assertions": []any{map[string]any{
			"Assert":            cloudformation.Equals(cloudformation.Ref("AWS::Region"), region),
			"AssertDescription": why,
		}},
	}
}

// StaticSite describes a distribution that serves a private S3 bucket under
// custom domain names. Fields may hold intrinsics.
type StaticSite struct {
	Aliases         []string // domain names served, all covered by the certificate
	CertificateArn  string   // ACM certificate in us-east-1
	BucketDomain    string   // the bucket's RegionalDomainName
	AccessControlID string   // S3OriginAccessControl id
	HeadersPolicyID string   // SecurityHeadersPolicy id
	FunctionArn     string   // viewer-request function ARN
	RootObject      string   // served for "/", e.g. index.html
	NotFoundPage    string   // path served with status 404, e.g. /404.html
	PriceClass      string   // PriceClass_100, PriceClass_200 or PriceClass_All
	Comment         string
	// LogBucket, if set, is the logical id of a LogBucket with CloudFront
	// on: the distribution's standard logs go there, under cloudfront/.
	LogBucket string
}

const siteOriginID = "content"

// Distribution is the CloudFront distribution for the site: HTTPS only
// (HTTP redirected), TLS 1.2 or later, HTTP/2 and HTTP/3, IPv6, compressed,
// cached with CachingOptimized.
func (s StaticSite) Distribution() *cloudfront.Distribution {
	return &cloudfront.Distribution{DistributionConfig: &cloudfront.Distribution_DistributionConfig{
		Comment:              cloudformation.String(s.Comment),
		Enabled:              true,
		Aliases:              s.Aliases,
		ViewerCertificate:    s.viewerCertificate(),
		HttpVersion:          cloudformation.String("http2and3"),
		IPV6Enabled:          cloudformation.Bool(true),
		PriceClass:           cloudformation.String(s.PriceClass),
		DefaultRootObject:    cloudformation.String(s.RootObject),
		Origins:              []cloudfront.Distribution_Origin{s.origin()},
		DefaultCacheBehavior: s.defaultBehavior(),
		CustomErrorResponses: s.notFoundResponses(),
		Logging:              s.logging(),
	}}
}

func (s StaticSite) logging() *cloudfront.Distribution_Logging {
	if s.LogBucket == "" {
		return nil
	}
	return &cloudfront.Distribution_Logging{
		Bucket:         cloudformation.GetAtt(s.LogBucket, "DomainName"),
		Prefix:         cloudformation.String("cloudfront/"),
		IncludeCookies: cloudformation.Bool(false),
	}
}

func (s StaticSite) viewerCertificate() *cloudfront.Distribution_ViewerCertificate {
	return &cloudfront.Distribution_ViewerCertificate{
		AcmCertificateArn:      cloudformation.String(s.CertificateArn),
		MinimumProtocolVersion: cloudformation.String("TLSv1.2_2021"),
		SslSupportMethod:       cloudformation.String("sni-only"),
	}
}

func (s StaticSite) origin() cloudfront.Distribution_Origin {
	return cloudfront.Distribution_Origin{
		Id:                    siteOriginID,
		DomainName:            s.BucketDomain,
		OriginAccessControlId: cloudformation.String(s.AccessControlID),
		// Empty: access goes through the origin access control, not a legacy identity.
		S3OriginConfig: &cloudfront.Distribution_S3OriginConfig{OriginAccessIdentity: cloudformation.String("")},
	}
}

func (s StaticSite) defaultBehavior() *cloudfront.Distribution_DefaultCacheBehavior {
	return &cloudfront.Distribution_DefaultCacheBehavior{
		TargetOriginId:          siteOriginID,
		ViewerProtocolPolicy:    "redirect-to-https",
		AllowedMethods:          []string{"GET", "HEAD"},
		CachePolicyId:           cloudformation.String(CachingOptimizedPolicyID),
		ResponseHeadersPolicyId: cloudformation.String(s.HeadersPolicyID),
		Compress:                cloudformation.Bool(true),
		FunctionAssociations: []cloudfront.Distribution_FunctionAssociation{{
			EventType:   cloudformation.String("viewer-request"),
			FunctionARN: cloudformation.String(s.FunctionArn),
		}},
	}
}

// notFoundResponses serves the not-found page for 404 and for 403, which is
// what S3 answers for a missing key when the reader may not list the bucket.
func (s StaticSite) notFoundResponses() []cloudfront.Distribution_CustomErrorResponse {
	var out []cloudfront.Distribution_CustomErrorResponse
	for _, code := range []int{403, 404} {
		out = append(out, cloudfront.Distribution_CustomErrorResponse{
			ErrorCode:          code,
			ResponseCode:       cloudformation.Int(404),
			ResponsePagePath:   cloudformation.String(s.NotFoundPage),
			ErrorCachingMinTTL: cloudformation.Float64(60),
		})
	}
	return out
}

// DistributionArn is the ARN of a distribution declared in the template, as
// bucket policies name it in AWS:SourceArn.
func DistributionArn(logicalID string) string {
	return cloudformation.Sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${" + logicalID + "}")
}

// ReadByCloudFront lets one distribution, and nothing else, read objects
// through its origin access control.
func ReadByCloudFront(bucketLogicalID, distributionLogicalID string) Statement {
	return Statement{
		Sid:       "ReadByCloudFrontOnly",
		Effect:    "Allow",
		Principal: ServicePrincipal("cloudfront.amazonaws.com"),
		Action:    []string{"s3:GetObject"},
		Resource:  []string{Objects(bucketLogicalID)},
	}.When("StringEquals", "AWS:SourceArn", DistributionArn(distributionLogicalID))
}

// AliasRecord points name at a distribution. recordType is A or AAAA.
func AliasRecord(hostedZoneID, name, recordType, distributionLogicalID string) *route53.RecordSet {
	return &route53.RecordSet{
		HostedZoneId: cloudformation.String(hostedZoneID),
		Name:         name,
		Type:         recordType,
		AliasTarget: &route53.RecordSet_AliasTarget{
			DNSName:      cloudformation.GetAtt(distributionLogicalID, "DomainName"),
			HostedZoneId: CloudFrontHostedZoneID,
		},
	}
}
