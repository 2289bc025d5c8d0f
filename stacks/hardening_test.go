package stacks

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// Fixes from the security review of the catalogue, one test each; every
// one fails on the template the stack rendered before.

func stackTree(t *testing.T, s templates.Stack) *templates.Map {
	t.Helper()
	tree, err := s.Template().Tree()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestServiceDiscoveryEncryptsMemcachedInTransit(t *testing.T) {
	cache := templates.ValueAt(stackTree(t, DefaultServiceDiscovery().Stack()), "Resources", discoveryCache, "Properties")
	if templates.ValueAt(cache, "TransitEncryptionEnabled") != true {
		t.Error("the Memcached cluster does not encrypt in transit")
	}
	version := regexp.MustCompile(`^1\.6\.([0-9]+)$`).FindStringSubmatch(templates.StringAt(cache, "EngineVersion"))
	patch := 0
	if version != nil {
		patch, _ = strconv.Atoi(version[1])
	}
	if patch < 12 {
		t.Errorf("EngineVersion %q: transit encryption needs Memcached 1.6.12 or later", templates.StringAt(cache, "EngineVersion"))
	}
}

func TestScheduledBinaryNeverOverlapsItself(t *testing.T) {
	job := templates.ValueAt(stackTree(t, DefaultScheduledBinary().Stack()), "Resources", "Job", "Properties")
	if got := fmt.Sprint(templates.ValueAt(job, "ReservedConcurrentExecutions")); got != "1" {
		t.Errorf("ReservedConcurrentExecutions = %v, want 1: a run that outlasts the schedule must not overlap the next", got)
	}
}

func TestServerlessAppPipelinePinsTheFramework(t *testing.T) {
	spec, err := deployBackendBuildspec.Text()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`npm install --global serverless@[0-9]+\.[0-9]+\.[0-9]+\n`).MatchString(spec) {
		t.Errorf("serverless is not pinned to an exact version:\n%s", spec)
	}
}

func stageNames(tree *templates.Map) []string {
	var names []string
	for _, s := range templates.ListAt(tree, "Resources", "Pipeline", "Properties", "Stages") {
		names = append(names, templates.StringAt(s, "Name"))
	}
	return names
}

func TestServerlessAppPipelineApprovesBeforeDeploying(t *testing.T) {
	got := strings.Join(stageNames(stackTree(t, DefaultServerlessAppPipeline().Stack())), " ")
	if got != "Source Approve DeployBackend PublishFrontend" {
		t.Errorf("stages %q: the catalogue's pipeline must wait for approval before DeployBackend", got)
	}
	got = strings.Join(stageNames(stackTree(t, ServerlessAppPipeline{}.Stack())), " ")
	if got != "Source DeployBackend PublishFrontend" {
		t.Errorf("stages %q without ManualApproval", got)
	}
}

// The site and artifact buckets write S3 server access logs, and the
// distribution its standard logs, into a retained log bucket that expires
// them; WithoutAccessLogs drops all of it.
func TestAccessLogsAreOnByDefault(t *testing.T) {
	cases := []struct {
		stack   templates.Stack
		off     templates.Stack
		buckets []string
	}{
		{HexoSite{}.Stack(), HexoSite{WithoutAccessLogs: true}.Stack(), []string{hexoBucket, hexoArtifacts}},
		{DefaultServerlessAppPipeline().Stack(), ServerlessAppPipeline{WithoutAccessLogs: true}.Stack(), []string{"ArtifactBucket", "WebsiteBucket"}},
		{DefaultTemplatesPipeline().Stack(), TemplatesPipeline{Stacks: DefaultTemplatesPipeline().Stacks, WithoutAccessLogs: true}.Stack(), []string{"ArtifactBucket"}},
	}
	for _, c := range cases {
		tree := stackTree(t, c.stack)
		for _, b := range c.buckets {
			if templates.RefTarget(templates.ValueAt(tree, "Resources", b, "Properties", "LoggingConfiguration", "DestinationBucketName")) != accessLogBucket {
				t.Errorf("%s: %s does not log its access to %s", c.stack.Name, b, accessLogBucket)
			}
		}
		logs := templates.ValueAt(tree, "Resources", accessLogBucket)
		if templates.StringAt(logs, "DeletionPolicy") != "Retain" || templates.ListAt(logs, "Properties", "LifecycleConfiguration", "Rules") == nil {
			t.Errorf("%s: the log bucket must be retained and expire its logs", c.stack.Name)
		}
		if _, ok := templates.Lookup(stackTree(t, c.off), "Resources", accessLogBucket); ok {
			t.Errorf("%s: WithoutAccessLogs still declares %s", c.stack.Name, accessLogBucket)
		}
	}
	logging := templates.ValueAt(stackTree(t, HexoSite{}.Stack()), "Resources", hexoDistribution, "Properties", "DistributionConfig", "Logging")
	if templates.RefTarget(templates.ValueAt(logging, "Bucket")) != accessLogBucket {
		t.Errorf("the distribution does not write standard logs to %s: %v", accessLogBucket, logging)
	}
}

// Every data-holding resource says what happens to it (the rule
// deletion_policy_explicit refuses the render otherwise), and each one that
// is deleted says why in its comment.
func TestDeletedDataSaysWhyInItsComment(t *testing.T) {
	files, _ := filepath.Glob("../golden/*.yaml")
	deleted := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i, line := range lines {
			if line != "    DeletionPolicy: Delete" {
				continue
			}
			deleted++
			start := i
			for start > 0 && strings.HasPrefix(lines[start], "    ") {
				start--
			}
			comment := ""
			if start > 0 {
				comment = strings.ToLower(lines[start-1])
			}
			if !strings.HasPrefix(comment, "  #") || !(strings.Contains(comment, "transient") || strings.Contains(comment, "deleted with the stack")) {
				t.Errorf("%s: %s is deleted with the stack, but its comment does not say why: %q", f, strings.TrimSuffix(strings.TrimSpace(lines[start]), ":"), comment)
			}
		}
	}
	if deleted == 0 {
		t.Error("no golden resource says DeletionPolicy: Delete: the test reads nothing")
	}
}
