package reports

import (
	"net/http"
	"time"

	"hotline/dialog"
	"hotline/dialog/kb"
)

// MaxGapQuestions is the most unanswered questions one gaps report groups.
const MaxGapQuestions = 20000

// GapRow is one group of unanswered questions in the gaps report.
type GapRow struct {
	// Size is the number of questions; Conversations how many
	// conversations they came from.
	Size          int `json:"size"`
	Conversations int `json:"conversations"`
	// Representative is the most frequent wording, numbers masked;
	// Examples are other wordings.
	Representative string   `json:"representative"`
	Examples       []string `json:"examples"`
	// BestEntry is the closest entry, "" when none.
	BestEntry string `json:"best_entry"`
	// Suggested and Unknown split Size by how the bot replied.
	Suggested int `json:"suggested"`
	Unknown   int `json:"unknown"`
	// FirstAt and LastAt bound when they were asked.
	FirstAt time.Time `json:"first_at"`
	LastAt  time.Time `json:"last_at"`
}

// gaps groups the period's unanswered questions by wording, largest first.
func (a *API) gaps(w http.ResponseWriter, r *http.Request) {
	asCSV, ok := wantsCSV(w, r)
	if !ok {
		return
	}
	from, to, err := a.period(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_period", err.Error())
		return
	}
	rows := []GapRow{}
	if a.cfg.Unanswered != nil {
		qs, err := a.cfg.Unanswered.UnansweredBetween(r.Context(), from, to.AddDate(0, 0, 1), a.gapLimit)
		if err != nil {
			a.failed(w, "unanswered questions", err)
			return
		}
		rows = gapRows(qs)
	}

	span := map[string]string{"from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly)}
	if !asCSV {
		writeJSON(w, map[string]any{"from": span["from"], "to": span["to"], "gaps": rows})
		return
	}
	t := table{name: "gaps", header: []string{"size", "conversations", "representative",
		"examples", "best_entry", "suggested", "unknown", "first_at", "last_at"}}
	for _, g := range rows {
		t.rows = append(t.rows, []string{itoa(g.Size), itoa(g.Conversations), g.Representative,
			joinExamples(g.Examples), g.BestEntry, itoa(g.Suggested), itoa(g.Unknown),
			g.FirstAt.Format(time.RFC3339), g.LastAt.Format(time.RFC3339)})
	}
	writeCSV(w, t, span["from"], span["to"])
}

// gapRows groups the questions, largest group first.
func gapRows(qs []dialog.Unanswered) []GapRow {
	rows := []GapRow{}
	for _, g := range kb.Gaps(GapQuestions(qs), kb.GapOptions{}) {
		rows = append(rows, NewGapRow(g))
	}
	return rows
}

// GapQuestions turns stored unanswered questions into the matcher's
// input for kb.Gaps.
func GapQuestions(qs []dialog.Unanswered) []kb.GapQuestion {
	out := make([]kb.GapQuestion, len(qs))
	for i, q := range qs {
		out[i] = kb.GapQuestion{ConversationID: q.ConversationID, Text: q.Text,
			BestEntry: q.BestEntry, Suggested: q.Suggested, At: q.At}
	}
	return out
}

// NewGapRow is a gap as the report shows it; Examples is never null.
func NewGapRow(g kb.Gap) GapRow {
	return GapRow{Size: g.Size, Conversations: g.Conversations, Representative: g.Representative,
		Examples: append([]string{}, g.Examples...), BestEntry: g.BestEntry,
		Suggested: g.Suggested, Unknown: g.Unknown, FirstAt: g.FirstAt, LastAt: g.LastAt}
}

func joinExamples(ex []string) string {
	out := ""
	for i, e := range ex {
		if i > 0 {
			out += " | "
		}
		out += e
	}
	return out
}
