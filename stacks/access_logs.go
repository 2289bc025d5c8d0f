package stacks

import (
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// accessLogBucket is the logical id of a stack's log bucket.
const accessLogBucket = "LogBucket"

// addAccessLogs declares the stack's log bucket unless off, and returns its
// id ("" when off): what PrivateBucket.AccessLogs and StaticSite.LogBucket
// take. cloudFront enables the ACLs CloudFront standard logging needs.
func addAccessLogs(t *templates.Template, off, cloudFront bool) string {
	if off {
		return ""
	}
	blocks.LogBucket{ID: accessLogBucket, CloudFront: cloudFront}.Add(t)
	return accessLogBucket
}

// addArtifactBucket declares a pipeline's artifact bucket as id, its server
// access logs in the stack's log bucket logs ("" for none), and returns id.
func addArtifactBucket(t *templates.Template, id, logs string) string {
	blocks.ArtifactBucket{ID: id, AccessLogs: logs}.Add(t)
	return id
}
