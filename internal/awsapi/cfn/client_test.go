package cfn

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/formwork-dev/formwork/internal/awsapi"
)

// server answers every call with the file named by its Action (or body
// when one is given) and keeps the forms it was sent.
func server(t *testing.T, status int, body string) (*Client, *[]url.Values) {
	t.Helper()
	var forms []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
			t.Errorf("unsigned request: %q", r.Header.Get("Authorization"))
		}
		forms = append(forms, r.PostForm)
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, nil
	})
	return New(awsapi.NewClient("us-east-1", creds, 5*time.Second)), &forms
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDescribeStacksReadsTheDocumentedExample(t *testing.T) {
	c, forms := server(t, 200, fixture(t, "describe-stacks.xml"))
	out, err := c.DescribeStacks(context.Background(), &DescribeStacksInput{StackName: "MyStack"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Stack{{StackName: "MyStack", StackId: "arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83",
		StackStatus: "CREATE_COMPLETE", Outputs: []Output{{OutputKey: "StartPage", OutputValue: "http://my-load-balancer.amazonaws.com:80/index.html"}}}}
	if !reflect.DeepEqual(out.Stacks, want) {
		t.Errorf("stacks\n%+v\nwant\n%+v", out.Stacks, want)
	}
	f := (*forms)[0]
	if f.Get("Action") != "DescribeStacks" || f.Get("Version") != "2010-05-15" || f.Get("StackName") != "MyStack" || f.Has("NextToken") {
		t.Errorf("form %v", f)
	}
}

func TestDescribeStackEventsReadsTimesAndTheNextToken(t *testing.T) {
	c, forms := server(t, 200, fixture(t, "describe-stack-events.xml"))
	out, err := c.DescribeStackEvents(context.Background(), &DescribeStackEventsInput{StackName: "SampleStack", NextToken: "page-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.StackEvents) != 2 || out.NextToken != "page-2" {
		t.Fatalf("%+v", out)
	}
	e := out.StackEvents[1]
	at := time.Date(2016, 3, 15, 20, 54, 30, 174e6, time.UTC)
	if e.EventId != "MyEC2Instance-CREATE_COMPLETE-2016-03-15T20:54:30.174Z" || !e.Timestamp.Equal(at) || e.LogicalResourceId != "MyEC2Instance" ||
		e.ResourceType != "AWS::EC2::Instance" || e.ResourceStatus != "CREATE_COMPLETE" || e.PhysicalResourceId != "i-1abc23d4" {
		t.Errorf("event %+v", e)
	}
	if (*forms)[0].Get("NextToken") != "page-1" {
		t.Errorf("form %v", (*forms)[0])
	}
}

// The XML of a change set decodes to what the AWS CLI's JSON of the same
// change set does.
func TestDescribeChangeSetXMLMatchesTheDocumentedJSON(t *testing.T) {
	c, _ := server(t, 200, fixture(t, "describe-change-set-multiple.xml"))
	got, err := c.DescribeChangeSet(context.Background(), &DescribeChangeSetInput{StackName: "SampleStack", ChangeSetName: "SampleChangeSet-multiple"})
	if err != nil {
		t.Fatal(err)
	}
	var want DescribeChangeSetOutput
	if err := json.Unmarshal([]byte(fixture(t, "../../../plan/testdata/aws-docs/multiple.json")), &want); err != nil {
		t.Fatal(err)
	}
	// nil and empty lists print alike
	if g, w := mustJSON(t, got), mustJSON(t, &want); g != w {
		t.Errorf("XML\n%s\nJSON\n%s", g, w)
	}
	if len(got.Changes) == 0 || len(got.Changes[0].ResourceChange.Details) != 6 || got.Changes[0].ResourceChange.Replacement != "True" {
		t.Errorf("changes not read: %+v", got.Changes)
	}
}

// Values travel byte for byte: spaces, +, &, =, newlines, Unicode, an empty
// parameter value; lists as Name.member.N in order.
func TestCreateChangeSetSendsValuesAsWritten(t *testing.T) {
	c, forms := server(t, 200, `<CreateChangeSetResponse><CreateChangeSetResult><Id>arn:cs</Id><StackId>arn:stack</StackId></CreateChangeSetResult></CreateChangeSetResponse>`)
	body := "Resources:\n  T:\n    Type: AWS::SNS::Topic # a+b=c & d\n    Properties: {DisplayName: \"ünï €\"}\r\n"
	out, err := c.CreateChangeSet(context.Background(), &CreateChangeSetInput{StackName: "s", ChangeSetName: "p", TemplateBody: body,
		ChangeSetType: ChangeSetTypeCreate, RoleARN: "arn:aws:iam::123456789012:role/deployer",
		Parameters:   []Parameter{{"Token", " s3cr+t&=%20 "}, {"Empty", ""}},
		Tags:         []Tag{{"team", "a b"}, {"cost", "0012"}},
		Capabilities: []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}})
	if err != nil || out.Id != "arn:cs" || out.StackId != "arn:stack" {
		t.Fatalf("%+v %v", out, err)
	}
	f := (*forms)[0]
	for k, v := range map[string]string{
		"Action": "CreateChangeSet", "TemplateBody": body, "ChangeSetType": "CREATE", "RoleARN": "arn:aws:iam::123456789012:role/deployer",
		"Parameters.member.1.ParameterKey": "Token", "Parameters.member.1.ParameterValue": " s3cr+t&=%20 ",
		"Parameters.member.2.ParameterKey": "Empty", "Parameters.member.2.ParameterValue": "",
		"Tags.member.1.Key": "team", "Tags.member.1.Value": "a b", "Tags.member.2.Value": "0012",
		"Capabilities.member.1": "CAPABILITY_IAM", "Capabilities.member.2": "CAPABILITY_NAMED_IAM",
	} {
		if !f.Has(k) || f.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, f.Get(k), v)
		}
	}
	if f.Has("Description") {
		t.Errorf("an empty description is sent: %v", f)
	}
}

