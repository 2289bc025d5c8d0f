package awsapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const loginConfig = "[profile console]\nlogin_session = arn:aws:iam::123456789012:user/alice\nregion = eu-west-1\n"

// A profile formwork does not read itself goes through the AWS CLI's
// export-credentials.
func TestUnreadProfileKindGoesThroughTheAWSCLI(t *testing.T) {
	bin := t.TempDir()
	args := filepath.Join(t.TempDir(), "args")
	script := "#!/bin/sh\necho \"$@\" > " + args + "\nprintf '{\"Version\":1,\"AccessKeyId\":\"AKCLI\",\"SecretAccessKey\":\"" + secretKey +
		"\",\"SessionToken\":\"" + secretToken + "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}'\n"
	if err := os.WriteFile(filepath.Join(bin, "aws"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	c, err := retrieve(t, awsFiles(t, loginConfig, ""), "console")
	if err != nil || c.AccessKeyID != "AKCLI" || c.SessionToken != secretToken || !c.CanExpire {
		t.Fatalf("%+v %v", c, err)
	}
	if b, _ := os.ReadFile(args); strings.TrimSpace(string(b)) != "configure export-credentials --profile console --format process" {
		t.Errorf("aws was run with %q", b)
	}
}

func TestUnreadProfileKindWithoutTheAWSCLI(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := retrieve(t, awsFiles(t, loginConfig, ""), "console")
	if err == nil || strings.Contains(err.Error(), "\n") ||
		err.Error() != "AWS profile console uses login_session, which formwork reads through the AWS CLI, and aws is not on PATH: install the AWS CLI v2, or give formwork other credentials (AWS_ACCESS_KEY_ID, SSO, a role)" {
		t.Errorf("%v", err)
	}
}
