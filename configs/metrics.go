package configs

// MetricsConfig protects the Prometheus endpoint at /metrics.
type MetricsConfig struct {
	// Token, when set, is the bearer token a scraper must send; empty
	// leaves /metrics open, for a gateway reachable only from the
	// internal network.
	Token Secret `yaml:"token"`
}

// minMetricsToken is the shortest token accepted, so it cannot be guessed.
const minMetricsToken = 16

func (c *Config) validateMetrics(bad func(string, string, ...any)) {
	if n := len(c.Metrics.Token.Reveal()); n > 0 && n < minMetricsToken {
		bad("metrics.token", "want at least %d characters, got %d", minMetricsToken, n)
	}
}
