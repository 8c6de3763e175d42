package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"hotline/configs"
	"hotline/dialog"
	"hotline/handoff"
	"hotline/handoff/console"
	"hotline/store/redisstore"
	"hotline/store/sqldb"
	"hotline/tickets"
)

// agentDesk is the wired agent side of the gateway: the desk and its
// queue, the accounts and sessions, the audit log and the console.
type agentDesk struct {
	desk     *handoff.Desk
	accounts *handoff.Accounts
	sessions *handoff.Sessions
	audit    *handoff.Audit
	db       *sqldb.DB
	console  *console.Server
	watcher  *lateWatcher
	log      *slog.Logger
}

// buildAgents wires the desk, accounts and audit log on db, creates the
// accounts of the settings and the bootstrap supervisor. The console
// needs the engine, which needs the desk, so it is made later by attach.
func buildAgents(ctx context.Context, cfg configs.Config, db *sqldb.DB, store handoff.Store, clock dialog.Clock,
	getenv func(string) string, log *slog.Logger) (*agentDesk, error) {
	a := cfg.Agent
	hours, err := businessHours(cfg)
	if err != nil {
		return nil, err
	}
	desk, err := handoff.NewDesk(store, clock.Now, handoff.Config{
		WaitLimit: a.WaitLimit.D(), WrapUp: a.WrapUp.D(), Grace: a.Grace.D(),
		DefaultHandleTime: a.DefaultHandleTime.D(), Hours: hours,
	}, log.With("component", "desk"))
	if err != nil {
		return nil, err
	}
	audit, err := handoff.NewAudit(sqldb.NewAuditLog(db), clock.Now, log.With("component", "audit"))
	if err != nil {
		return nil, err
	}
	accounts, err := handoff.NewAccounts(sqldb.NewAgentAccounts(db), clock.Now,
		log.With("component", "accounts"), handoff.WithAudit(audit))
	if err != nil {
		return nil, err
	}
	sessions, err := handoff.NewSessions(accounts, handoff.SessionConfig{
		Idle: a.SessionIdle.D(), Lifetime: a.SessionMax.D()})
	if err != nil {
		return nil, err
	}
	d := &agentDesk{desk: desk, accounts: accounts, sessions: sessions, audit: audit, db: db,
		watcher: &lateWatcher{}, log: log.With("component", "console")}
	if err := d.provision(ctx, a.Accounts, getenv); err != nil {
		return nil, err
	}
	return d, nil
}

// provision creates the accounts written in the settings, then the
// bootstrap supervisor.
func (d *agentDesk) provision(ctx context.Context, accs []configs.AccountConfig, getenv func(string) string) error {
	for _, ac := range accs {
		_, err := d.accounts.Provision(ctx, handoff.Provisioned{ID: ac.ID, Name: ac.Name,
			Role: handoff.Role(ac.Role), Groups: ac.Groups, MaxConcurrent: ac.MaxConcurrent,
			PasswordHash: ac.PasswordHash.Reveal()})
		if err != nil {
			return fmt.Errorf("agent.accounts: %w", err)
		}
	}
	if getenv == nil {
		return nil
	}
	_, err := handoff.Bootstrap(ctx, d.accounts, getenv(handoff.BootstrapEnv))
	return err
}

// businessHours builds the desk's opening hours from the settings, in the
// operator's time zone, with the holiday calendar.
func businessHours(cfg configs.Config) (*handoff.Hours, error) {
	a := cfg.Agent
	if len(a.Hours) == 0 {
		return nil, nil // always open
	}
	loc, err := time.LoadLocation(cfg.Tickets.Timezone)
	if err != nil {
		return nil, fmt.Errorf("tickets.timezone: %w", err)
	}
	hc := handoff.HoursConfig{Week: map[time.Weekday][]handoff.Span{}, Location: loc}
	for day, ranges := range a.Hours {
		spans, err := parseSpans(ranges)
		if err != nil {
			return nil, fmt.Errorf("agent.hours.%s: %w", day, err)
		}
		if day == "all" {
			for _, wd := range configs.Weekdays {
				if _, own := a.Hours[wdName(wd)]; !own {
					hc.Week[wd] = spans
				}
			}
			continue
		}
		hc.Week[configs.Weekdays[day]] = spans
	}
	if hc.Holiday, err = parseSpans(a.HolidayHours); err != nil {
		return nil, fmt.Errorf("agent.holiday_hours: %w", err)
	}
	if hc.Calendar, err = agentCalendar(cfg, loc); err != nil {
		return nil, err
	}
	return handoff.NewHours(hc)
}

// wdName is the settings' key of a weekday.
func wdName(wd time.Weekday) string {
	for k, v := range configs.Weekdays {
		if v == wd {
			return k
		}
	}
	return ""
}

