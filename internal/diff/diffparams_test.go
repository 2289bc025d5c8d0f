package diff

import (
	"strings"
	"testing"
)

const deployedTemplate = `Parameters:
  Email: {Type: String}
  Prefix: {Type: String}
  Retention: {Type: Number, Default: 30}
  Unused: {Type: String, Default: x}
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "${Prefix} alerts"
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: email
      Endpoint: !Ref Email
      TopicArn: !Ref Topic
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /app/${Prefix}
      RetentionInDays: !Ref Retention
  Custom:
    Type: Acme::Widget::Thing
    Properties:
      Name: !Ref Prefix
`

func TestDiffDeploymentMarksWhatChangedParametersReach(t *testing.T) {
	body := []byte(deployedTemplate)
	cases := []struct {
		changed []string
		want    []string // logicalId replacement: path replaces (why)
	}{
		{nil, nil},
		{[]string{"Unused"}, nil},
		{[]string{"Email"}, []string{"Subscription yes: Properties.Endpoint yes (refers to parameter Email, whose value changes, and it is create-only)"}},
		{[]string{"Retention"}, []string{"Logs no: Properties.RetentionInDays no (refers to parameter Retention, whose value changes)"}},
		{[]string{"Prefix"}, []string{
			"Topic no: Properties.DisplayName no (refers to parameter Prefix, whose value changes)",
			"Logs yes: Properties.LogGroupName yes (refers to parameter Prefix, whose value changes, and it is create-only)",
			"Custom unknown: Properties.Name unknown (refers to parameter Prefix, whose value changes)"}},
		{[]string{"Prefix", "Retention"}, []string{
			"Topic no: Properties.DisplayName no (refers to parameter Prefix, whose value changes)",
			"Logs yes: Properties.LogGroupName yes (refers to parameter Prefix, whose value changes, and it is create-only)" +
				"; Properties.RetentionInDays no (refers to parameter Retention, whose value changes)",
			"Custom unknown: Properties.Name unknown (refers to parameter Prefix, whose value changes)"}},
	}
	for _, c := range cases {
		d, err := DiffDeployment("s", body, body, c.changed, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range d.Resources {
			var props []string
			for _, p := range r.Properties {
				props = append(props, p.Path+" "+string(p.Replaces)+" ("+p.Why+")")
			}
			got = append(got, r.LogicalID+" "+string(r.Replacement)+": "+strings.Join(props, "; "))
			if r.Change != Modify || r.Notes == nil || r.Failures == nil {
				t.Errorf("%v: %+v", c.changed, r)
			}
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%v:\n got %s\nwant %s", c.changed, strings.Join(got, "\n     "), strings.Join(c.want, "\n     "))
		}
		if wantStatus := map[bool]string{true: StackUnchanged, false: StackModified}[len(c.want) == 0]; d.Status != wantStatus {
			t.Errorf("%v: status %s, want %s", c.changed, d.Status, wantStatus)
		}
	}
}

func TestDiffDeploymentAddsToTemplateChanges(t *testing.T) {
	head := strings.Replace(deployedTemplate, "Protocol: email", "Protocol: email-json", 1)
	d, err := DiffDeployment("s", []byte(deployedTemplate), []byte(head), []string{"Email"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Resources) != 1 || len(d.Resources[0].Properties) != 2 || d.Resources[0].Replacement != ReplaceYes {
		t.Fatalf("one entry with both the template change and the parameter's: %+v", d.Resources)
	}
	// a new stack has nothing deployed for a parameter to change
	d, err = DiffDeployment("s", nil, []byte(head), []string{"Email"}, nil)
	if err != nil || d.Status != StackAdded || len(d.Resources) != 4 {
		t.Errorf("new stack: %v %+v", err, d)
	}
}
