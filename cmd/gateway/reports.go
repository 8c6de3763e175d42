package main

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"hotline/dialog"
	"hotline/handoff"
	"hotline/handoff/console"
	"hotline/reports"
	"hotline/store/reportdb"
	"hotline/tickets"
)

// reportRefresh is how often the recent days' figures are computed again
// and kept, so the dashboard reads them rather than the raw tables.
const reportRefresh = 30 * time.Minute

// buildReports wires the reports API on the gateway's database, the desk
// and the console's sessions.
func (g *gateway) buildReports(clock func() time.Time) {
	loc, _ := time.LoadLocation(g.cfg.Tickets.Timezone) // validated with the config
	src := reportdb.New(g.db)
	g.reportDays = reports.NewDays(src, loc, clock)

	access := reportAccess{bearer: tickets.NewBearer(apiTokens(g.cfg.API), g.log)}
	cfg := reports.Config{
		Days: g.reportDays, Live: src, Access: &access, Unanswered: g.store,
		OpenWindow: g.cfg.Dialog.IdleTimeout.D(), Now: clock,
		Log: g.log.With("component", "reports"),
	}
	if g.agents != nil {
		access.console = g.agents.console
		cfg.Desk = g.agents.desk
		cfg.Names = accountNames{g.agents.accounts}
	}
	g.reports = reports.NewAPI(cfg)
}

// startReports keeps the recent days' figures, on one instance at a time.
func (g *gateway) startReports(ctx context.Context, wg *sync.WaitGroup) {
	log := g.log.With("component", "reports")
	refresh := func() {
		if err := g.reportDays.Refresh(ctx); err != nil && ctx.Err() == nil {
			log.Error("report figures not refreshed", "error", err)
		}
	}
	wg.Go(func() {
		g.alone("report-days")(ctx, func(ctx context.Context) {
			refresh()
			dialog.Every(ctx, reportRefresh, refresh)
		})
	})
}

// reportAccess lets supervisors signed in to the console, and the back
// office's API tokens, read the reports.
type reportAccess struct {
	console *console.Server // nil without the agent desk
	bearer  *tickets.Bearer
}

// Reader checks the bearer token when the request sends one, otherwise
// the console's session cookie.
func (a *reportAccess) Reader(r *http.Request) (string, error) {
	if r.Header.Get("Authorization") != "" {
		if name, ok := a.bearer.Check(r); ok {
			return "token:" + name, nil
		}
		return "", reports.ErrUnauthenticated
	}
	if a.console == nil {
		return "", reports.ErrUnauthenticated
	}
	acc, err := a.console.Account(r)
	switch {
	case errors.Is(err, console.ErrNoSignIn):
		return "", reports.ErrUnauthenticated
	case err != nil:
		return "", err
	case acc.Role != handoff.RoleSupervisor:
		return "", reports.ErrForbidden
	}
	return acc.ID, nil
}

// accountNames gives the reports the agents' display names.
type accountNames struct {
	accounts *handoff.Accounts
}

// AgentNames returns every account's display name by id.
func (n accountNames) AgentNames(ctx context.Context) (map[string]string, error) {
	list, err := n.accounts.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, a := range list {
		out[a.ID] = a.Name
	}
	return out, nil
}
