package blocks

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestPrivateBucket(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		PrivateBucket{ID: "Site", Comment: "why", ExpireAfterDays: 14, Retention: Retain}.Add(tmpl)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  # why\n  Site:\n    Type: AWS::S3::Bucket",
		"BlockPublicPolicy: true", "RestrictPublicBuckets: true",
		"SSEAlgorithm: AES256", "ObjectOwnership: BucketOwnerEnforced",
		"ExpirationInDays: 14", "DaysAfterInitiation: 7",
		"SitePolicy:\n", "aws:SecureTransport: \"false\"", "Effect: Deny",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestPrivateBucketKeepsObjectsWithoutExpiry(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		PrivateBucket{ID: "Site", Retention: Transient}.Add(tmpl)
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "ExpirationInDays") {
		t.Errorf("no expiry asked for:\n%s", out)
	}
}