func TestErrorsCarryTheCodeAndMessage(t *testing.T) {
	c, forms := server(t, 400, fixture(t, "error.xml"))
	_, err := c.GetTemplate(context.Background(), &GetTemplateInput{StackName: "MyStack", TemplateStage: TemplateStageOriginal})
	api := awsapi.AsError(err)
	if api == nil || api.Code != "ValidationError" || api.Message != "Stack with id MyStack does not exist" || api.Status != 400 ||
		api.RequestID != "42d5e2c5-0b2a-11e6-9d6f-example" {
		t.Fatalf("error %#v", err)
	}
	if len(*forms) != 1 {
		t.Errorf("a 400 was retried: %d calls", len(*forms))
	}
}

func mustJSON(t *testing.T, v *DescribeChangeSetOutput) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "null", "[]")
}

// A template comes back as written: entities, carriage returns (which XML
// carries as character references), leading and trailing space.
func TestGetTemplateBodyIsExact(t *testing.T) {
	c, forms := server(t, 200, `<GetTemplateResponse><GetTemplateResult><TemplateBody>  a: "&lt;b&gt; &amp; c"&#xD;
d: 'ü'&#13;
</TemplateBody><StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable></GetTemplateResult></GetTemplateResponse>`)
	out, err := c.GetTemplate(context.Background(), &GetTemplateInput{StackName: "s", TemplateStage: TemplateStageOriginal})
	if err != nil {
		t.Fatal(err)
	}
	if want := "  a: \"<b> & c\"\r\nd: 'ü'\r\n"; out.TemplateBody != want || len(out.StagesAvailable) != 2 {
		t.Errorf("body %q, want %q (stages %v)", out.TemplateBody, want, out.StagesAvailable)
	}
	if f := (*forms)[0]; f.Get("TemplateStage") != "Original" || f.Get("Action") != "GetTemplate" {
		t.Errorf("form %v", f)
	}
}

// Every other call sends its action and names, and reads its answer.
func TestEachCallSendsItsNames(t *testing.T) {
	c, forms := server(t, 200, `<R><ListChangeSetsResult><Summaries><member><ChangeSetName>p1</ChangeSetName></member></Summaries></ListChangeSetsResult>`+
		`<ListStackResourcesResult><StackResourceSummaries><member><LogicalResourceId>Topic</LogicalResourceId></member></StackResourceSummaries><NextToken>n2</NextToken></ListStackResourcesResult></R>`)
	ctx := context.Background()
	sets, err1 := c.ListChangeSets(ctx, &ListChangeSetsInput{StackName: "s"})
	res, err2 := c.ListStackResources(ctx, &ListStackResourcesInput{StackName: "s", NextToken: "n1"})
	_, err3 := c.ExecuteChangeSet(ctx, &ExecuteChangeSetInput{StackName: "s", ChangeSetName: "p"})
	_, err4 := c.DeleteChangeSet(ctx, &DeleteChangeSetInput{StackName: "s", ChangeSetName: "p"})
	_, err5 := c.DeleteStack(ctx, &DeleteStackInput{StackName: "s"})
	for _, err := range []error{err1, err2, err3, err4, err5} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(sets.Summaries) != 1 || sets.Summaries[0].ChangeSetName != "p1" || res.StackResourceSummaries[0].LogicalResourceId != "Topic" || res.NextToken != "n2" {
		t.Errorf("answers %+v %+v", sets, res)
	}
	want := []string{"ListChangeSets s  ", "ListStackResources s  n1", "ExecuteChangeSet s p ", "DeleteChangeSet s p ", "DeleteStack s  "}
	for i, f := range *forms {
		if got := f.Get("Action") + " " + f.Get("StackName") + " " + f.Get("ChangeSetName") + " " + f.Get("NextToken"); got != want[i] {
			t.Errorf("call %d: %q, want %q", i, got, want[i])
		}
	}
}
