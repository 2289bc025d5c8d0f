package blocks

import (
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigatewayv2"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/route53"
	"github.com/formwork-dev/formwork/templates"
)

// HTTPFunction is a Lambda function answering HTTP requests, behind an API
// Gateway HTTP API (the default) or a Lambda function URL. Callers sign
// their requests with IAM (SigV4) unless Public is set; grant a caller with
// Invoke.
//
// Behind an HTTP API: routes, a $default stage with throttling and JSON
// access logs kept LogRetentionDays, a permission that lets only this API
// invoke the function, an optional custom domain (certificate validated
// through DNS, TLS 1.2, alias record; the execute-api endpoint is then
// turned off), and alarms on 5xx responses and p95 latency.
//
// Behind a function URL: no routes, stage or access logs (API Gateway
// features); the function's ReservedConcurrency is its only throttle, and
// the alarms watch the URL's metrics.
//
// Resources are named after ID: ID (the API or URL), ID+"Stage",
// ID+"AccessLogs", ID+"Integration", ID+"Route"+<route>, ID+"Permission",
// ID+"Certificate", ID+"Domain", ID+"Mapping", ID+"Record",
// ID+"ServerErrorsAlarm", ID+"LatencyAlarm", output ID+"Url".
type HTTPFunction struct {
	ID string
	// Comment says what the API is for (written above it).
	Comment string
	// Handler is the function; it receives API Gateway's payload format 2.0
	// (a function URL sends the same shape).
	//
	// Its ReservedConcurrency is the right limit for an HTTP handler: a
	// request waits for no one, so the stage throttle (requests per
	// second) and the reserve (requests running at once) are its only
	// brakes. Size it at the throttle rate times the usual duration, with
	// room for slow spells: 10 serves 50 requests per second of 200 ms.
	// The reserve keeps a slow dependency from drawing the whole account's
	// concurrency into this function, and keeps other functions from
	// starving it; a request beyond it gets an error at once instead of
	// piling up. 0 leaves the function on the account's shared pool, right
	// only when the account runs nothing else that matters. Lambda keeps
	// 100 executions unreserved per account, so a new account with a
	// concurrency quota of 10 cannot reserve any: ask for the quota first.
	Handler Function
	// FrontDoor is HTTPAPI (the default) or FunctionURL.
	FrontDoor FrontDoor
	// Routes are the HTTP API's route keys, e.g. "POST /orders",
	// "GET /orders/{id}"; none means "$default", every request.
	Routes []string
	// Public lets anyone on the internet call without signing: no IAM auth.
	Public bool
	// ThrottleRate (requests per second, steady) and ThrottleBurst cap the
	// HTTP API stage; 0 means DefaultThrottleRate and DefaultThrottleBurst.
	ThrottleRate  float64
	ThrottleBurst int
	// AccessLogRetentionDays is how long access logs are kept; 0 means
	// LogRetentionDays.
	AccessLogRetentionDays int
	// Domain, when set, serves the HTTP API under a custom domain name.
	Domain *Domain
	// AlertTopic is the logical id of the SNS topic the alarms tell.
	AlertTopic string
	// ServerErrors is how many 5xx responses in five minutes raise the
	// alarm (0 means 5); LatencyMillis the p95 latency that, for fifteen
	// minutes, raises the other (0 means 1000).
	ServerErrors, LatencyMillis int
	// ServerErrorsText and LatencyText describe the two alarms, the first
	// line of their mails, in the team's words; empty for a neutral wording.
	ServerErrorsText, LatencyText string
}

// FrontDoor is what receives the HTTP requests.
type FrontDoor int

const (
	// HTTPAPI is an API Gateway HTTP API: routes, throttling, access logs,
	// custom domains.
	HTTPAPI FrontDoor = iota
	// FunctionURL is the function's own HTTPS endpoint: fewer parts, no
	// routes, throttling or access logs of its own.
	FunctionURL
)

// Domain is a custom domain name for an HTTP API. Both fields may hold
// intrinsics (cloudformation.Ref of a parameter).
type Domain struct {
	Name         string // e.g. orders.example.com
	HostedZoneID string // the public Route 53 zone holding Name
}

// Defaults of HTTPFunction.
const (
	DefaultThrottleRate  = 50.0
	DefaultThrottleBurst = 100
	DefaultServerErrors  = 5
	DefaultLatencyMillis = 1000
)

// maxIntegrationSeconds is the longest an HTTP API waits for a Lambda
// integration to answer.
const maxIntegrationSeconds = 30

