package blocks

import (
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigatewayv2"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func httpStack(h HTTPFunction) func(t *templates.Template) {
	return withAlerts(func(t *templates.Template) {
		if h.ID == "" {
			h.ID = "Api"
		}
		if h.AlertTopic == "" {
			h.AlertTopic = "Alerts"
		}
		h.Handler = Function{ID: "Handle", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n"),
			ReservedConcurrency: h.Handler.ReservedConcurrency, Timeout: h.Handler.Timeout}
		h.Add(t)
	})
}

func renderHTTP(t *testing.T, h HTTPFunction) string {
	t.Helper()
	return mustRender(t, httpStack(h))
}

func TestHTTPFunctionDefaults(t *testing.T) {
	out := renderHTTP(t, HTTPFunction{})
	wantAll(t, out, "Type: AWS::ApiGatewayV2::Api\n", "ProtocolType: HTTP\n",
		"  ApiRouteDefault:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      AuthorizationType: AWS_IAM\n      RouteKey: $default\n",
		"ThrottlingBurstLimit: 100\n        ThrottlingRateLimit: 50\n", "DestinationArn: !GetAtt ApiAccessLogs.Arn\n", "RetentionInDays: 30\n",
		"Principal: apigateway.amazonaws.com\n      SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*\n",
		"MetricName: 5xx\n", "MetricName: Latency\n", "ExtendedStatistic: p95\n", "Threshold: 1000\n", "Threshold: 5\n",
		"  ApiUrl:\n    Value: !GetAtt Api.ApiEndpoint\n")
	for _, absent := range []string{"DisableExecuteApiEndpoint", "AWS::ApiGatewayV2::DomainName", "AWS::Lambda::Url", "NONE"} {
		if strings.Contains(out, absent) {
			t.Errorf("%s without the option:\n%s", absent, out)
		}
	}
}

func TestHTTPFunctionOptions(t *testing.T) {
	out := renderHTTP(t, HTTPFunction{Routes: []string{"POST /orders", "GET /orders/{id}"}, Public: true, ThrottleRate: 5.5, ThrottleBurst: 10,
		AccessLogRetentionDays: 90, Domain: &Domain{Name: "api.example.com", HostedZoneID: "Z123"}, ServerErrors: 1, LatencyMillis: 300,
		ServerErrorsText: "Orders fail.", LatencyText: "Orders are slow."})
	wantAll(t, out, "  ApiRoutePostOrders:\n", "  ApiRouteGetOrdersId:\n", "AuthorizationType: NONE\n", "RouteKey: GET /orders/{id}\n",
		"ThrottlingBurstLimit: 10\n        ThrottlingRateLimit: 5.5\n", "RetentionInDays: 90\n", "DisableExecuteApiEndpoint: true\n",
		"SecurityPolicy: TLS_1_2\n", "EndpointType: REGIONAL\n", "CertificateArn: !Ref ApiCertificate\n", "Stage: !Ref ApiStage\n",
		"DNSName: !GetAtt ApiDomain.RegionalDomainName\n        HostedZoneId: !GetAtt ApiDomain.RegionalHostedZoneId\n      HostedZoneId: Z123\n      Name: api.example.com\n      Type: A\n",
		"Value: !Sub https://${ApiDomain}\n", "AlarmDescription: Orders fail.\n", "AlarmDescription: Orders are slow.\n", "Threshold: 300\n", "Threshold: 1\n")
	if strings.Contains(out, "ApiRouteDefault") {
		t.Errorf("routes given, yet $default is routed:\n%s", out)
	}
}

func TestHTTPFunctionURL(t *testing.T) {
	out := renderHTTP(t, HTTPFunction{ID: "Url", FrontDoor: FunctionURL, Handler: Function{ReservedConcurrency: 3, Timeout: 300}})
	wantAll(t, out, "  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: AWS_IAM\n      TargetFunctionArn: !GetAtt Handle.Arn\n",
		"ReservedConcurrentExecutions: 3\n", "Timeout: 300\n", // a URL waits up to 15 minutes "MetricName: Url5xxCount\n", "MetricName: UrlRequestLatency\n", "Namespace: AWS/Lambda\n",
		"Value: !GetAtt Url.FunctionUrl\n")
	for _, absent := range []string{"AWS::ApiGatewayV2", "AWS::Lambda::Permission", "AccessLogs"} {
		if strings.Contains(out, absent) {
			t.Errorf("a function URL with IAM auth has no %s:\n%s", absent, out)
		}
	}
	public := renderHTTP(t, HTTPFunction{ID: "Url", FrontDoor: FunctionURL, Public: true})
	wantAll(t, public, "AuthType: NONE\n", "Action: lambda:InvokeFunctionUrl\n", "FunctionUrlAuthType: NONE\n",
		"Action: lambda:InvokeFunction\n      FunctionName: !Ref Handle\n      Principal: \"*\"\n      InvokedViaFunctionUrl: true\n")
}

func TestHTTPFunctionInvokeGrant(t *testing.T) {
	api := HTTPFunction{ID: "Api", Handler: Function{ID: "Handle"}}.Invoke()
	if !slices.Equal(api.Action, []string{"execute-api:Invoke"}) || api.Resource[0] != cloudformation.Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*") {
		t.Errorf("HTTP API grant = %+v", api)
	}
	url := HTTPFunction{ID: "Url", FrontDoor: FunctionURL, Handler: Function{ID: "Handle"}}.Invoke()
	if !slices.Equal(url.Action, []string{"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}) || !slices.Equal(url.Resource, []string{Arn("Handle")}) {
		t.Errorf("function URL grant = %+v", url)
	}
}

