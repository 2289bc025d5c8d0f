package stacks

import (
	_ "embed"
	"slices"

	"github.com/formwork-dev/formwork/stacks/blocks"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// hexoRewriteJS is the viewer-request function: www → apex redirect and
// Hexo's pretty URLs (/post/ → /post/index.html).
//
//go:embed assets/hexo-rewrite.js
var hexoRewriteJS string

// HexoSite is the hexo-site stack: options that change the template's shape.
type HexoSite struct {
	// NodeVersion is the Node.js major version of the build; "" is 22.
	NodeVersion string
	// InstallCommands install the site's dependencies; nil is npm ci.
	InstallCommands []string
	// BuildCommands generate the site into public/; nil is npx hexo
	// generate. The build then syncs public/ and invalidates the cache.
	BuildCommands []string
	// WithoutAccessLogs drops the log bucket that receives the S3 server
	// access logs of the content and artifact buckets and CloudFront's
	// standard logs. Logging is on by default.
	WithoutAccessLogs bool
}

// Stack is the hexo-site stack with these options.
func (o HexoSite) Stack() templates.Stack {
	return templates.Stack{
		Name:        "hexo-site",
		Description: "Hexo static website: private S3 bucket behind CloudFront (OAC, ACM certificate, security headers) under a Route 53 domain, rebuilt by a pipeline on every push",
		Build:       o.build,
	}
}

// Logical ids the site's resources refer to each other by.
const (
	hexoBucket       = "ContentBucket"
	hexoDistribution = "Distribution"
	hexoCertificate  = "Certificate"
	hexoArtifacts    = "ArtifactBucket"
)

func (o HexoSite) build(t *templates.Template) {
	hexoSiteParameters(t)
	repo := blocks.GitHubRepoParameters(t)
	t.Rule("DeployInUsEast1", blocks.RegionRule(blocks.CertificateRegion,
		"Deploy this stack in us-east-1: CloudFront only accepts ACM certificates from that region."))
	logs := addAccessLogs(t, o.WithoutAccessLogs, true)
	hexoContent(t, logs)
	hexoCDN(t, logs)
	hexoRecords(t)
	o.pipeline(t, repo, logs)
	hexoSiteOutputs(t)
	blocks.PipelineOutputs{Pipeline: "Pipeline"}.Add(t)
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
func hexoContent(t *templates.Template, logs string) {
	blocks.PrivateBucket{
		ID:         hexoBucket,
		Comment:    "Holds the generated site; private, read only by this stack's distribution. Transient: every build regenerates it",
		Statements: []blocks.Statement{blocks.ReadByCloudFront(hexoBucket, hexoDistribution)},
		Retention:  blocks.Transient,
		AccessLogs: logs,
	}.Add(t)
}

func hexoCDN(t *templates.Template, logs string) {
	t.Resource(hexoCertificate, blocks.DNSValidatedCertificate(cloudformation.Ref("HostedZoneId"),
		cloudformation.Ref("DomainName"), cloudformation.Sub("www.${DomainName}")),
		"HTTPS certificate for the apex and www, validated through the hosted zone")
	t.Resource("OriginAccessControl", blocks.S3OriginAccessControl(cloudformation.Sub("${AWS::StackName}-content"),
		"CloudFront signs its requests to the content bucket"), "Lets CloudFront read the private bucket")
	t.Resource("SecurityHeaders", blocks.SecurityHeadersPolicy(cloudformation.Sub("${AWS::StackName}-security-headers"),
		"HSTS, nosniff, frame denial and referrer policy on every response"), "Security headers on every response")
	t.Resource("RewriteFunction", blocks.ViewerRequestFunction(cloudformation.Sub("${AWS::StackName}-rewrite"),
		"Redirects www to the apex; rewrites /path/ to /path/index.html", hexoRewriteJS),
		"Pretty URLs and the www redirect, run on every viewer request")
	blocks.StaticSite{
		ID:              hexoDistribution,
		Comment:         "Serves the site over HTTPS at the apex and www",
		Description:     "Hexo site",
		Aliases:         []string{cloudformation.Ref("DomainName"), cloudformation.Sub("www.${DomainName}")},
		CertificateArn:  cloudformation.Ref(hexoCertificate),
		BucketDomain:    cloudformation.GetAtt(hexoBucket, "RegionalDomainName"),
		AccessControlID: cloudformation.GetAtt("OriginAccessControl", "Id"),
		HeadersPolicyID: cloudformation.GetAtt("SecurityHeaders", "Id"),
		FunctionArn:     cloudformation.GetAtt("RewriteFunction", "FunctionARN"),
		RootObject:      "index.html",
		NotFoundPage:    "/404.html",
		PriceClass:      cloudformation.Ref("PriceClass"),
		LogBucket:       logs,
	}.Add(t)
}

// hexoPipeline rebuilds the site on every push to the branch.
func (o HexoSite) pipeline(t *templates.Template, repo blocks.GitHubRepo, logs string) {
	addArtifactBucket(t, hexoArtifacts, logs)
	build := o.buildProject()
	build.Add(t)
	blocks.Pipeline{
		ID:             "Pipeline",
		Comment:        "Checks out the site's repository on every push and runs SiteBuild on it",
		ArtifactBucket: hexoArtifacts,
		Stages: []blocks.Stage{
			{Name: "Source", Actions: []blocks.Action{blocks.SourceAction("Source", repo, "Source")}},
			{Name: "BuildAndPublish", Actions: []blocks.Action{blocks.BuildAction("BuildAndPublish", build.ID, "Source")}},
		},
	}.Add(t)
}

var recordComments = map[string]string{
	"ApexA": "Points the domain at the distribution (IPv4)", "ApexAAAA": "Points the domain at the distribution (IPv6)",
	"WwwA":    "Points www at the distribution (IPv4), whose function redirects it to the domain",
	"WwwAAAA": "Points www at the distribution (IPv6)",
}

func hexoRecords(t *templates.Template) {
	names := map[string]string{"Apex": cloudformation.Ref("DomainName"), "Www": cloudformation.Sub("www.${DomainName}")}
	for _, host := range []string{"Apex", "Www"} {
		for _, recordType := range []string{"A", "AAAA"} {
			t.Resource(host+recordType+"Record",
				blocks.AliasRecord(cloudformation.Ref("HostedZoneId"), names[host], recordType, hexoDistribution),
				recordComments[host+recordType])
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

// Cache-Control headers the build writes. Browsers revalidate HTML on every
// visit and keep other files a day (Hexo does not fingerprint asset names);
// CloudFront keeps both a year (s-maxage), because every build invalidates it.
const (
	hexoHTMLCacheControl  = "public, max-age=0, s-maxage=31536000, must-revalidate"
	hexoAssetCacheControl = "public, max-age=86400, s-maxage=31536000"
)

// buildspec generates the site and publishes it: assets first, then HTML,
// so a page never links to an asset not uploaded yet; files gone from public/
// are deleted; the cache is invalidated last. Everything runs in the build
// phase, which, unlike post_build, does not run after a failed step.
func (o HexoSite) buildspec() blocks.Buildspec {
	install, generate := o.buildSteps()
	return blocks.Buildspec{Phases: blocks.BuildPhases{
		Install: &blocks.BuildPhase{RuntimeVersions: map[string]string{"nodejs": o.nodeVersion()}, Commands: install},
		Build: blocks.Commands(append(generate,
			`aws s3 sync public/ "s3://${SITE_BUCKET}/" --delete --exclude "*.html" --cache-control "`+hexoAssetCacheControl+`"`,
			`aws s3 sync public/ "s3://${SITE_BUCKET}/" --delete --exclude "*" --include "*.html" --cache-control "`+hexoHTMLCacheControl+`"`,
			`aws cloudfront create-invalidation --distribution-id "${DISTRIBUTION_ID}" --paths "/*"`,
		)...),
	}}
}

func (o HexoSite) nodeVersion() string {
	if o.NodeVersion == "" {
		return "22"
	}
	return o.NodeVersion
}

// buildSteps are the install and generate commands, defaults filled in.
func (o HexoSite) buildSteps() (install, generate []string) {
	install, generate = o.InstallCommands, slices.Clone(o.BuildCommands)
	if install == nil {
		install = []string{"npm ci"}
	}
	if generate == nil {
		generate = []string{"npx hexo generate"}
	}
	return install, generate
}

// buildProject is the CodeBuild project the pipeline runs: it may write the
// content bucket and invalidate the distribution, nothing more.
func (o HexoSite) buildProject() blocks.BuildProject {
	return blocks.BuildProject{
		ID:          "SiteBuild",
		Comment:     "Generates the site with Hexo, syncs it to the content bucket and invalidates the cache",
		Description: "npm ci, hexo generate, sync public/ to the content bucket, invalidate CloudFront",
		Source:      blocks.FromPipeline(hexoArtifacts),
		Buildspec:   o.buildspec(),
		Environment: []blocks.EnvVar{
			{Name: "SITE_BUCKET", Value: cloudformation.Ref(hexoBucket)},
			{Name: "DISTRIBUTION_ID", Value: cloudformation.Ref(hexoDistribution)},
		},
		TimeoutMinutes: 20,
		Statements: []blocks.Statement{
			blocks.Allow([]string{"s3:ListBucket"}, blocks.Arn(hexoBucket)),
			blocks.Allow([]string{"s3:DeleteObject", "s3:PutObject"}, blocks.Objects(hexoBucket)),
			blocks.Allow([]string{"cloudfront:CreateInvalidation"}, blocks.DistributionArn(hexoDistribution)),
		},
	}
}
