package configs

import (
	"strings"
	"testing"
)

func TestMetrics_TokenFromFileOrEnvironment(t *testing.T) {
	c, err := Load(writeFile(t, "metrics:\n  token: from-the-file-0123\n"), envOf(nil))
	if err != nil || c.Metrics.Token.Reveal() != "from-the-file-0123" {
		t.Fatalf("from the file: %q, %v", c.Metrics.Token.Reveal(), err)
	}
	c, err = Load(writeFile(t, ""), envOf(map[string]string{"HOTLINE_METRICS_TOKEN": "from-the-env-0123"}))
	if err != nil || c.Metrics.Token.Reveal() != "from-the-env-0123" {
		t.Fatalf("from HOTLINE_METRICS_TOKEN: %q, %v", c.Metrics.Token.Reveal(), err)
	}
	c, err = Load(writeFile(t, ""), envOf(nil))
	if err != nil || c.Metrics.Token.IsSet() {
		t.Fatalf("by default: %q, %v; want no token", c.Metrics.Token.Reveal(), err)
	}
}

func TestMetrics_ShortTokenRefused(t *testing.T) {
	_, err := Load(writeFile(t, ""), envOf(map[string]string{"HOTLINE_METRICS_TOKEN": "short"}))
	if err == nil || !strings.Contains(err.Error(), "metrics.token") || strings.Contains(err.Error(), "short") {
		t.Fatalf("a 5-character token: %v, want an error naming metrics.token without the token", err)
	}
}