func parseSpans(ranges []string) ([]handoff.Span, error) {
	out := make([]handoff.Span, 0, len(ranges))
	for _, r := range ranges {
		s, err := handoff.ParseSpan(r)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// agentCalendar loads the desk's holiday calendar, or the tickets' one.
func agentCalendar(cfg configs.Config, loc *time.Location) (*tickets.Calendar, error) {
	path, key := cfg.Agent.CalendarPath, "agent.calendar_path"
	if path == "" {
		path, key = cfg.Tickets.CalendarPath, "tickets.calendar_path"
	}
	if path == "" {
		return nil, nil
	}
	cal, err := tickets.LoadCalendar(cfg.Resolve(path), loc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return cal, nil
}

// attach builds the console on the engine and lets it watch the engine's
// conversations.
func (d *agentDesk) attach(cfg configs.Config, engine *dialog.Engine, tk *tickets.Service, clock dialog.Clock,
	shared sharedConsole) error {
	canned, err := loadCanned(cfg)
	if err != nil {
		return err
	}
	c, err := console.New(console.Config{
		Desk: d.desk, Accounts: d.accounts, Sessions: d.sessions, Audit: d.audit,
		Notes: sqldb.NewAgentNotes(d.db), Engine: engine, Tickets: tk, Canned: canned,
		WrapCodes: labels(cfg.Agent.WrapCodes), Groups: cfg.Agent.Groups,
		Categories: labels(cfg.Agent.Categories), AllowedOrigins: cfg.Agent.AllowedOrigins,
		Tick: cfg.Agent.Tick.D(), Now: clock.Now, Log: d.log, Relay: shared.relay,
		Presence: shared.presence, PresenceEvery: cfg.Agent.Presence.D(), Failures: shared.failures,
	})
	if err != nil {
		return err
	}
	d.console = c
	d.watcher.set(c)
	return nil
}

func labels(ls []configs.LabelConfig) []console.Label {
	out := make([]console.Label, 0, len(ls))
	for _, l := range ls {
		out = append(out, console.Label{Code: l.Code, Zh: l.Zh, En: l.En})
	}
	return out
}

// loadCanned reads the canned replies file, if one is named.
func loadCanned(cfg configs.Config) ([]console.Canned, error) {
	if cfg.Agent.CannedPath == "" {
		return nil, nil
	}
	data, err := os.ReadFile(cfg.Resolve(cfg.Agent.CannedPath))
	if err != nil {
		return nil, fmt.Errorf("agent.canned_path: %w", err)
	}
	var out []console.Canned
	if err := yaml.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("agent.canned_path: %w", err)
	}
	seen := map[string]bool{}
	for i, c := range out {
		if c.ID == "" || c.Text == "" || (c.Lang != "zh" && c.Lang != "en") {
			return nil, fmt.Errorf("agent.canned_path: reply %d: want an id, a text and lang zh or en", i+1)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("agent.canned_path: reply %d: id %q is used twice", i+1, c.ID)
		}
		seen[c.ID] = true
	}
	return out, nil
}

// start runs the desk loop (on one instance at a time when several share
// the desk), the purge of ended sessions, and the relay of console frames
// from other instances, until ctx ends.
func (d *agentDesk) start(ctx context.Context, wg *sync.WaitGroup, alone func(string) dialog.Runner,
	relay *redisstore.Fanout) {
	wg.Go(func() { alone("desk-loop")(ctx, d.console.Run) })
	wg.Go(func() { alone("session-purge")(ctx, d.purgeLoop) })
	wg.Go(func() { d.console.RunPresence(ctx) })
	if relay != nil {
		wg.Go(func() { relay.Listen(ctx, d.console.Deliver) })
	}
}

// sessionPurge is how often ended console sessions are deleted.
const sessionPurge = 10 * time.Minute

func (d *agentDesk) purgeLoop(ctx context.Context) {
	dialog.Every(ctx, sessionPurge, func() {
		if _, err := d.sessions.Purge(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("session purge failed", "error", err)
		}
	})
}

// forEngine is the desk as the engine sees it.
func (d *agentDesk) forEngine() queueDesk {
	return queueDesk{Desk: d.desk, kick: func() {
		if d.console != nil {
			d.console.Kick()
		}
	}}
}

// queueDesk is the desk as the engine sees it: joining or leaving the
// queue wakes the desk loop, so routing does not wait for the next tick.
type queueDesk struct {
	*handoff.Desk
	kick func()
}

// Enqueue puts a conversation in the queue and wakes the desk loop.
func (q queueDesk) Enqueue(ctx context.Context, r handoff.Request) (handoff.Entry, bool, error) {
	e, created, err := q.Desk.Enqueue(ctx, r)
	if err == nil && created {
		q.kick()
	}
	return e, created, err
}

// Leave takes a conversation out of the queue and wakes the desk loop.
func (q queueDesk) Leave(ctx context.Context, conversationID string) (handoff.Entry, error) {
	e, err := q.Desk.Leave(ctx, conversationID)
	if err == nil {
		q.kick()
	}
	return e, err
}

// lateWatcher forwards to the console, which is built after the engine.
type lateWatcher struct {
	mu sync.RWMutex
	w  dialog.Watcher
}

func (l *lateWatcher) set(w dialog.Watcher) {
	l.mu.Lock()
	l.w = w
	l.mu.Unlock()
}

// Committed forwards to the console once it is there.
func (l *lateWatcher) Committed(conv dialog.Conversation, msgs []dialog.Message) {
	l.mu.RLock()
	w := l.w
	l.mu.RUnlock()
	if w != nil {
		w.Committed(conv, msgs)
	}
}
