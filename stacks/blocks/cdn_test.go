package blocks

import (
	"errors"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// siteWithCertificate renders a minimal distribution whose certificate ARN is
// arn, after letting declare add whatever else the case needs.
func siteWithCertificate(arn string, declare func(t *templates.Template)) error {
	t := templates.New("cert-test", "certificate region check")
	t.Parameter("CertificateArn", cloudformation.Parameter{Type: "String"})
	t.Parameter("HostedZoneId", cloudformation.Parameter{Type: "AWS::Route53::HostedZone::Id"})
	PrivateBucket{ID: "Bucket", Retention: Transient}.Add(t)
	if declare != nil {
		declare(t)
	}
	site := StaticSite{
		Aliases: []string{"example.com"}, CertificateArn: arn,
		BucketDomain: cloudformation.GetAtt("Bucket", "RegionalDomainName"),
		RootObject:   "index.html", NotFoundPage: "/404.html", PriceClass: "PriceClass_100",
	}
	t.Resource("Distribution", site.Distribution(), "")
	_, err := templates.Render(t, templates.YAML, rules.All())
	return err
}

func certificate(t *templates.Template) {
	t.Resource("Certificate", DNSValidatedCertificate(cloudformation.Ref("HostedZoneId"), "example.com"), "")
}

func pinToUSEast1(t *templates.Template) {
	t.Rule("InUsEast1", RegionRule("us-east-1", "CloudFront needs us-east-1"))
}

func TestCertificateRegionAccepted(t *testing.T) {
	cases := map[string]struct {
		arn     string
		declare func(*templates.Template)
	}{
		"literal ARN in us-east-1": {"arn:aws:acm:us-east-1:123456789012:certificate/abc", nil},
		"Sub text in us-east-1":    {cloudformation.Sub("arn:${AWS::Partition}:acm:us-east-1:${AWS::AccountId}:certificate/abc"), nil},
		"certificate and rule": {cloudformation.Ref("Certificate"), func(t *templates.Template) {
			certificate(t)
			pinToUSEast1(t)
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if err := siteWithCertificate(c.arn, c.declare); err != nil {
				t.Fatalf("want no finding, got:\n%v", err)
			}
		})
	}
}

func TestCertificateRegionRefused(t *testing.T) {
	cases := map[string]struct {
		arn     string
		declare func(*templates.Template)
		want    string
	}{
		"certificate without rule": {cloudformation.Ref("Certificate"), certificate,
			"certificate Certificate is created in whatever region the stack is deployed to, and no Rules assertion pins that region"},
		"rule for another region": {cloudformation.Ref("Certificate"), func(t *templates.Template) {
			certificate(t)
			t.Rule("InEu", RegionRule("eu-west-1", "elsewhere"))
		}, "no Rules assertion pins that region"},
		"conditional rule": {cloudformation.Ref("Certificate"), func(t *templates.Template) {
			certificate(t)
			rule := RegionRule("us-east-1", "only sometimes")
			rule["RuleCondition"] = cloudformation.Equals(cloudformation.Ref("CertificateArn"), "")
			t.Rule("Sometimes", rule)
		}, "no Rules assertion pins that region"},
		"parameter": {cloudformation.Ref("CertificateArn"), pinToUSEast1,
			"!Ref CertificateArn is not an AWS::CertificateManager::Certificate of this template"},
		"literal ARN elsewhere": {"arn:aws:acm:eu-west-1:123456789012:certificate/abc", nil,
			`certificate ARN "arn:aws:acm:eu-west-1:123456789012:certificate/abc" does not name region us-east-1`},
		"Sub with region variable": {cloudformation.Sub("arn:aws:acm:${AWS::Region}:123456789012:certificate/abc"), pinToUSEast1,
			"computed by Fn::Sub"},
		"imported": {cloudformation.ImportValue("SharedCertificate"), nil, "computed by Fn::ImportValue"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := siteWithCertificate(c.arn, c.declare)
			var findings templates.Findings
			if !errors.As(err, &findings) || len(findings) != 1 {
				t.Fatalf("want one finding, got %v", err)
			}
			msg := findings[0].String()
			prefix := "cert-test: Distribution: Properties.DistributionConfig.ViewerCertificate.AcmCertificateArn: "
			for _, want := range []string{prefix, c.want, "CloudFront only accepts certificates from us-east-1", "Rules assertion"} {
				if !strings.Contains(msg, want) {
					t.Errorf("finding %q\nlacks %q", msg, want)
				}
			}
		})
	}
}

func TestDistributionWithoutCustomCertificateIsNotChecked(t *testing.T) {
	tpl := templates.New("no-cert", "")
	PrivateBucket{ID: "Bucket", Retention: Transient}.Add(tpl)
	site := StaticSite{BucketDomain: cloudformation.GetAtt("Bucket", "RegionalDomainName"), RootObject: "index.html",
		NotFoundPage: "/404.html", PriceClass: "PriceClass_100"}
	d := site.Distribution()
	d.DistributionConfig.ViewerCertificate = nil
	tpl.Resource("Distribution", d, "")
	tpl.Waive("Distribution", "cloudfront_tls_policy", "the default *.cloudfront.net certificate takes no security policy; this test is about the region check")
	if _, err := templates.Render(tpl, templates.YAML, rules.All()); err != nil {
		t.Fatalf("a distribution on the default certificate needs no region guarantee, got:\n%v", err)
	}
}
