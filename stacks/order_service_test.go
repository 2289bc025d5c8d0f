package stacks

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
)

// TestOrderServiceHandlers runs both inline handlers against in-memory
// fakes of DynamoDB and SQS: orders are stored and queued, bad bodies
// refused, and the consumer reports exactly the messages it failed.
func TestOrderServiceHandlers(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		missingTool(t, "python3 not on PATH (apt-get install python3)")
	}
	out, err := exec.Command(py, "testdata/order_service_handlers.py").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

// Without a custom domain the API keeps its execute-api endpoint and the
// stack asks for no domain parameters.
func TestOrderServiceWithoutDomain(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), OrderService{}.Build)
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"ApiDomainName", "HostedZoneId", "AWS::CertificateManager::Certificate", "DisableExecuteApiEndpoint"} {
		if strings.Contains(out, absent) {
			t.Errorf("%s without CustomDomain:\n%s", absent, out)
		}
	}
	if !strings.Contains(out, "Value: !GetAtt OrdersApi.ApiEndpoint\n") {
		t.Errorf("OrdersApiUrl is not the execute-api endpoint:\n%s", out)
	}
}