func TestHTTPFunctionOptionsRefused(t *testing.T) {
	cases := []struct {
		h    HTTPFunction
		want string
	}{
		{HTTPFunction{Routes: []string{"FETCH /orders"}}, `test: ApiRouteFetchOrders: Properties.RouteKey: route "FETCH /orders" must be $default or METHOD /path, with METHOD one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS`},
		{HTTPFunction{Routes: []string{"GET orders"}}, `test: ApiRouteGetOrders: Properties.RouteKey: route "GET orders" needs a path starting with / and without spaces, ? or #, e.g. POST /orders`},
		{HTTPFunction{Routes: []string{"GET /a", "GET /a"}}, `test: ApiRouteGetA: Properties.RouteKey: route "GET /a" is declared twice (or names the same logical id as another): list each route once`},
		{HTTPFunction{ThrottleBurst: -1}, "test: ApiStage: Properties.DefaultRouteSettings: throttling limits cannot be negative (0 means the defaults, 50 requests per second, burst 100)"},
		{HTTPFunction{Domain: &Domain{Name: "api.example.com"}}, "test: ApiDomain: Properties.DomainName: a custom domain needs its Name and the HostedZoneID of the public zone holding it"},
		{HTTPFunction{AccessLogRetentionDays: 10}, "test: ApiAccessLogs: Properties.RetentionInDays: CloudWatch Logs keeps events 1, 3, 5, 7, 14, 30, 60, 90, ... or 3653 days, not 10"},
		{HTTPFunction{Handler: Function{Timeout: 31}}, "test: Handle: Properties.Timeout: timeout 31 s is longer than the 30 s an HTTP API waits for its integration, so callers get 503 while the function runs on: keep it at 30 s or less, or hand long work to a queue"},
		{HTTPFunction{FrontDoor: FunctionURL, Routes: []string{"GET /"}}, "test: Api: Properties: Routes are API Gateway routes; a function URL has none: use the HTTPAPI front door, or route inside the function"},
		{HTTPFunction{FrontDoor: FunctionURL, Domain: &Domain{Name: "a.example.com", HostedZoneID: "Z1"}}, "test: Api: Properties: a custom domain needs API Gateway (or CloudFront); a function URL has none: use the HTTPAPI front door"},
		{HTTPFunction{FrontDoor: FunctionURL, ThrottleRate: 10}, "test: Api: Properties: ThrottleRate and ThrottleBurst are stage limits, and a function URL has none: use the HTTPAPI front door, or cap the function with ReservedConcurrency"},
		{HTTPFunction{FrontDoor: FunctionURL, AccessLogRetentionDays: 7}, "test: Api: Properties: AccessLogRetentionDays keeps API Gateway access logs, and a function URL has none: use the HTTPAPI front door; the function's own logs keep Handler.LogRetentionDays"},
	}
	for _, c := range cases {
		templatestest.WantFinding(t, templatestest.RenderError(rules.All(), httpStack(c.h)), c.want)
	}
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		HTTPFunction{ID: "Api", Handler: Function{ID: "Handle", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n")}}.Add(t)
	})
	templatestest.WantFinding(t, err, "test: ApiServerErrorsAlarm: Properties.AlarmActions: no AlertTopic: set it to the logical id of the SNS topic the alarms tell (see AlertTopic)")
}

// handWiredAPI is an HTTP API integrated with a function, with the given
// permission (nil for none), as a stack not using HTTPFunction would write.
func handWiredAPI(permission *lambda.Permission) func(t *templates.Template) {
	return func(t *templates.Template) {
		DeclareFunction(t, Function{ID: "Handle", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n")})
		t.Resource("Api", &apigatewayv2.Api{Name: cloudformation.String("api"), ProtocolType: cloudformation.String("HTTP")}, "")
		t.Resource("Other", &apigatewayv2.Api{Name: cloudformation.String("other"), ProtocolType: cloudformation.String("HTTP")}, "")
		t.Resource("ApiIntegration", &apigatewayv2.Integration{ApiId: cloudformation.Ref("Api"), IntegrationType: "AWS_PROXY",
			IntegrationUri: cloudformation.String(Arn("Handle")), PayloadFormatVersion: cloudformation.String("2.0")}, "")
		if permission != nil {
			t.Resource("Permission", permission, "")
		}
	}
}

func TestAPIIntegrationNeedsPermission(t *testing.T) {
	const missing = "test: ApiIntegration: Properties.IntegrationUri: API Api hands requests to Lambda function Handle, but no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke it from Api: " +
		"add one with FunctionName !Ref Handle and SourceArn !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/* (blocks.HTTPFunction does this)"
	permit := func(principal, function, api string) *lambda.Permission {
		return &lambda.Permission{Action: "lambda:InvokeFunction", FunctionName: cloudformation.Ref(function), Principal: principal,
			SourceArn: cloudformation.String(cloudformation.Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + api + "}/*"))}
	}
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), handWiredAPI(nil)), missing)
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), handWiredAPI(permit("apigateway.amazonaws.com", "Handle", "Other"))), missing)
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), handWiredAPI(permit("events.amazonaws.com", "Handle", "Api"))), missing)
	if err := templatestest.RenderError(rules.All(), handWiredAPI(permit("apigateway.amazonaws.com", "Handle", "Api"))); err != nil {
		t.Fatalf("permitted integration refused: %v", err)
	}
}
