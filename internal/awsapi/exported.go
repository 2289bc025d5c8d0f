package awsapi

import (
	"context"
	"fmt"
	"os/exec"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// exported reads a profile of a kind formwork does not read itself
// (login_session) through the AWS CLI, which does: aws configure
// export-credentials prints the credentials as a credential_process would.
func (cfg *config) exported(name, kind string) (aws.CredentialsProvider, error) {
	cli, err := exec.LookPath("aws")
	if err != nil {
		return nil, fmt.Errorf("AWS profile %s uses %s, which formwork reads through the AWS CLI, and aws is not on PATH: install the AWS CLI v2, or give formwork other credentials (AWS_ACCESS_KEY_ID, SSO, a role)", name, kind)
	}
	export := processcreds.NewProviderCommand(processcreds.NewCommandBuilderFunc(func(ctx context.Context) (*exec.Cmd, error) {
		return exec.CommandContext(ctx, cli, "configure", "export-credentials", "--profile", name, "--format", "process"), nil
	}))
	return cached(withoutOutput(name, "aws configure export-credentials", export)), nil
}
