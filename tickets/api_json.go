package tickets

import "time"

// ticketJSON is a ticket as the API shows it. Every field is always
// present; a time not reached yet is null.
type ticketJSON struct {
	ID          string            `json:"id"`
	Kind        Kind              `json:"kind"`
	Category    string            `json:"category"`
	Status      Status            `json:"status"`
	Priority    Priority          `json:"priority"`
	Risk        Risk              `json:"risk"`
	Breached    bool              `json:"breached"`
	RespondBy   *string           `json:"respond_by"`
	ResolveBy   *string           `json:"resolve_by"`
	RespondedAt *string           `json:"responded_at"`
	ResolvedAt  *string           `json:"resolved_at"`
	CreatedAt   *string           `json:"created_at"`
	UpdatedAt   *string           `json:"updated_at"`
	Source      string            `json:"source"`
	Phone       string            `json:"phone"`
	Details     map[string]string `json:"details"`
	Summary     string            `json:"summary"`
	Service     string            `json:"service"`
	Area        string            `json:"area"`
	OutageID    string            `json:"outage_id"`
	Assignee    string            `json:"assignee"`
	Resolution  string            `json:"resolution"`
	Rating      int               `json:"rating"`
	Version     int64             `json:"version"`
}

// ticketWithHistory is a ticket with its changes, as GET of one ticket
// shows it.
type ticketWithHistory struct {
	ticketJSON
	History []changeJSON `json:"history"`
}

// changeJSON is one history entry.
type changeJSON struct {
	At     *string `json:"at"`
	Actor  string  `json:"actor"`
	Action string  `json:"action"`
	From   string  `json:"from"`
	To     string  `json:"to"`
	Note   string  `json:"note"`
}

// outageJSON is an outage as the API shows it.
type outageJSON struct {
	ID          string  `json:"id"`
	Service     string  `json:"service"`
	Area        string  `json:"area"`
	Description string  `json:"description"`
	ExpectedFix *string `json:"expected_fix"`
	Open        bool    `json:"open"`
	Note        string  `json:"note"`
	DeclaredAt  *string `json:"declared_at"`
	UpdatedAt   *string `json:"updated_at"`
	ClosedAt    *string `json:"closed_at"`
	Version     int64   `json:"version"`
}

// ticketView converts a ticket, leaving out its history.
func ticketView(t Ticket) ticketJSON {
	details := t.Details
	if details == nil {
		details = map[string]string{}
	}
	return ticketJSON{
		ID: t.ID, Kind: t.Kind, Category: t.Category, Status: t.Status,
		Priority: t.Priority, Risk: t.Risk, Breached: t.Risk == RiskBreached,
		RespondBy: stamp(t.RespondBy), ResolveBy: stamp(t.ResolveBy),
		RespondedAt: stamp(t.RespondedAt), ResolvedAt: stamp(t.ResolvedAt),
		CreatedAt: stamp(t.CreatedAt), UpdatedAt: stamp(t.UpdatedAt),
		Source: t.Source, Phone: t.Phone, Details: details, Summary: t.Summary,
		Service: t.Service, Area: t.Area, OutageID: t.OutageID,
		Assignee: t.Assignee, Resolution: t.Resolution, Rating: t.Rating,
		Version: t.Version,
	}
}

// ticketFull converts a ticket with its history.
func ticketFull(t Ticket) ticketWithHistory {
	history := make([]changeJSON, 0, len(t.History))
	for _, c := range t.History {
		history = append(history, changeJSON{At: stamp(c.At), Actor: c.Actor,
			Action: c.Action, From: c.From, To: c.To, Note: c.Note})
	}
	return ticketWithHistory{ticketJSON: ticketView(t), History: history}
}

// outageView converts an outage.
func outageView(o Outage) outageJSON {
	return outageJSON{
		ID: o.ID, Service: o.Service, Area: o.Area, Description: o.Description,
		ExpectedFix: stamp(o.ExpectedFix), Open: o.Open, Note: o.Note,
		DeclaredAt: stamp(o.DeclaredAt), UpdatedAt: stamp(o.UpdatedAt),
		ClosedAt: stamp(o.ClosedAt), Version: o.Version,
	}
}

// stamp writes a time in RFC 3339 with its zone offset; the zero time is
// null.
func stamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.RFC3339Nano)
	return &s
}
