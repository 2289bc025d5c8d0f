package cloud

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// stalledEndpoint is a TCP listener that accepts connections and never
// answers, as a stalled endpoint or a black-holing proxy does.
func stalledEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // read nothing, answer nothing
		}
	}()
	t.Cleanup(func() {
		l.Close()
		for _, c := range held {
			c.Close()
		}
	})
	return "http://" + l.Addr().String()
}

func TestStalledEndpointEndsWithOneLine(t *testing.T) {
	endpoint := stalledEndpoint(t)
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "eu-central-1")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	c, err := New(context.Background(), Options{Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.DescribeStack(context.Background(), "s")
	took := time.Since(start)
	var stalled *StalledError
	if !errors.As(err, &stalled) {
		t.Fatalf("want a StalledError, got %v", err)
	}
	want := "cannot describe stack s in eu-central-1: no answer from " + endpoint + " to DescribeStacks within 300ms: check the network"
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "--timeout or FORMWORK_AWS_TIMEOUT") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q\nwant it to start %q", err, want)
	}
	if took > 5*time.Second {
		t.Errorf("the call took %s with a 300ms deadline", took)
	}
	if err := c.CheckAccount(context.Background(), "123456789012"); !errors.As(err, &stalled) || !strings.Contains(err.Error(), "GetCallerIdentity") {
		t.Errorf("STS: %v", err)
	}
}

func TestCallTimeout(t *testing.T) {
	t.Setenv(TimeoutVariable, "")
	if d, _ := CallTimeout(0); d != DefaultCallTimeout {
		t.Errorf("default %s", d)
	}
	t.Setenv(TimeoutVariable, "5s")
	if d, _ := CallTimeout(0); d != 5*time.Second {
		t.Errorf("from the environment: %s", d)
	}
	if d, _ := CallTimeout(time.Second); d != time.Second {
		t.Errorf("the flag wins: %s", d)
	}
	t.Setenv(TimeoutVariable, "soon")
	if _, err := CallTimeout(0); err == nil || !strings.Contains(err.Error(), `FORMWORK_AWS_TIMEOUT="soon" is not a duration`) {
		t.Errorf("bad value: %v", err)
	}
}
