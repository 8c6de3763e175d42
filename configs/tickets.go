package configs

import (
	"net/url"
	"strings"
	"time"
)

// DatabaseConfig chooses the database. Without a URL the gateway keeps
// everything in the embedded SQLite file in data_dir.
type DatabaseConfig struct {
	// URL is a postgres:// (or postgresql://) connection string; it may
	// hold a password, so it is a Secret.
	URL Secret `yaml:"url"`
}

// Postgres reports whether the URL names a PostgreSQL database.
func (d DatabaseConfig) Postgres() bool {
	u := d.URL.Reveal()
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// TicketsConfig sets the deadlines of each ticket kind and how time is
// counted.
type TicketsConfig struct {
	// Timezone is the operator's time zone, for ticket ids, calendar days
	// and the times told to subscribers.
	Timezone string `yaml:"timezone"`
	// CalendarPath is a file of public holidays and make-up working days;
	// when set, deadlines count working-day hours only.
	CalendarPath string `yaml:"calendar_path"`
	// AtRisk is the share of the time to a deadline after which a ticket
	// is at risk, between 0 and 1.
	AtRisk float64 `yaml:"at_risk"`
	// Deadlines holds each kind's limits: fault, complaint and request.
	Deadlines map[string]DeadlineConfig `yaml:"deadlines"`
	// ScanInterval is how often tickets are checked against their
	// deadlines.
	ScanInterval Duration `yaml:"scan_interval"`
}

// DeadlineConfig is one ticket kind's limits.
type DeadlineConfig struct {
	// Respond is the time to the first response.
	Respond Duration `yaml:"respond"`
	// Resolve is the time to the resolution.
	Resolve Duration `yaml:"resolve"`
	// Priority is low, normal, high or urgent.
	Priority string `yaml:"priority"`
}

// defaultTickets is the service guide's policy: requests (and fault
// reports) answered in 24 hours and resolved in 72; complaints answered
// in 48 and resolved in 72.
func defaultTickets() TicketsConfig {
	return TicketsConfig{
		Timezone: "Asia/Shanghai",
		AtRisk:   0.8,
		Deadlines: map[string]DeadlineConfig{
			"request":   {Respond: Duration(24 * time.Hour), Resolve: Duration(72 * time.Hour), Priority: "normal"},
			"fault":     {Respond: Duration(24 * time.Hour), Resolve: Duration(72 * time.Hour), Priority: "normal"},
			"complaint": {Respond: Duration(48 * time.Hour), Resolve: Duration(72 * time.Hour), Priority: "high"},
		},
		ScanInterval: Duration(time.Minute),
	}
}

// APIConfig configures the back office's REST API.
type APIConfig struct {
	// Tokens are the bearer tokens that may call the API; each has a name
	// recorded as the actor of the changes it makes.
	Tokens []APIToken `yaml:"tokens"`
	// RatePerSecond is how many requests a second each token may make
	// on an instance, RateBurst how many at once; a request over it is
	// answered 429 with Retry-After. A rate of 0 means no limit.
	RatePerSecond float64 `yaml:"rate_per_second"`
	// RateBurst: see RatePerSecond.
	RateBurst int `yaml:"rate_burst"`
}

// APIToken is one caller of the REST API.
type APIToken struct {
	// Name identifies the caller in ticket history and logs.
	Name string `yaml:"name"`
	// Token is the bearer token.
	Token Secret `yaml:"token"`
}

// EnvAPIToken is the environment variable that adds one API token, named
// "env", for a quick start.
const EnvAPIToken = "HOTLINE_API_TOKEN"

func (a *APIConfig) addEnvToken(getenv func(string) string) {
	if getenv == nil {
		return
	}
	if tok := getenv(EnvAPIToken); tok != "" {
		a.Tokens = append(a.Tokens, APIToken{Name: "env", Token: Secret(tok)})
	}
}

// CRMConfig configures forwarding to the operator's CRM. Without a URL
// nothing is forwarded.
type CRMConfig struct {
	// URL receives each ticket event as a POST.
	URL string `yaml:"url"`
	// Secret signs outbound events and checks the CRM's webhook calls.
	Secret Secret `yaml:"secret"`
	// Timeout bounds one call.
	Timeout Duration `yaml:"timeout"`
	// Retries is how often one call is retried before the event waits for
	// the next round.
	Retries int `yaml:"retries"`
	// MaxWait caps the pause between rounds while the CRM keeps failing:
	// the pause doubles from one second up to it. Once the CRM is back,
	// the events waiting reach it within this long.
	MaxWait Duration `yaml:"max_wait"`
}

var priorities = []string{"low", "normal", "high", "urgent"}

func (c *Config) validateTickets(bad func(string, string, ...any)) {
	t := c.Tickets
	if _, err := time.LoadLocation(t.Timezone); err != nil || t.Timezone == "" {
		bad("tickets.timezone", "want an IANA zone such as Asia/Shanghai, got %q", t.Timezone)
	}
	if t.AtRisk <= 0 || t.AtRisk >= 1 {
		bad("tickets.at_risk", "want a share between 0 and 1, got %v", t.AtRisk)
	}
	for _, kind := range []string{"request", "fault", "complaint"} {
		d, ok := t.Deadlines[kind]
		switch {
		case !ok:
			bad("tickets.deadlines."+kind, "missing")
		case d.Respond <= 0 || d.Resolve < d.Respond:
			bad("tickets.deadlines."+kind, "want 0 < respond <= resolve")
		case !contains(priorities, d.Priority):
			bad("tickets.deadlines."+kind+".priority", "want low, normal, high or urgent, got %q", d.Priority)
		}
	}
	if t.ScanInterval.D() < time.Second {
		bad("tickets.scan_interval", "must be at least 1s")
	}
	c.validateAccess(bad)
}

func (c *Config) validateAccess(bad func(string, string, ...any)) {
	if c.API.RatePerSecond < 0 {
		bad("api.rate_per_second", "must not be negative (0 means no limit)")
	}
	if c.API.RatePerSecond > 0 && c.API.RateBurst < 1 {
		bad("api.rate_burst", "must be at least 1 with a rate")
	}
	for i, tok := range c.API.Tokens {
		if tok.Name == "" || len(tok.Token.Reveal()) < 16 {
			bad("api.tokens", "token %d needs a name and a token of at least 16 characters", i+1)
		}
	}
	if c.CRM.URL != "" {
		u, err := url.Parse(c.CRM.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("crm.url", "want an http or https URL")
		}
		if !c.CRM.Secret.IsSet() {
			bad("crm.secret", "is required when crm.url is set, to sign events")
		}
	}
	if c.CRM.Timeout.D() < 100*time.Millisecond {
		bad("crm.timeout", "must be at least 100ms")
	}
	if c.CRM.Retries < 0 || c.CRM.Retries > 10 {
		bad("crm.retries", "want 0 to 10")
	}
	if c.CRM.MaxWait.D() < time.Second || c.CRM.MaxWait.D() > time.Hour {
		bad("crm.max_wait", "want 1s to 1h")
	}
	if c.Database.URL.IsSet() && !c.Database.Postgres() {
		bad("database.url", "want a postgres:// or postgresql:// URL")
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
