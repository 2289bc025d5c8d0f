package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

// viewerHTTPSPolicies are the viewer protocol policies that never serve
// plain HTTP.
var viewerHTTPSPolicies = map[string]bool{"redirect-to-https": true, "https-only": true}

// currentTLSPolicies are the CloudFront security policies that require
// TLS 1.2 or later with current ciphers (the same list as
// stacks/testdata/guard/cloudfront.guard).
var currentTLSPolicies = map[string]bool{"TLSv1.2_2021": true, "TLSv1.2_2025": true, "TLSv1.3_2025": true}

func distributionConfigs(tree *templates.Map) []templates.Resource {
	return templates.ResourcesOfType(tree, "AWS::CloudFront::Distribution")
}

func checkViewerHTTPS(r ruleReport, tree *templates.Map) {
	for _, d := range distributionConfigs(tree) {
		config := templates.ValueAt(d.Properties, "DistributionConfig")
		if !viewerHTTPSPolicies[templates.StringAt(config, "DefaultCacheBehavior", "ViewerProtocolPolicy")] {
			r.add(d.ID, "Properties.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy",
				"the default cache behavior serves plain HTTP: set ViewerProtocolPolicy to redirect-to-https or https-only")
		}
		for i, b := range templates.ListAt(config, "CacheBehaviors") {
			if !viewerHTTPSPolicies[templates.StringAt(b, "ViewerProtocolPolicy")] {
				r.add(d.ID, fmt.Sprintf("Properties.DistributionConfig.CacheBehaviors[%d].ViewerProtocolPolicy", i),
					"a cache behavior serves plain HTTP: set ViewerProtocolPolicy to redirect-to-https or https-only")
			}
		}
	}
}

func checkCloudFrontTLS(r ruleReport, tree *templates.Map) {
	for _, d := range distributionConfigs(tree) {
		policy := templates.StringAt(d.Properties, "DistributionConfig", "ViewerCertificate", "MinimumProtocolVersion")
		if !currentTLSPolicies[policy] {
			r.add(d.ID, "Properties.DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
				"the distribution accepts %q: use an ACM certificate with MinimumProtocolVersion TLSv1.2_2021 or newer", policy)
		}
	}
}
