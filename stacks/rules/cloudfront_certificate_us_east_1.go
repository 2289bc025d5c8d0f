package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var cloudfrontCertificateUSEast1 = templates.Rule{
	ID:      "cloudfront_certificate_us_east_1",
	Summary: "a CloudFront certificate is guaranteed to be in us-east-1",
	Why:     "CloudFront rejects any other region, at deploy time, after the rest of the stack was created",
	Check:   checkCertificateRegion,
}

// checkCertificateRegion refuses a CloudFront distribution whose ACM
// certificate is not guaranteed to be in us-east-1, which CloudFront would
// only reject at deploy time, after the rest of the stack was created.
func checkCertificateRegion(stack string, tree *templates.Map) []templates.Finding {
	resources := templates.Section(tree, "Resources")
	pinned := templates.PinnedRegion(tree) == CertificateRegion
	var out []templates.Finding
	for _, distribution := range templates.ResourcesOfType(tree, "AWS::CloudFront::Distribution") {
		arn, ok := templates.Lookup(distribution.Properties, "DistributionConfig", "ViewerCertificate", "AcmCertificateArn")
		if !ok {
			continue
		}
		if why := certificateNotInUSEast1(arn, resources, pinned); why != "" {
			out = append(out, templates.Finding{
				Stack: stack, LogicalID: distribution.ID,
				Path:    "Properties.DistributionConfig.ViewerCertificate.AcmCertificateArn",
				Message: why + ": CloudFront only accepts certificates from us-east-1. " + certificateFix,
			})
		}
	}
	return out
}

const certificateFix = "Use an ARN literal containing :us-east-1:, or create the AWS::CertificateManager::Certificate in this template " +
	"and add a Rules assertion !Equals [!Ref AWS::Region, us-east-1] (stacks.RegionRule)"

// certificateNotInUSEast1 says why arn may name a certificate outside
// us-east-1, or returns "" when it cannot.
func certificateNotInUSEast1(arn any, resources *templates.Map, pinned bool) string {
	const inRegion = ":" + CertificateRegion + ":"
	switch v := arn.(type) {
	case string:
		if strings.Contains(v, inRegion) {
			return ""
		}
		return fmt.Sprintf("certificate ARN %q does not name region us-east-1", v)
	case templates.Fn:
		return fnNotInUSEast1(v, resources, pinned, inRegion)
	}
	return fmt.Sprintf("certificate ARN %v is not a string or an intrinsic function", arn)
}

func fnNotInUSEast1(fn templates.Fn, resources *templates.Map, pinned bool, inRegion string) string {
	switch fn.Name {
	case templates.FnRef:
		name, _ := fn.Arg.(string)
		switch {
		case templates.StringAt(resources, name, "Type") != "AWS::CertificateManager::Certificate":
			return fmt.Sprintf("!Ref %s is not an AWS::CertificateManager::Certificate of this template, so its region is unknown", name)
		case !pinned:
			return fmt.Sprintf("certificate %s is created in whatever region the stack is deployed to, and no Rules assertion pins that region", name)
		}
		return ""
	case templates.FnSub:
		if text, ok := fn.Arg.(string); ok && strings.Contains(text, inRegion) {
			return ""
		}
	}
	return fmt.Sprintf("the certificate ARN is computed by %s, so its region is unknown", fn.Name)
}
