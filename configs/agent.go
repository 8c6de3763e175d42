package configs

import (
	"slices"
	"strings"
	"time"
)

// AgentConfig configures the agent desk and its console at /agent/.
type AgentConfig struct {
	// Enabled turns the desk on; without it a request for a person is
	// offered a call back.
	Enabled bool `yaml:"enabled"`
	// WaitLimit is how long a subscriber may wait in the queue before
	// being offered a call back instead; 0 means no limit.
	WaitLimit Duration `yaml:"wait_limit"`
	// WrapUp is how long an agent stays in wrap-up after closing.
	WrapUp Duration `yaml:"wrap_up"`
	// Grace is how long an agent whose console went away keeps their
	// conversations before they go back to the head of the queue.
	Grace Duration `yaml:"grace"`
	// DefaultHandleTime is the handling time the wait estimate assumes
	// before any conversation was closed.
	DefaultHandleTime Duration `yaml:"default_handle_time"`
	// SessionIdle ends a console session unused this long.
	SessionIdle Duration `yaml:"session_idle"`
	// SessionMax ends a console session this long after sign-in.
	SessionMax Duration `yaml:"session_max"`
	// Tick is how often the desk loop routes and runs the timers when
	// nothing wakes it.
	Tick Duration `yaml:"tick"`
	// Presence is how often, with several instances, each renews the
	// marks of the consoles it holds (a mark lasts three times as long):
	// the consoles of an instance that died are taken as closed within
	// about three times this, and their grace period starts.
	Presence Duration `yaml:"presence"`
	// AllowedOrigins may open the console's socket besides the gateway's
	// own host.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// Hours are the opening ranges by weekday (mon … sun, or "all"), such
	// as ["08:00-22:00"]; a weekday without ranges is closed.
	Hours map[string][]string `yaml:"hours"`
	// HolidayHours are the ranges of a public holiday; empty means closed.
	HolidayHours []string `yaml:"holiday_hours"`
	// CalendarPath is the public holiday calendar; empty means
	// tickets.calendar_path.
	CalendarPath string `yaml:"calendar_path"`
	// Groups are the skill groups.
	Groups []string `yaml:"groups"`
	// Route picks a request's group by form name, service or reason.
	Route map[string]string `yaml:"route"`
	// WrapCodes are the reason codes of a close.
	WrapCodes []LabelConfig `yaml:"wrap_codes"`
	// Categories are the ticket categories agents may pick.
	Categories []LabelConfig `yaml:"categories"`
	// CannedPath is the file of canned replies; empty means none.
	CannedPath string `yaml:"canned_path"`
	// Accounts are created at start when the store does not have them.
	Accounts []AccountConfig `yaml:"accounts"`
}

// LabelConfig is a code with its Chinese and English names.
type LabelConfig struct {
	// Code is the stored value.
	Code string `yaml:"code"`
	// Zh is the Chinese name.
	Zh string `yaml:"zh"`
	// En is the English name.
	En string `yaml:"en"`
}

// AccountConfig is an agent account written in the settings.
type AccountConfig struct {
	// ID is the login name.
	ID string `yaml:"id"`
	// Name is the display name.
	Name string `yaml:"name"`
	// Role is agent or supervisor.
	Role string `yaml:"role"`
	// Groups are the skill groups served.
	Groups []string `yaml:"groups"`
	// MaxConcurrent is how many conversations the agent holds at once.
	MaxConcurrent int `yaml:"max_concurrent"`
	// PasswordHash is the bcrypt hash of the password.
	PasswordHash Secret `yaml:"password_hash"`
}

// Weekdays maps the keys of AgentConfig.Hours to weekdays.
var Weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func defaultAgent() AgentConfig {
	return AgentConfig{
		Enabled: true, WaitLimit: Duration(10 * time.Minute), WrapUp: Duration(time.Minute),
		Grace: Duration(time.Minute), DefaultHandleTime: Duration(5 * time.Minute),
		SessionIdle: Duration(30 * time.Minute), SessionMax: Duration(12 * time.Hour),
		Tick: Duration(time.Second), Presence: Duration(5 * time.Second),
		WrapCodes: []LabelConfig{
			{Code: "resolved", Zh: "已解决", En: "Resolved"},
			{Code: "ticket_opened", Zh: "已建工单", En: "Ticket opened"},
			{Code: "info_given", Zh: "已解答咨询", En: "Information given"},
			{Code: "no_reply", Zh: "用户无回应", En: "No reply from subscriber"},
		},
	}
}

func (c *Config) validateAgent(bad func(string, string, ...any)) {
	a := c.Agent
	durations := map[string]Duration{"agent.wait_limit": a.WaitLimit, "agent.wrap_up": a.WrapUp,
		"agent.grace": a.Grace}
	for key, d := range durations {
		if d < 0 {
			bad(key, "must not be negative")
		}
	}
	if a.Presence.D() < 100*time.Millisecond {
		bad("agent.presence", "must be at least 100ms")
	}
	if a.DefaultHandleTime.D() < time.Second {
		bad("agent.default_handle_time", "must be at least 1s")
	}
	if a.SessionIdle.D() < time.Minute || a.SessionMax < a.SessionIdle {
		bad("agent.session_idle", "want at least 1m and no more than agent.session_max")
	}
	if a.Tick.D() < 10*time.Millisecond {
		bad("agent.tick", "must be at least 10ms")
	}
	for day := range a.Hours {
		if _, ok := Weekdays[day]; !ok && day != "all" {
			bad("agent.hours", "unknown day %q: want mon, tue, wed, thu, fri, sat, sun or all", day)
		}
	}
	if a.Enabled && len(a.WrapCodes) == 0 {
		bad("agent.wrap_codes", "list at least one reason code for closing a conversation")
	}
	for _, g := range a.Route {
		if !slices.Contains(a.Groups, g) {
			bad("agent.route", "group %q is not in agent.groups", g)
		}
	}
	for i, acc := range a.Accounts {
		if acc.ID == "" || (acc.Role != "agent" && acc.Role != "supervisor") ||
			!strings.HasPrefix(acc.PasswordHash.Reveal(), "$2") {
			bad("agent.accounts", "account %d: want an id, role agent or supervisor, and a bcrypt password_hash", i+1)
		}
	}
}
