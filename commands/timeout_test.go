package commands

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/templates"
)

// stalled points the AWS SDK at a TCP listener that accepts connections and
// never answers.
func stalled(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns := make(chan net.Conn, 100)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns <- c
		}
	}()
	t.Cleanup(func() {
		l.Close()
		close(conns)
		for c := range conns {
			c.Close()
		}
	})
	endpoint := "http://" + l.Addr().String()
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_REGION": "eu-central-1", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"} {
		t.Setenv(k, v)
	}
	return endpoint
}

// Every command that calls AWS gives up on a stalled endpoint after the
// deadline, in one line that names the endpoint and what to try.
func TestStalledEndpoint(t *testing.T) {
	endpoint := stalled(t)
	useStacks(t, demoApp, codeApp(templates.Dir(codeDir(t))))
	t.Setenv("FORMWORK_AWS_TIMEOUT", "300ms")
	for _, c := range []struct {
		args []string
		call string
	}{
		{[]string{"plan", "demo-app", "--param", "Repository=a/b", "--change-set", "p"}, "DescribeStacks"},
		{[]string{"apply", "demo-app", "--param", "Repository=a/b", "--change-set", "p", "--timeout", "200ms"}, "DescribeChangeSet"},
		{[]string{"diff", "--base", "stack:demo", "demo-app"}, "GetTemplate"},
		{[]string{"package", "code-app", "--s3-bucket", "b"}, "HeadObject"},
	} {
		start := time.Now()
		r := formwork(t, c.args...)
		if c.call == "HeadObject" { // package says what it builds first
			r.stderr = r.stderr[strings.LastIndex(strings.TrimSuffix(r.stderr, "\n"), "\n")+1:]
		}
		r.wantUsage(t, "no answer from "+endpoint+" to "+c.call+" within ", "check the network", "--timeout or FORMWORK_AWS_TIMEOUT")
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("formwork %s took %s", strings.Join(c.args, " "), took)
		}
	}
}
