package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"

	"github.com/formwork-dev/formwork/templates"
	"gopkg.in/yaml.v3"
)

func hexoTree(t *testing.T) *templates.Map {
	t.Helper()
	s := HexoSite{}.Stack()
	tree, err := s.Template().Tree()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// The requirements of the issue that a refactoring could silently drop.
func TestHexoSiteRequirements(t *testing.T) {
	res := templates.Section(hexoTree(t), "Resources")
	want := map[string]any{
		"ContentBucket.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets":                         true,
		"ContentBucket.Properties.WebsiteConfiguration":                                                         nil,
		"Distribution.Properties.DistributionConfig.ViewerCertificate.MinimumProtocolVersion":                   "TLSv1.2_2021",
		"Distribution.Properties.DistributionConfig.HttpVersion":                                                "http2and3",
		"Distribution.Properties.DistributionConfig.IPV6Enabled":                                                true,
		"Distribution.Properties.DistributionConfig.DefaultRootObject":                                          "index.html",
		"Distribution.Properties.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy":                  "redirect-to-https",
		"Distribution.Properties.DistributionConfig.DefaultCacheBehavior.Compress":                              true,
		"Distribution.Properties.DistributionConfig.DefaultCacheBehavior.CachePolicyId":                         blocks.CachingOptimizedPolicyID,
		"RewriteFunction.Properties.FunctionConfig.Runtime":                                                     "cloudfront-js-2.0",
		"SecurityHeaders.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions.FrameOption": "DENY",
		"Certificate.Properties.ValidationMethod":                                                               "DNS",
	}
	for path, w := range want {
		got, ok := templates.Lookup(res, strings.Split(path, ".")...)
		if w == nil {
			if ok {
				t.Errorf("%s must not be set, got %v", path, got)
			}
			continue
		}
		if !ok || got != w {
			t.Errorf("%s = %v, want %v", path, got, w)
		}
	}
	for _, id := range []string{"ApexARecord", "ApexAAAARecord", "WwwARecord", "WwwAAAARecord"} {
		if templates.StringAt(res, id, "Type") != "AWS::Route53::RecordSet" {
			t.Errorf("%s: want an alias record", id)
		}
	}
}

// The bucket policy must let only this stack's distribution read.
func TestHexoBucketReadOnlyByDistribution(t *testing.T) {
	res := templates.Section(hexoTree(t), "Resources")
	stmts, _ := templates.Lookup(res, "ContentBucketPolicy", "Properties", "PolicyDocument", "Statement")
	list, _ := stmts.([]any)
	var found bool
	for _, s := range list {
		m := s.(*templates.Map)
		if effect, _ := m.Get("Effect"); effect != "Allow" {
			continue
		}
		found = true
		arn, ok := templates.Lookup(m, "Condition", "StringEquals", "AWS:SourceArn")
		fn, isFn := arn.(templates.Fn)
		if !ok || !isFn || !strings.HasSuffix(fn.Arg.(string), "distribution/${Distribution}") {
			t.Errorf("Allow statement is not conditioned on the distribution's ARN: %v", arn)
		}
	}
	if !found {
		t.Fatal("no Allow statement for CloudFront in the bucket policy")
	}
}

// The function code must come out of the YAML exactly as it went in: blank
// lines inside the literal block included.
func TestHexoFunctionCodeRoundTrips(t *testing.T) {
	s := HexoSite{}.Stack()
	body, err := s.Render(templates.YAML, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	node := yamlPath(doc.Content[0], "Resources", "RewriteFunction", "Properties", "FunctionCode")
	if node == nil || node.Value != hexoRewriteJS {
		t.Fatalf("FunctionCode in the YAML differs from assets/hexo-rewrite.js")
	}
}

func yamlPath(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		var next *yaml.Node
		for i := 0; n != nil && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// rewriteCase is one viewer request and what the function must do with it.
type rewriteCase struct {
	Host     string                       `json:"host"`
	URI      string                       `json:"uri"`
	Query    map[string]map[string]string `json:"query,omitempty"`
	WantURI  string                       `json:"wantUri,omitempty"`  // request passed on with this URI
	Location string                       `json:"location,omitempty"` // or a 301 to this location
}

// TestHexoRewriteFunction runs the CloudFront Function under node (skipped
// when node is not installed).
func TestHexoRewriteFunction(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		missingTool(t, "node is not on PATH, so the rewrite function was not run")
	}
	cases := []rewriteCase{
		{Host: "example.com", URI: "/", WantURI: "/index.html"},
		{Host: "example.com", URI: "/2024/05/01/hello/", WantURI: "/2024/05/01/hello/index.html"},
		{Host: "example.com", URI: "/css/style.css", WantURI: "/css/style.css"},
		{Host: "example.com", URI: "/about", Location: "/about/"},
		{Host: "www.example.com", URI: "/about/", Location: "https://example.com/about/"},
		{Host: "www.example.com", URI: "/", Query: map[string]map[string]string{"utm_source": {"value": "feed"}},
			Location: "https://example.com/?utm_source=feed"},
		// Open redirects: a Location starting // or /\ would send the browser
		// to another host.
		{Host: "example.com", URI: "//evil.example/x", Location: "/evil.example/x/"},
		{Host: "example.com", URI: "/\\evil.example/x", Location: "/evil.example/x/"},
		{Host: "example.com", URI: "/\\evil.example", WantURI: "/\\evil.example"},
		{Host: "example.com", URI: "/\\/evil.example/x", Location: "/evil.example/x/"},
		{Host: "www.example.com", URI: "//evil.example/x", Location: "https://example.com/evil.example/x"},
	}
	input, _ := json.Marshal(cases)
	harness := hexoRewriteJS + `
var cases = JSON.parse(process.argv[2]);
var failed = 0;
cases.forEach(function (c) {
  var out = handler({ request: { uri: c.uri, headers: { host: { value: c.host } }, querystring: c.query || {} } });
  var got = out.statusCode ? 'location ' + out.headers.location.value : 'uri ' + out.uri;
  var want = c.location ? 'location ' + c.location : 'uri ' + c.wantUri;
  if (got !== want) { failed++; console.log(c.host + c.uri + ': got ' + got + ', want ' + want); }
});
process.exit(failed ? 1 : 0);
`
	script := filepath.Join(t.TempDir(), "harness.js")
	if err := os.WriteFile(script, []byte(harness), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, script, string(input)).CombinedOutput()
	if err != nil {
		t.Fatalf("rewrite function: %v\n%s", err, out)
	}
}

// The build may touch this stack's bucket and distribution and nothing else:
// no statement of its role names a resource outside the stack, or "*".
func TestHexoBuildRoleScopedToSite(t *testing.T) {
	res := templates.Section(hexoTree(t), "Resources")
	policies, _ := templates.Lookup(res, "SiteBuildRole", "Properties", "Policies")
	var resources []string
	for _, p := range policies.([]any) {
		stmts, _ := templates.Lookup(p.(*templates.Map), "PolicyDocument", "Statement")
		for _, s := range stmts.([]any) {
			list, _ := templates.Lookup(s.(*templates.Map), "Resource")
			for _, r := range list.([]any) {
				fn, ok := r.(templates.Fn)
				if !ok {
					t.Errorf("build role grants on literal resource %v", r)
					continue
				}
				resources = append(resources, fmt.Sprint(fn.Arg))
			}
		}
	}
	got := strings.Join(resources, "\n")
	for _, want := range []string{"SiteBuildLogs", "${ArtifactBucket.Arn}/*", "ContentBucket Arn", "${ContentBucket.Arn}/*", "distribution/${Distribution}"} {
		if !strings.Contains(got, want) {
			t.Errorf("build role lacks a grant on %s; it has:\n%s", want, got)
		}
	}
	if len(resources) != 5 {
		t.Errorf("build role has %d resource grants, want 5:\n%s", len(resources), got)
	}
}

func TestHexoBuildspecPublishesAndInvalidates(t *testing.T) {
	text, err := HexoSite{}.buildspec().Text()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"npm ci", "npx hexo generate",
		`--delete --exclude "*.html" --cache-control "` + hexoAssetCacheControl,
		`--delete --exclude "*" --include "*.html" --cache-control "` + hexoHTMLCacheControl,
		`create-invalidation --distribution-id "${DISTRIBUTION_ID}" --paths "/*"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("buildspec lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "hexo generate") > strings.Index(text, "s3 sync") ||
		strings.Index(text, "s3 sync") > strings.Index(text, "create-invalidation") {
		t.Errorf("buildspec must generate, then sync, then invalidate:\n%s", text)
	}
}
