package awsapi

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func (cfg *config) sso(name string, p section) (aws.CredentialsProvider, error) {
	return nil, fmt.Errorf("AWS profile %s uses SSO, which formwork does not read yet", name)
}

func (cfg *config) exported(name, kind string) (aws.CredentialsProvider, error) {
	return nil, fmt.Errorf("AWS profile %s uses %s, which formwork does not read", name, kind)
}
