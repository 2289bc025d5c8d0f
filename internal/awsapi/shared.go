package awsapi

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// section is one [section] of an AWS config or credentials file; a nested
// setting (services' "s3 =" block) is kept as "s3.endpoint_url".
type section map[string]string

// sharedFiles is what ~/.aws/config and ~/.aws/credentials (or
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE) say.
type sharedFiles struct {
	configPath, credentialsPath string
	config, credentials         map[string]section
}

// readSharedFiles reads both files; a file that does not exist is empty.
func readSharedFiles(env func(string) string) (*sharedFiles, error) {
	home, _ := os.UserHomeDir()
	s := &sharedFiles{
		configPath:      first(env("AWS_CONFIG_FILE"), filepath.Join(home, ".aws", "config")),
		credentialsPath: first(env("AWS_SHARED_CREDENTIALS_FILE"), filepath.Join(home, ".aws", "credentials")),
	}
	var err error
	if s.config, err = readINI(s.configPath); err != nil {
		return nil, err
	}
	if s.credentials, err = readINI(s.credentialsPath); err != nil {
		return nil, err
	}
	return s, nil
}

func readINI(path string) (map[string]section, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(b) == 0) {
		return map[string]section{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the AWS file %s: %v", path, err)
	}
	out, err := parseINI(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return out, nil
}

// parseINI reads the AWS files' INI dialect: [section] headers, key = value
// lines, comments from # or ; at the start of a line, and a key with no
// value followed by indented key = value lines (a nested block).
func parseINI(b []byte) (map[string]section, error) {
	out := map[string]section{}
	var cur section
	parent := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("line %d: %q is not a [section] header", n, line)
			}
			name := strings.Join(strings.Fields(line[1:len(line)-1]), " ")
			if out[name] == nil {
				out[name] = section{}
			}
			cur, parent = out[name], ""
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || cur == nil {
			return nil, fmt.Errorf("line %d: want key = value inside a [section]", n)
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		indented := raw[0] == ' ' || raw[0] == '\t'
		switch {
		case indented && parent != "":
			cur[parent+"."+key] = value
		case value == "":
			parent = key
		default:
			cur[key], parent = value, ""
		}
	}
	return out, sc.Err()
}

// profile returns the named profile's settings, those of the credentials
// file winning over the config file's, and whether either file has it.
func (s *sharedFiles) profile(name string) (section, bool) {
	merged := section{}
	found := false
	for _, header := range []string{"profile " + name, name} {
		if header == name && name != "default" {
			continue // the config file names profiles "profile NAME"
		}
		if sec, ok := s.config[header]; ok {
			found = true
			for k, v := range sec {
				merged[k] = v
			}
		}
	}
	if sec, ok := s.credentials[name]; ok {
		found = true
		for k, v := range sec {
			merged[k] = v
		}
	}
	return merged, found
}

// ssoSession is the config file's [sso-session NAME].
func (s *sharedFiles) ssoSession(name string) (section, bool) {
	sec, ok := s.config["sso-session "+name]
	return sec, ok
}

// services is the config file's [services NAME].
func (s *sharedFiles) services(name string) section { return s.config["services "+name] }