// routeMethods are the methods an HTTP API route key may start with.
var routeMethods = map[string]bool{"ANY": true, "GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

// accessLogFormat is one JSON line per request: who called what, the
// answer, and why the integration failed if it did.
const accessLogFormat = `{"requestId":"$context.requestId","time":"$context.requestTime","ip":"$context.identity.sourceIp",` +
	`"caller":"$context.identity.userArn","method":"$context.httpMethod","route":"$context.routeKey","status":"$context.status",` +
	`"latencyMs":"$context.responseLatency","bytes":"$context.responseLength","integrationError":"$context.integrationErrorMessage"}`

// Add declares the function, its front door and its alarms in t.
func (h HTTPFunction) Add(t *templates.Template) {
	h.validate(t)
	h.Handler.Add(t)
	if h.FrontDoor == FunctionURL {
		h.addURL(t)
	} else {
		h.addAPI(t)
	}
	h.alarms(t)
}

// Invoke is the statement a caller's role needs to call this endpoint when
// it is not Public.
func (h HTTPFunction) Invoke() Statement {
	if h.FrontDoor == FunctionURL {
		return sid("Invoke"+h.ID, Allow([]string{"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}, Arn(h.Handler.ID)))
	}
	return sid("Invoke"+h.ID, Allow([]string{"execute-api:Invoke"}, h.executeArn()))
}

// executeArn is the ARN of every route of every stage of the API.
func (h HTTPFunction) executeArn() string {
	return cloudformation.Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + h.ID + "}/*")
}

func (h HTTPFunction) authorization() string {
	if h.Public {
		return "NONE"
	}
	return "AWS_IAM"
}

func (h HTTPFunction) addAPI(t *templates.Template) {
	api := &apigatewayv2.Api{
		Name:         cloudformation.String(cloudformation.Sub("${AWS::StackName}-" + h.ID)),
		ProtocolType: cloudformation.String("HTTP"),
	}
	if h.Domain != nil {
		api.DisableExecuteApiEndpoint = cloudformation.Bool(true)
	}
	t.Resource(h.ID, api, h.Comment)
	t.Resource(h.ID+"Integration", &apigatewayv2.Integration{
		ApiId:                cloudformation.Ref(h.ID),
		IntegrationType:      "AWS_PROXY",
		IntegrationUri:       cloudformation.String(Arn(h.Handler.ID)),
		PayloadFormatVersion: cloudformation.String("2.0"),
	}, "hands every request to "+h.Handler.ID)
	for _, key := range h.routes() {
		t.Resource(h.ID+"Route"+routeName(key), &apigatewayv2.Route{
			ApiId:             cloudformation.Ref(h.ID),
			RouteKey:          key,
			AuthorizationType: cloudformation.String(h.authorization()),
			Target:            cloudformation.String(cloudformation.Sub("integrations/${" + h.ID + "Integration}")),
		}, h.routeComment(key))
	}
	logs := h.ID + "AccessLogs"
	retention := retentionOrDefault(h.AccessLogRetentionDays)
	checkRetention(t, logs, retention)
	group := LogGroup(cloudformation.Sub("/aws/http-api/${AWS::StackName}/" + h.ID))
	group.RetentionInDays = cloudformation.Int(retention)
	t.Resource(logs, group, fmt.Sprintf("one line per request to %s, kept %d days; transient, deleted with the stack", h.ID, retention))
	t.Resource(h.ID+"Stage", &apigatewayv2.Stage{
		ApiId:      cloudformation.Ref(h.ID),
		StageName:  "$default",
		AutoDeploy: cloudformation.Bool(true),
		AccessLogSettings: &apigatewayv2.Stage_AccessLogSettings{
			DestinationArn: cloudformation.String(Arn(logs)),
			Format:         cloudformation.String(accessLogFormat),
		},
		DefaultRouteSettings: &apigatewayv2.Stage_RouteSettings{
			ThrottlingRateLimit:  cloudformation.Float64(h.throttleRate()),
			ThrottlingBurstLimit: cloudformation.Int(h.throttleBurst()),
		},
	}, "serves the routes, throttled, and logs every request")
	t.Resource(h.ID+"Permission", &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		FunctionName: cloudformation.Ref(h.Handler.ID),
		Principal:    "apigateway.amazonaws.com",
		SourceArn:    cloudformation.String(h.executeArn()),
	}, "lets only "+h.ID+" invoke "+h.Handler.ID)
	url := cloudformation.GetAtt(h.ID, "ApiEndpoint")
	if h.Domain != nil {
		h.addDomain(t)
		url = cloudformation.Sub("https://${" + h.ID + "Domain}")
	}
	t.Output(h.ID+"Url", cloudformation.Output{Description: cloudformation.String("Base URL of " + h.ID), Value: url})
}

func (h HTTPFunction) addDomain(t *templates.Template) {
	d := h.Domain
	t.Resource(h.ID+"Certificate", DNSValidatedCertificate(d.HostedZoneID, d.Name), "TLS certificate for "+h.ID+"'s domain, validated through DNS")
	t.Resource(h.ID+"Domain", &apigatewayv2.DomainName{
		DomainName: d.Name,
		DomainNameConfigurations: []apigatewayv2.DomainName_DomainNameConfiguration{{
			CertificateArn: cloudformation.String(cloudformation.Ref(h.ID + "Certificate")),
			EndpointType:   cloudformation.String("REGIONAL"),
			SecurityPolicy: cloudformation.String("TLS_1_2"),
		}},
	}, "the name callers use; the execute-api endpoint is off")
	t.Resource(h.ID+"Mapping", &apigatewayv2.ApiMapping{
		ApiId:      cloudformation.Ref(h.ID),
		DomainName: cloudformation.Ref(h.ID + "Domain"),
		Stage:      cloudformation.Ref(h.ID + "Stage"),
	}, "serves the stage at the domain's root")
	t.Resource(h.ID+"Record", &route53.RecordSet{
		HostedZoneId: cloudformation.String(d.HostedZoneID),
		Name:         d.Name,
		Type:         "A",
		AliasTarget: &route53.RecordSet_AliasTarget{
			DNSName:      cloudformation.GetAtt(h.ID+"Domain", "RegionalDomainName"),
			HostedZoneId: cloudformation.GetAtt(h.ID+"Domain", "RegionalHostedZoneId"),
		},
	}, "points the domain at "+h.ID)
}

func (h HTTPFunction) addURL(t *templates.Template) {
	t.Resource(h.ID, &lambda.Url{
		AuthType:          h.authorization(),
		TargetFunctionArn: Arn(h.Handler.ID),
	}, h.Comment)
	if h.Public {
		t.Resource(h.ID+"Permission", &lambda.Permission{
			Action:              "lambda:InvokeFunctionUrl",
			FunctionName:        cloudformation.Ref(h.Handler.ID),
			Principal:           "*",
			FunctionUrlAuthType: cloudformation.String("NONE"),
		}, "lets anyone call "+h.Handler.ID+" through its URL")
		t.Resource(h.ID+"InvokePermission", &lambda.Permission{
			Action:       "lambda:InvokeFunction",
			FunctionName: cloudformation.Ref(h.Handler.ID),
			Principal:    "*",
		}, "and run it, through the URL only")
		// goformation v7 predates InvokedViaFunctionUrl (October 2025).
		t.Override(h.ID+"InvokePermission", "Properties.InvokedViaFunctionUrl", true)
	}
	t.Output(h.ID+"Url", cloudformation.Output{Description: cloudformation.String("URL of " + h.Handler.ID), Value: cloudformation.GetAtt(h.ID, "FunctionUrl")})
}

func (h HTTPFunction) alarms(t *templates.Template) {
	errors, latency := orDefaultInt(h.ServerErrors, DefaultServerErrors), orDefaultInt(h.LatencyMillis, DefaultLatencyMillis)
	errorsWatch := watch{namespace: "AWS/ApiGateway", metric: "5xx", dimension: "ApiId", of: cloudformation.Ref(h.ID),
		statistic: "Sum", operator: "GreaterThanOrEqualToThreshold", threshold: float64(errors)}
	latencyMetric := "Latency"
	if h.FrontDoor == FunctionURL {
		errorsWatch.namespace, errorsWatch.metric, latencyMetric = "AWS/Lambda", "Url5xxCount", "UrlRequestLatency"
		errorsWatch.dimension, errorsWatch.of = "FunctionName", cloudformation.Ref(h.Handler.ID)
	}
	latencyWatch := errorsWatch
	latencyWatch.metric, latencyWatch.statistic, latencyWatch.operator, latencyWatch.threshold, latencyWatch.periods =
		latencyMetric, "p95", "GreaterThanThreshold", float64(latency), 3
	t.Resource(h.ID+"ServerErrorsAlarm", Alarm(h.AlertTopic,
		orDefault(h.ServerErrorsText, fmt.Sprintf("%s answered %d or more requests with a 5xx in five minutes: %s fails or times out. Its log group says why.", h.ID, errors, h.Handler.ID)),
		errorsWatch.alarm()), "tells the topic when "+h.ID+" fails requests")
	t.Resource(h.ID+"LatencyAlarm", Alarm(h.AlertTopic,
		orDefault(h.LatencyText, fmt.Sprintf("One request in twenty to %s has taken over %d ms for fifteen minutes: %s is slow, or what it calls is.", h.ID, latency, h.Handler.ID)),
		latencyWatch.alarm()), "tells the topic when "+h.ID+" is slow")
}

func (h HTTPFunction) routeComment(key string) string {
	who := "callers signed with IAM"
	if h.Public {
		who = "anyone, unsigned"
	}
	if key == "$default" {
		return "every request, from " + who
	}
	return key + ", from " + who
}

func (h HTTPFunction) routes() []string {
	if len(h.Routes) == 0 {
		return []string{"$default"}
	}
	return h.Routes
}

func (h HTTPFunction) throttleRate() float64 {
	if h.ThrottleRate == 0 {
		return DefaultThrottleRate
	}
	return h.ThrottleRate
}

func (h HTTPFunction) throttleBurst() int { return orDefaultInt(h.ThrottleBurst, DefaultThrottleBurst) }

// routeName turns a route key into a logical id part:
// "GET /orders/{id}" → GetOrdersId, "$default" → Default.
func routeName(key string) string {
	method, path, _ := strings.Cut(key, " ")
	return pascal(strings.ToLower(method) + " " + path)
}

// validate refuses options API Gateway or Lambda would reject.
func (h HTTPFunction) validate(t *templates.Template) {
	fail := func(id, path, format string, args ...any) { t.Fail(id, path, fmt.Sprintf(format, args...)) }
	if h.AlertTopic == "" {
		fail(h.ID+"ServerErrorsAlarm", "Properties.AlarmActions", "no AlertTopic: set it to the logical id of the SNS topic the alarms tell (see AlertTopic)")
	}
	if h.FrontDoor == FunctionURL {
		h.validateURL(fail)
		return
	}
	if timeout, ok := h.Handler.Timeout.(int); ok && timeout > maxIntegrationSeconds {
		fail(h.Handler.ID, "Properties.Timeout", "timeout %d s is longer than the %d s an HTTP API waits for its integration, so callers get 503 while the function runs on: keep it at %d s or less, or hand long work to a queue", timeout, maxIntegrationSeconds, maxIntegrationSeconds)
	}
	seen := map[string]bool{}
	for _, key := range h.routes() {
		id := h.ID + "Route" + routeName(key)
		if problem := routeKeyProblem(key); problem != "" {
			fail(id, "Properties.RouteKey", "route %q %s", key, problem)
		}
		if seen[id] {
			fail(id, "Properties.RouteKey", "route %q is declared twice (or names the same logical id as another): list each route once", key)
		}
		seen[id] = true
	}
	if h.ThrottleRate < 0 || h.ThrottleBurst < 0 {
		fail(h.ID+"Stage", "Properties.DefaultRouteSettings", "throttling limits cannot be negative (0 means the defaults, %g requests per second, burst %d)", DefaultThrottleRate, DefaultThrottleBurst)
	}
	if h.Domain != nil && (h.Domain.Name == "" || h.Domain.HostedZoneID == "") {
		fail(h.ID+"Domain", "Properties.DomainName", "a custom domain needs its Name and the HostedZoneID of the public zone holding it")
	}
}

func (h HTTPFunction) validateURL(fail func(id, path, format string, args ...any)) {
	why := "a function URL has none: use the HTTPAPI front door"
	switch {
	case len(h.Routes) > 0:
		fail(h.ID, "Properties", "Routes are API Gateway routes; %s, or route inside the function", why)
	case h.Domain != nil:
		fail(h.ID, "Properties", "a custom domain needs API Gateway (or CloudFront); %s", why)
	case h.ThrottleRate != 0 || h.ThrottleBurst != 0:
		fail(h.ID, "Properties", "ThrottleRate and ThrottleBurst are stage limits, and %s, or cap the function with ReservedConcurrency", why)
	case h.AccessLogRetentionDays != 0:
		fail(h.ID, "Properties", "AccessLogRetentionDays keeps API Gateway access logs, and %s; the function's own logs keep Handler.LogRetentionDays", why)
	}
}

// routeKeyProblem says what is wrong with an HTTP API route key, "" if
// nothing.
func routeKeyProblem(key string) string {
	if key == "$default" {
		return ""
	}
	method, path, ok := strings.Cut(key, " ")
	switch {
	case !ok || !routeMethods[method]:
		return "must be $default or METHOD /path, with METHOD one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
	case !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " ?#"):
		return "needs a path starting with / and without spaces, ? or #, e.g. POST /orders"
	}
	return ""
}
