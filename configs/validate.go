package configs

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
)

// Validate checks every setting and returns one error listing each bad
// key with the reason, or nil.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}

	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", "want host:port such as :8080, got %q", c.Addr)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir", "must not be empty")
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		bad("log.level", "want debug, info, warn or error, got %q", c.Log.Level)
	}
	if !slices.Contains([]string{"text", "json"}, c.Log.Format) {
		bad("log.format", "want text or json, got %q", c.Log.Format)
	}
	if c.KB.Path == "" {
		bad("kb.path", "must name the knowledge base file")
	}
	if c.KB.WatchInterval < 0 {
		bad("kb.watch_interval", "must not be negative")
	}
	c.validateHTTP(bad)
	c.validateDialog(bad)
	c.validateWebchat(bad)
	c.validateStore(bad)
	c.validateTickets(bad)
	c.validateAgent(bad)
	c.validateWeChat(bad)
	c.validateSMS(bad)
	c.validateRedis(bad)
	c.validateMetrics(bad)
	if c.GCPercent < 0 {
		bad("gc_percent", "must not be negative")
	}
	if c.ShutdownTimeout <= 0 {
		bad("shutdown_timeout", "must be positive")
	}
	return errors.Join(errs...)
}

func (c *Config) validateDialog(bad func(string, string, ...any)) {
	if c.Dialog.IntentsPath == "" {
		bad("dialog.intents_path", "must name the intent phrase file")
	}
	if c.Dialog.MessagesPath == "" {
		bad("dialog.messages_path", "must name the message text file")
	}
	if c.Dialog.IdleTimeout.D() < 1e9 {
		bad("dialog.idle_timeout", "must be at least 1s")
	}
	if c.Dialog.SweepInterval.D() < 1e8 {
		bad("dialog.sweep_interval", "must be at least 100ms")
	}
	if c.Dialog.AnswersPerMinute < 0 {
		bad("dialog.answers_per_minute", "must not be negative (0 means no limit)")
	}
}

func (c *Config) validateWebchat(bad func(string, string, ...any)) {
	w := c.Webchat
	if w.ReadLimit < 512 || w.ReadLimit > 1<<20 {
		bad("webchat.read_limit", "want 512 to 1048576 bytes, got %d", w.ReadLimit)
	}
	if w.MaxTextRunes < 1 {
		bad("webchat.max_text_runes", "must be positive")
	}
	if w.RatePerSecond <= 0 {
		bad("webchat.rate_per_second", "must be positive")
	}
	if w.RateBurst < 1 {
		bad("webchat.rate_burst", "must be at least 1")
	}
	if w.PingInterval.D() < 1e9 {
		bad("webchat.ping_interval", "must be at least 1s")
	}
	if w.WriteTimeout.D() < 1e8 {
		bad("webchat.write_timeout", "must be at least 100ms")
	}
	if w.HistoryLimit < 1 {
		bad("webchat.history_limit", "must be positive")
	}
	if w.MaxConnectionsPerIP < 0 {
		bad("webchat.max_connections_per_ip", "must not be negative (0 means no cap)")
	}
	for _, o := range w.AllowedOrigins {
		if o != "*" && !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") {
			bad("webchat.allowed_origins", "%q must start with http:// or https://", o)
		}
	}
}

func (c *Config) validateStore(bad func(string, string, ...any)) {
	if c.Store.Retention.D() < 3600e9 {
		bad("store.retention", "must be at least 1h")
	}
	if c.Store.Synchronous != "full" && c.Store.Synchronous != "normal" {
		bad("store.synchronous", "want full or normal, got %q", c.Store.Synchronous)
	}
}
