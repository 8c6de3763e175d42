package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad_ShippedFileIsValid(t *testing.T) {
	c, err := Load("gateway.yaml", envOf(nil))
	if err != nil {
		t.Fatalf("shipped config rejected: %v", err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" {
		t.Errorf("addr/data_dir = %q/%q, want :8080/./data", c.Addr, c.DataDir)
	}
	for _, p := range []string{c.KB.Path, c.Dialog.IntentsPath, c.Dialog.MessagesPath} {
		if _, err := os.Stat(c.Resolve(p)); err != nil {
			t.Errorf("shipped config names %s, which does not exist: %v", p, err)
		}
	}
}

func TestLoad_EnvironmentOverridesFile(t *testing.T) {
	path := writeFile(t, "addr: \":9000\"\nwebchat:\n  rate_burst: 3\n")
	env := envOf(map[string]string{
		"HOTLINE_ADDR":                    ":9100",
		"HOTLINE_WEBCHAT_ALLOWED_ORIGINS": "https://a.example, https://b.example",
		"HOTLINE_DIALOG_IDLE_TIMEOUT":     "2h",
		"HOTLINE_STORE_RETENTION":         "30d",
	})
	c, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}

	if c.Addr != ":9100" {
		t.Errorf("addr = %q, want the environment's :9100", c.Addr)
	}
	if c.Webchat.RateBurst != 3 {
		t.Errorf("rate_burst = %d, want the file's 3", c.Webchat.RateBurst)
	}
	if got := c.Webchat.AllowedOrigins; len(got) != 2 || got[1] != "https://b.example" {
		t.Errorf("allowed_origins = %q", got)
	}
	if c.Dialog.IdleTimeout.D() != 2*time.Hour || c.Store.Retention.D() != 30*24*time.Hour {
		t.Errorf("durations = %v, %v", c.Dialog.IdleTimeout, c.Store.Retention)
	}
}

func TestLoad_ErrorsNameTheKey(t *testing.T) {
	cases := []struct {
		name, file string
		env        map[string]string
		want       string
	}{
		{"bad level", "log:\n  level: loud\n", nil, "log.level"},
		{"unknown key", "webchat:\n  read_limt: 10\n", nil, "read_limt"},
		{"bad duration", "dialog:\n  idle_timeout: soon\n", nil, "soon"},
		{"bad origin", "webchat:\n  allowed_origins: [example.com]\n", nil, "webchat.allowed_origins"},
		{"bad env number", "", map[string]string{"HOTLINE_WEBCHAT_RATE_BURST": "many"},
			"HOTLINE_WEBCHAT_RATE_BURST"},
		{"too small limit", "webchat:\n  read_limit: 10\n", nil, "webchat.read_limit"},
		{"negative answers per minute", "", map[string]string{"HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "-1"},
			"dialog.answers_per_minute"},
		{"record ttl under a second", "redis:\n  record_ttl: 500ms\n", nil, "redis.record_ttl"},
		{"bad trusted proxy", "http:\n  trusted_proxies: [10.0.0.0/33]\n", nil, "http.trusted_proxies"},
		{"rate without burst", "http:\n  rate_per_address: 5\n  burst_per_address: 0\n", nil, "http.burst_per_address"},
		{"crm wait over an hour", "", map[string]string{"HOTLINE_CRM_MAX_WAIT": "2h"}, "crm.max_wait"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.file), envOf(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

func TestLoad_EmptyFileMeansDefaults(t *testing.T) {
	c, err := Load(writeFile(t, ""), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Webchat.ReadLimit != Default().Webchat.ReadLimit {
		t.Errorf("read_limit = %d, want the default", c.Webchat.ReadLimit)
	}
}

func TestConfig_ResolveIsRelativeToTheFile(t *testing.T) {
	path := writeFile(t, "kb:\n  path: other.yaml\n")
	c, err := Load(path, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(filepath.Dir(path), "other.yaml")
	if got := c.Resolve(c.KB.Path); got != want {
		t.Errorf("Resolve = %q, want %q", got, want)
	}
}

func TestSecret_NeverPrints(t *testing.T) {
	s := Secret("hunter2-very-secret")
	for _, out := range []string{
		s.String(), fmt.Sprintf("%v %s %+v %#v", s, s, s, s),
		fmt.Sprintf("%v", struct{ Token Secret }{s}),
	} {
		if strings.Contains(out, "hunter2") {
			t.Fatalf("secret leaked: %q", out)
		}
	}
	if s.Reveal() != "hunter2-very-secret" {
		t.Error("Reveal must return the value")
	}
}

func TestSecret_FromFile(t *testing.T) {
	type holder struct {
		Token Secret `yaml:"token"`
	}
	secretFile := writeFile(t, "from-file\n")
	var h holder
	err := setFromEnvFor(&h, envOf(map[string]string{"HOTLINE_TOKEN_FILE": secretFile}))
	if err != nil {
		t.Fatal(err)
	}
	if h.Token.Reveal() != "from-file" {
		t.Errorf("token = %q, want the file's content", h.Token.Reveal())
	}
}

func TestParseDuration_Days(t *testing.T) {
	d, err := ParseDuration("7d")
	if err != nil || d.D() != 7*24*time.Hour {
		t.Fatalf("7d = %v, %v", d, err)
	}
	if _, err := ParseDuration("-3d"); err == nil {
		t.Error("negative days accepted")
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
