package templates

import (
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
)

func TestIsIntrinsic(t *testing.T) {
	for _, s := range []string{cloudformation.Ref("X"), cloudformation.GetAtt("X", "Arn"), cloudformation.Sub("${X}")} {
		if !IsIntrinsic(s) {
			t.Errorf("IsIntrinsic(%q) = false", s)
		}
	}
	for _, s := range []string{"", "cache.service.internal", "eyJhIjoxfQ==" /* {"a":1} */} {
		if IsIntrinsic(s) {
			t.Errorf("IsIntrinsic(%q) = true", s)
		}
	}
}
