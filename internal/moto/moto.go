// Package moto starts moto's server (python3 -m moto.server), a real
// CloudFormation, S3, IAM, Lambda, SNS, Events, Logs, Route 53 and SQS
// implementation, on a free loopback port for one test, and stops it by its
// pid when the test ends.
package moto

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

// Unimplemented are the resource types formwork's catalogue uses that moto
// 5.2 skips (moto.cloudformation.parsing's model map): a stack of them
// "creates" without them, a GetAtt to one fails the stack. Remove a type
// here when moto learns it; the deploy tests then cover it.
var Unimplemented = []string{
	"AWS::ApiGatewayV2::Api",
	"AWS::ApiGatewayV2::ApiMapping",
	"AWS::ApiGatewayV2::DomainName",
	"AWS::ApiGatewayV2::Integration",
	"AWS::ApiGatewayV2::Route",
	"AWS::ApiGatewayV2::Stage",
	"AWS::CertificateManager::Certificate",
	"AWS::CloudFront::Distribution",
	"AWS::CloudFront::Function",
	"AWS::CloudFront::OriginAccessControl",
	"AWS::CloudFront::ResponseHeadersPolicy",
	"AWS::CloudWatch::Alarm",
	"AWS::CodeBuild::Project",
	"AWS::CodePipeline::Pipeline",
	"AWS::EC2::DHCPOptions",
	"AWS::EC2::VPCDHCPOptionsAssociation",
	"AWS::ElastiCache::CacheCluster",
	"AWS::ElastiCache::SubnetGroup",
	"AWS::Lambda::EventInvokeConfig",
	"AWS::S3::BucketPolicy",
	"AWS::SNS::Subscription",
	"AWS::SNS::TopicPolicy",
	"AWS::SQS::QueuePolicy",
}

// Server is a running moto.
type Server struct {
	// URL is the endpoint, e.g. http://127.0.0.1:40123: set it as
	// AWS_ENDPOINT_URL.
	URL    string
	cmd    *exec.Cmd
	log    *bytes.Buffer
	exited chan struct{} // closed when the process has ended
}

// Start starts moto for the test, or skips the test with a one-line reason
// when python3 or moto is missing (fails instead under CI=true). It sets
// AWS_ENDPOINT_URL, test credentials and AWS_REGION=us-east-1 for the test.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start()
	if s == nil {
		missing(t, err.Error())
	}
	t.Cleanup(s.stop)
	if err != nil {
		t.Fatal(err)
	}
	s.setEnv(t)
	return s
}

var shared struct {
	sync.Mutex
	server *Server
	err    error
}

// Shared is Start for a test package that runs many tests on one moto: the
// first call starts it, every call resets it (the test starts from nothing)
// and sets the environment for the test. Stop it from TestMain with
// StopShared.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if shared.server == nil && shared.err == nil {
		shared.server, shared.err = start()
	}
	switch {
	case shared.server == nil:
		missing(t, shared.err.Error())
	case shared.err != nil:
		t.Fatal(shared.err)
	}
	shared.server.Reset(t)
	shared.server.setEnv(t)
	return shared.server
}

// StopShared stops the moto Shared started, if any.
func StopShared() {
	shared.Lock()
	defer shared.Unlock()
	if shared.server != nil {
		shared.server.stop()
		shared.server = nil
	}
}

// start runs moto on a free port and waits until it answers. A nil Server
// means moto is not installed; a Server with an error did not come up.
// (Whether moto is importable is learnt from the server itself: a separate
// import check would cost as long again as the start.)
func start() (*Server, error) {
	notInstalled := fmt.Errorf("moto is not installed (python3 -m pip install 'moto[server]'): deploy tests skipped")
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, notInstalled
	}
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("no free loopback port for moto: %v", err)
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), log: &bytes.Buffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return s, fmt.Errorf("cannot start moto: %v", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(30 * time.Second); err != nil {
		select {
		case <-s.exited: // the log is complete once the process is gone
			if strings.Contains(s.log.String(), "No module named") {
				return nil, notInstalled
			}
			return s, fmt.Errorf("moto exited before it answered on %s:\n%s", s.URL, s.log)
		default:
			return s, fmt.Errorf("moto did not answer on %s: %v", s.URL, err)
		}
	}
	return s, nil
}

func (s *Server) setEnv(t testing.TB) {
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": s.URL, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
	} {
		t.Setenv(k, v)
	}
}

// missing skips the test, or fails it under CI=true, where every tool the
// tests need must be installed.
func missing(t testing.TB, reason string) {
	t.Helper()
	templatestest.Missing(t, reason)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) waitReady(limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		resp, err := client.Get(s.URL + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-s.exited:
			return fmt.Errorf("moto exited")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stop ends moto and its children by process group. moto keeps everything
// in memory, so there is nothing to flush: it is killed at once rather than
// given the two seconds its server takes to shut down.
func (s *Server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
}

// Reset forgets every resource moto holds, so a test starts from nothing.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("moto reset: %v", err)
	}
	resp.Body.Close()
}
