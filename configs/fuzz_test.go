package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary gateway.yaml files to Load. Loading is quick;
// a file that loads passes Validate; a refused file's error is a read or
// YAML error naming the file, or lines that each begin with the key at
// fault and a reason.
func FuzzLoad(f *testing.F) {
	shipped, err := os.ReadFile("gateway.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shipped)
	for _, s := range hostileConfigs {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	var n atomic.Int64

	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, fmt.Sprintf("gateway-%d.yaml", n.Add(1)))
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(path)
		stop := time.AfterFunc(10*time.Second, func() { panic("Load took over 10s") })
		defer stop.Stop()

		c, err := Load(path, func(string) string { return "" })
		if err == nil {
			if err := c.Validate(); err != nil {
				t.Fatalf("a loaded config does not validate: %v", err)
			}
			return
		}
		msg := err.Error()
		if strings.HasPrefix(msg, "config "+path+": ") {
			return
		}
		for _, line := range strings.Split(msg, "\n") {
			key, reason, ok := strings.Cut(line, ": ")
			if !ok || reason == "" || !knownKey(key) {
				t.Fatalf("error line %q does not name a key; whole error:\n%s", line, msg)
			}
		}
	})
}

// FuzzParseDuration checks that a duration read from text is the one the
// text says: whole days never wrap around, and the value reads back the
// same from its own String.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90s", "30m", "72h", "90d", "0d", "-1d", "106751d", "106752d",
		"9223372036854775807d", "213503982334601d", "1.5h", " 7d ", "d", "1e9d", "-0s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if days, ok := strings.CutSuffix(strings.TrimSpace(s), "d"); ok {
			n, err := strconv.ParseInt(days, 10, 64)
			if err != nil || d < 0 || time.Duration(d)/(24*time.Hour) != time.Duration(n) ||
				time.Duration(d)%(24*time.Hour) != 0 {
				t.Fatalf("ParseDuration(%q) = %v, not %s days", s, d.D(), days)
			}
		}
		again, err := ParseDuration(d.String())
		if err != nil || again != d {
			t.Fatalf("ParseDuration(%q) = %v, which reads back as %v (%v)", s, d.D(), again.D(), err)
		}
	})
}

// topKeys are the first parts of the keys that validation errors name.
var topKeys = []string{"addr", "data_dir", "log", "http", "kb", "dialog", "webchat", "store", "database",
	"tickets", "api", "crm", "agent", "wechat", "sms", "redis", "metrics", "shutdown_timeout", "gc_percent"}

// knownKey reports whether key is a settings key: one of topKeys, or one
// followed by a dot or an index.
func knownKey(key string) bool {
	for _, k := range topKeys {
		if rest, ok := strings.CutPrefix(key, k); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			return true
		}
	}
	return false
}

// hostileConfigs are settings files with aliases that multiply, deep
// nesting, huge and negative numbers, NULs and invalid UTF-8.
var hostileConfigs = []string{
	"",
	"---\n",
	"addr: \"\\0:80\"\n",
	"addr: \xff\xfe\n",
	"webchat:\n  read_limit: 99999999999999999999999\n",
	"webchat:\n  read_limit: -9223372036854775808\n  rate_per_second: .nan\n  rate_burst: -1\n",
	"dialog:\n  idle_timeout: 9223372036854775807d\n",
	"dialog:\n  idle_timeout: 106752d\n",
	"store:\n  retention: -1s\n",
	"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nwebchat:\n  allowed_origins: *b\n",
	"sms:\n  - name: a\n    provider: twilio\n  - name: a\n    provider: webhook\n",
	"sms: [{}, null, {name: \"\\n\"}]\n",
	"tickets:\n  deadlines:\n    \"x\\ny\": {respond: 1h}\n",
	"tickets:\n  timezone: \"../../../etc/passwd\"\n",
	"wechat:\n  aes_key: \"" + strings.Repeat("A", 43) + "\"\n  menu: {\"\": \"\"}\n",
	"api:\n  tokens: [{name: \"\", token: \"\"}]\n",
	strings.Repeat("webchat: {", 2000) + strings.Repeat("}", 2000),
	"log: !!binary aGVsbG8=\n",
}

// A number of days past what a Duration holds is refused, not wrapped
// around to a negative or short duration.
func TestParseDuration_DaysBeyondTheRange(t *testing.T) {
	if d, err := ParseDuration("106751d"); err != nil || d.D() != 106751*24*time.Hour {
		t.Fatalf("106751d = %v (%v)", d.D(), err)
	}
	for _, s := range []string{"106752d", "213503982334601d", "9223372036854775807d"} {
		if d, err := ParseDuration(s); err == nil {
			t.Errorf("%s read as %v", s, d.D())
		}
	}
}

// A channel whose name is not a name is named by its place in the keys of
// its other errors, so each error stays one line beginning with a key.
func TestValidate_BadSMSNameKeepsKeysReadable(t *testing.T) {
	c := Default()
	c.SMS = []SMSChannelConfig{{Name: "a\nb", Provider: "pigeon"}}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "sms[1].provider: ") || strings.Contains(err.Error(), "sms[a") {
		t.Fatalf("err = %v, want sms[1].provider named", err)
	}
}
