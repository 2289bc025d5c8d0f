package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

var cloudfrontViewerHTTPS = templates.Rule{
	ID:      "cloudfront_viewer_https",
	Summary: "CloudFront serves viewers over HTTPS only",
	Why:     "a behavior that allows HTTP lets anyone on the path read and rewrite the page",
	Check:   reported(checkViewerHTTPS),
}

// viewerHTTPSPolicies are the viewer protocol policies that never serve
// plain HTTP.
var viewerHTTPSPolicies = map[string]bool{"redirect-to-https": true, "https-only": true}

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
