package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"hotline/configs"
	"hotline/dialog"
	"hotline/store/sqldb"
	"hotline/tickets"
)

// ticketDesk is the wired ticket side of the gateway: the service, the
// back office's API, the CRM webhook and the relays that hand ticket
// events to the subscriber's conversation and to the CRM.
type ticketDesk struct {
	svc     *tickets.Service
	store   tickets.Store
	api     http.Handler
	webhook http.Handler // nil without a CRM
	notify  *tickets.Relay
	crm     *tickets.Relay // nil without a CRM
	scan    time.Duration
	log     *slog.Logger
}

// crmWebhookPath is where the CRM POSTs its signed status changes.
const crmWebhookPath = "/hooks/crm"

// buildTickets wires the ticket service on db. The notify relay's handler
// is the engine, which is built after the service, so it is set later
// with attach.
func buildTickets(cfg configs.Config, db *sqldb.DB, clock dialog.Clock, log *slog.Logger) (*ticketDesk, error) {
	policy, err := ticketPolicy(cfg)
	if err != nil {
		return nil, err
	}
	store := sqldb.NewTickets(db, sqldb.WithLocation(policy.Location))
	d := &ticketDesk{store: store, scan: cfg.Tickets.ScanInterval.D(), log: log}

	d.svc = tickets.NewService(tickets.Config{
		Store: store, Policy: policy, Now: clock.Now, Log: log.With("component", "tickets"),
		CRM: cfg.CRM.URL != "", OnEvents: d.kick,
	})
	d.api = tickets.NewAPI(tickets.APIConfig{
		Service: d.svc, Tokens: apiTokens(cfg.API), Log: log,
		RatePerSecond: cfg.API.RatePerSecond, RateBurst: cfg.API.RateBurst,
	})
	if cfg.CRM.URL != "" {
		if err := d.buildCRM(cfg.CRM, store, clock, log); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// buildCRM wires forwarding to the CRM and the CRM's webhook.
func (d *ticketDesk) buildCRM(c configs.CRMConfig, store tickets.Store, clock dialog.Clock, log *slog.Logger) error {
	crm, err := tickets.NewCRM(tickets.CRMConfig{
		URL: c.URL, Secret: c.Secret.Reveal(), Timeout: c.Timeout.D(),
		Retries: c.Retries, Now: clock.Now,
	})
	if err != nil {
		return fmt.Errorf("crm: %w", err)
	}
	d.crm, err = tickets.NewRelay(tickets.RelayConfig{
		Store: store, Consumer: tickets.ConsumerCRM, Handler: crm.Handle, Log: log,
		MaxBackoff: c.MaxWait.D(),
	})
	if err != nil {
		return fmt.Errorf("crm relay: %w", err)
	}
	d.webhook = tickets.NewCRMWebhook(d.svc, c.Secret.Reveal(), clock.Now, log)
	return nil
}

// attach makes the engine the handler of ticket notices: each event for a
// subscriber becomes a message in their conversation.
func (d *ticketDesk) attach(engine *dialog.Engine) error {
	var err error
	d.notify, err = tickets.NewRelay(tickets.RelayConfig{
		Store: d.store, Consumer: tickets.ConsumerNotify, Handler: engine.TicketNotice,
		Poll: noticePoll, Log: d.log,
	})
	if err != nil {
		return fmt.Errorf("notice relay: %w", err)
	}
	return nil
}

// noticePoll is how often the notice relay looks for events nobody kicked
// it for, such as those left by a crash.
const noticePoll = 5 * time.Second

// kick wakes the relays after a write that stored events.
func (d *ticketDesk) kick() {
	if d.notify != nil {
		d.notify.Kick()
	}
	if d.crm != nil {
		d.crm.Kick()
	}
}

// ticketPolicy turns the settings into the deadline policy, loading the
// business calendar when one is named.
func ticketPolicy(cfg configs.Config) (tickets.Policy, error) {
	t := cfg.Tickets
	loc, err := time.LoadLocation(t.Timezone)
	if err != nil {
		return tickets.Policy{}, fmt.Errorf("tickets.timezone: %w", err)
	}
	p := tickets.Policy{Kinds: map[tickets.Kind]tickets.Deadlines{}, AtRisk: t.AtRisk, Location: loc}
	for name, d := range t.Deadlines {
		p.Kinds[tickets.Kind(name)] = tickets.Deadlines{
			Respond: d.Respond.D(), Resolve: d.Resolve.D(), Priority: priorityOf(d.Priority),
		}
	}
	if t.CalendarPath != "" {
		if p.Calendar, err = tickets.LoadCalendar(cfg.Resolve(t.CalendarPath), loc); err != nil {
			return tickets.Policy{}, fmt.Errorf("tickets.calendar_path: %w", err)
		}
	}
	return p, nil
}

// priorityOf maps a validated priority name to its value.
func priorityOf(name string) tickets.Priority {
	switch name {
	case "low":
		return tickets.PriorityLow
	case "high":
		return tickets.PriorityHigh
	case "urgent":
		return tickets.PriorityUrgent
	}
	return tickets.PriorityNormal
}

func apiTokens(c configs.APIConfig) []tickets.Token {
	out := make([]tickets.Token, 0, len(c.Tokens))
	for _, t := range c.Tokens {
		out = append(out, tickets.Token{Name: t.Name, Secret: t.Token.Reveal()})
	}
	return out
}

// start runs the relays and the deadline scanner until ctx ends.
func (d *ticketDesk) start(ctx context.Context, wg *sync.WaitGroup, alone func(string) dialog.Runner) {
	wg.Go(func() { alone("ticket-notices")(ctx, d.notify.Run) })
	if d.crm != nil {
		wg.Go(func() { alone("crm-relay")(ctx, d.crm.Run) })
	}
	wg.Go(func() { alone("deadline-scan")(ctx, d.scanLoop) })
}

// scanLoop marks tickets at risk or breached as their deadlines near and
// pass, once at start and then every scan interval.
func (d *ticketDesk) scanLoop(ctx context.Context) {
	log := d.log.With("component", "deadline_scan")
	tick := time.NewTicker(d.scan)
	defer tick.Stop()
	for {
		if n, err := d.svc.Scan(ctx); err != nil && ctx.Err() == nil {
			log.Error("deadline scan failed", "error", err)
		} else if n > 0 {
			log.Info("tickets changed standing", "changed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
