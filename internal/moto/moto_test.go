package moto

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStartAnswersAndStops(t *testing.T) {
	s := Start(t)
	resp, err := http.Get(s.URL + "/moto-api/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto answered %s", resp.Status)
	}
	s.Reset(t)
}

func TestStartWithoutMotoSaysSo(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\necho \"/usr/bin/python3: No module named moto\" >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "python3"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	s, err := start()
	if s != nil || err == nil || !strings.Contains(err.Error(), "moto is not installed") {
		t.Fatalf("got %v, %v; want no server and the install hint", s, err)
	}
	t.Setenv("PATH", t.TempDir()) // no python3 at all
	if s, err := start(); s != nil || err == nil || !strings.Contains(err.Error(), "moto is not installed") {
		t.Fatalf("without python3: %v, %v", s, err)
	}
}
