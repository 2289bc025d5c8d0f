package diff

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

// The front doors of a service: API Gateway REST API methods and HTTP or
// WebSocket API routes that anyone can call. A method or route is a fact
// when its AuthorizationType is NONE (or not set, which means NONE): no
// IAM, Cognito, JWT or Lambda authorizer checks the caller. An API key,
// when required, still keeps out whoever does not hold one, so a fact also
// records whether one is required; dropping it widens access.

// Exposure kinds of API Gateway.
const (
	KindAPIMethod = "API method"
	KindAPIRoute  = "API route"
)

// openness of an API fact: how many of the checks a caller must pass are
// gone.
const (
	openWithKey = 1 // no authorization, an API key required
	openToAll   = 2 // no authorization, no API key
)

// apiFact is the fact of a method or route without authorization, or none
// when an authorizer (or an unreadable AuthorizationType) guards it.
func apiFact(r resourceSide, props *templates.Map) []keyed[fact] {
	auth, ok := authorizationType(props)
	if !ok || auth != "NONE" {
		return nil
	}
	kind, what := KindAPIRoute, "route "+Summarize(props.Value("RouteKey"))
	if r.typ == "AWS::ApiGateway::Method" {
		method := Summarize(props.Value("HttpMethod"))
		if method == "OPTIONS" && isMockIntegration(props) {
			return nil // a CORS preflight answered by API Gateway itself
		}
		kind, what = KindAPIMethod, fmt.Sprintf("%s on %s", method, Summarize(props.Value("ResourceId")))
	}
	open, detail := openToAll, what+": AuthorizationType NONE"
	risk := "anyone who can reach the API can call it: no authorization"
	if key, _ := scalarText(props.Value("ApiKeyRequired")); key == "true" {
		open, detail = openWithKey, detail+", API key required"
		risk = "no authorization: anyone holding an API key can call it"
	}
	return []keyed[fact]{{detail, fact{loc: r.id, open: open, row: ExposureDiff{Resource: r.id, Kind: kind, Detail: detail, Risk: risk}}}}
}

// authorizationType reads AuthorizationType; absent means NONE. An
// intrinsic (a parameter, an !If resolved elsewhere) cannot be read.
func authorizationType(props *templates.Map) (string, bool) {
	v, set := props.Get("AuthorizationType")
	if !set {
		return "NONE", true
	}
	s, ok := v.(string)
	return s, ok
}

func isMockIntegration(props *templates.Map) bool {
	typ, _ := field(props.Value("Integration"), "Type")
	return typ == "MOCK"
}

// isAPIKind reports the kinds whose facts carry an openness.
func isAPIKind(kind string) bool { return kind == KindAPIMethod || kind == KindAPIRoute }

// apiCounterpart returns the fact of the same method or route on the
// other side of the change, if there is one.
func apiCounterpart(f fact, others []keyed[fact]) (fact, bool) {
	for _, o := range others {
		if o.row.row.Kind == f.row.Kind && o.row.loc == f.loc && o.row.row.When == f.row.When {
			return o.row, true
		}
	}
	return fact{}, false
}

// addedAPIExposure decides an added method or route fact: a new open door,
// or one that no longer requires an API key, broadens access; one that
// now requires a key is reported with the removed fact, not here.
func addedAPIExposure(row ExposureDiff, f fact, removed []keyed[fact]) (ExposureDiff, bool) {
	old, paired := apiCounterpart(f, removed)
	switch {
	case !paired:
		return row, true
	case f.open > old.open:
		row.Risk = "API key no longer required: " + row.Risk
		return row, true
	}
	return row, false
}

// removedAPIExposure decides a removed method or route fact: gone, or
// guarded by an authorizer now, it narrows; a door that merely dropped its
// API key is reported with the added fact.
func removedAPIExposure(row ExposureDiff, f fact, added []keyed[fact]) (ExposureDiff, bool) {
	now, paired := apiCounterpart(f, added)
	switch {
	case !paired:
		row.Risk = "no longer open: authorization is required, or the " + map[string]string{KindAPIMethod: "method", KindAPIRoute: "route"}[row.Kind] + " is gone"
		return row, true
	case now.open < f.open:
		row.Risk = "now requires an API key"
		return row, true
	}
	return row, false
}
