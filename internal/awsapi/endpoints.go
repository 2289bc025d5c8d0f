package awsapi

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Service is what formwork needs to know of an AWS service to call it.
type Service struct {
	ID      string // the SDK's service id, e.g. "SSO OIDC"
	Signing string // the SigV4 signing name
	Host    string // the regional host's first labels, e.g. "portal.sso"
}

// The services formwork calls.
var (
	CloudFormation = Service{ID: "CloudFormation", Signing: "cloudformation", Host: "cloudformation"}
	S3             = Service{ID: "S3", Signing: "s3", Host: "s3"}
	STS            = Service{ID: "STS", Signing: "sts", Host: "sts"}
	SSO            = Service{ID: "SSO", Signing: "awsssoportal", Host: "portal.sso"}
	SSOOIDC        = Service{ID: "SSO OIDC", Signing: "sso-oauth", Host: "oidc"}
)

// key is the service's identifier in AWS_ENDPOINT_URL_<KEY> (upper case)
// and in a [services] section (lower case): its id with spaces as _.
func (s Service) key() string { return strings.ReplaceAll(s.ID, " ", "_") }

// Endpoint is where a service is called.
type Endpoint struct {
	URL *url.URL
	// Custom reports an endpoint configured by the user (an emulator, a
	// VPC endpoint) rather than AWS's regional one: S3 is then addressed
	// by path.
	Custom bool
}

// endpointSettings are the configured endpoints, resolved as the AWS SDKs
// do: AWS_ENDPOINT_URL_<SERVICE>, the profile's services section,
// AWS_ENDPOINT_URL, the profile's endpoint_url; none of them when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
// ignore_configured_endpoint_urls) is true.
type endpointSettings struct {
	env      func(string) string
	profile  section
	services section
}

func (e endpointSettings) configured(s Service) string {
	ignore := first(e.env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), e.profile["ignore_configured_endpoint_urls"])
	if strings.EqualFold(ignore, "true") {
		return ""
	}
	return first(
		e.env("AWS_ENDPOINT_URL_"+strings.ToUpper(s.key())),
		e.services[strings.ToLower(s.key())+".endpoint_url"],
		e.env("AWS_ENDPOINT_URL"),
		e.profile["endpoint_url"],
	)
}

// resolve returns the configured endpoint, else the regional endpoint of
// the region's partition.
func (e endpointSettings) resolve(s Service, region string) (Endpoint, error) {
	if raw := e.configured(s); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return Endpoint{}, fmt.Errorf("the endpoint URL %q for %s is not a URL: write it as https://host[:port]", raw, s.ID)
		}
		return Endpoint{URL: u, Custom: true}, nil
	}
	if region == "" {
		return Endpoint{}, fmt.Errorf("no AWS region to call %s in: pass --region, set AWS_REGION, or give the profile a region", s.ID)
	}
	return Endpoint{URL: &url.URL{Scheme: "https", Host: s.Host + "." + region + "." + dnsSuffix(region)}}, nil
}

// dnsSuffix is the domain of the region's partition.
func dnsSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

func osEnv(name string) string { return os.Getenv(name) }
