package rules

import "github.com/formwork-dev/formwork/templates"

var cloudfrontTLSPolicy = templates.Rule{
	ID:      "cloudfront_tls_policy",
	Summary: "CloudFront requires TLSv1.2_2021 or newer",
	Why:     "older security policies accept TLS 1.0 and 1.1 and weak ciphers",
	Check:   reported(checkCloudFrontTLS),
}

// currentTLSPolicies are the CloudFront security policies that require
// TLS 1.2 or later with current ciphers (the same list as
// stacks/testdata/guard/cloudfront.guard).
var currentTLSPolicies = map[string]bool{"TLSv1.2_2021": true, "TLSv1.2_2025": true, "TLSv1.3_2025": true}

func checkCloudFrontTLS(r ruleReport, tree *templates.Map) {
	for _, d := range distributionConfigs(tree) {
		policy := templates.StringAt(d.Properties, "DistributionConfig", "ViewerCertificate", "MinimumProtocolVersion")
		if !currentTLSPolicies[policy] {
			r.add(d.ID, "Properties.DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
				"the distribution accepts %q: use an ACM certificate with MinimumProtocolVersion TLSv1.2_2021 or newer", policy)
		}
	}
}
