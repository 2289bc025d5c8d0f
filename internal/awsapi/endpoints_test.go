package awsapi

import "testing"

func TestEndpointResolution(t *testing.T) {
	profile := section{"endpoint_url": "https://profile.example"}
	services := section{"cloudformation.endpoint_url": "https://cfn.services.example"}
	cases := []struct {
		name     string
		env      map[string]string
		profile  section
		services section
		service  Service
		region   string
		want     string
		custom   bool
	}{
		{"regional", nil, nil, nil, CloudFormation, "eu-central-1", "https://cloudformation.eu-central-1.amazonaws.com", false},
		{"China partition", nil, nil, nil, S3, "cn-north-1", "https://s3.cn-north-1.amazonaws.com.cn", false},
		{"SSO portal", nil, nil, nil, SSO, "us-east-1", "https://portal.sso.us-east-1.amazonaws.com", false},
		{"SSO OIDC", nil, nil, nil, SSOOIDC, "eu-west-1", "https://oidc.eu-west-1.amazonaws.com", false},
		{"STS regional", nil, nil, nil, STS, "us-west-2", "https://sts.us-west-2.amazonaws.com", false},
		{"global variable", map[string]string{"AWS_ENDPOINT_URL": "http://localhost:5000"}, profile, nil, CloudFormation, "us-east-1", "http://localhost:5000", true},
		{"service variable wins", map[string]string{"AWS_ENDPOINT_URL": "http://global", "AWS_ENDPOINT_URL_S3": "http://s3.local:9000"}, nil, nil, S3, "us-east-1", "http://s3.local:9000", true},
		{"service variable of another service", map[string]string{"AWS_ENDPOINT_URL_S3": "http://s3.local"}, nil, nil, STS, "us-east-1", "https://sts.us-east-1.amazonaws.com", false},
		{"service id with a space", map[string]string{"AWS_ENDPOINT_URL_SSO_OIDC": "http://oidc.local"}, nil, nil, SSOOIDC, "us-east-1", "http://oidc.local", true},
		{"services section beats the global variable", map[string]string{"AWS_ENDPOINT_URL": "http://global"}, profile, services, CloudFormation, "us-east-1", "https://cfn.services.example", true},
		{"profile's endpoint_url", nil, profile, services, S3, "us-east-1", "https://profile.example", true},
		{"ignored", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://global"}, profile, services, CloudFormation, "us-east-1", "https://cloudformation.us-east-1.amazonaws.com", false},
		{"ignored by the profile", nil, section{"endpoint_url": "http://x", "ignore_configured_endpoint_urls": "true"}, nil, STS, "us-east-1", "https://sts.us-east-1.amazonaws.com", false},
		{"a configured endpoint needs no region", map[string]string{"AWS_ENDPOINT_URL": "http://localhost:5000"}, nil, nil, STS, "", "http://localhost:5000", true},
	}
	for _, c := range cases {
		e := endpointSettings{env: func(k string) string { return c.env[k] }, profile: c.profile, services: c.services}
		got, err := e.resolve(c.service, c.region)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got.URL.String() != c.want || got.Custom != c.custom {
			t.Errorf("%s: %s (custom %v), want %s (custom %v)", c.name, got.URL, got.Custom, c.want, c.custom)
		}
	}
}

func TestEndpointErrors(t *testing.T) {
	e := endpointSettings{env: func(k string) string { return map[string]string{"AWS_ENDPOINT_URL_STS": "localhost:5000"}[k] }}
	if _, err := e.resolve(STS, "us-east-1"); err == nil || err.Error() != `the endpoint URL "localhost:5000" for STS is not a URL: write it as https://host[:port]` {
		t.Errorf("bad URL: %v", err)
	}
	if _, err := e.resolve(CloudFormation, ""); err == nil || err.Error() != "no AWS region to call CloudFormation in: pass --region, set AWS_REGION, or give the profile a region" {
		t.Errorf("no region: %v", err)
	}
}
