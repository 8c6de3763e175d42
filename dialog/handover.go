package dialog

import (
	"encoding/json"

	"hotline/dialog/form"
	"hotline/handoff"
)

// handover is what the bot passes to the agent desk with a request for a
// person: the form the subscriber was in, if any, and its answers.
type handover struct {
	Flow    string           `json:"flow,omitempty"`
	Details []handoff.Detail `json:"details,omitempty"`
}

// slotHandover keeps the answers of a form that failed, so the agent the
// subscriber then asks for still sees them.
const slotHandover = "handover"

// formHandover collects the answers of the form in progress, labelled in
// the conversation's language, with sensitive ones marked.
func (e *Engine) formHandover(t *turn) (handover, bool) {
	p, ok := form.Decode(t.conv.Slots)
	flows := e.know.Flows()
	if !ok || flows == nil {
		return handover{}, false
	}
	f, ok := flows.Flow(p.Flow)
	if !ok {
		return handover{}, false
	}
	h := handover{Flow: f.Name}
	for _, s := range f.Slots {
		v, answered := p.Answers[s.Name]
		if !answered || v == "" {
			continue
		}
		h.Details = append(h.Details, handoff.Detail{
			Key: s.Name, Label: s.Label.In(t.conv.Lang), Value: v, Sensitive: s.Sensitive,
		})
	}
	return h, true
}

// keepHandover stores the answers of the form in progress before the form
// is dropped, for a request for a person that may follow.
func (e *Engine) keepHandover(t *turn) {
	h, ok := e.formHandover(t)
	if !ok || len(h.Details) == 0 {
		return
	}
	b, err := json.Marshal(h)
	if err != nil {
		return
	}
	t.setSlot(slotHandover, string(b))
}

// takeHandover returns what to pass to the desk: the form in progress, or
// the answers kept from a form that failed, which it then forgets.
func (e *Engine) takeHandover(t *turn) handover {
	if h, ok := e.formHandover(t); ok {
		return h
	}
	var h handover
	if raw := t.conv.Slots[slotHandover]; raw != "" {
		_ = json.Unmarshal([]byte(raw), &h) // a damaged slot passes nothing on
	}
	t.setSlot(slotHandover, "")
	return h
}

// agentGroup picks the skill group of a request: by the form's name, then
// by its service, then by the reason; empty means any agent.
func (e *Engine) agentGroup(h handover, reason handoff.Reason) string {
	if len(e.groups) == 0 {
		return ""
	}
	if h.Flow != "" {
		if g, ok := e.groups[h.Flow]; ok {
			return g
		}
		if flows := e.know.Flows(); flows != nil {
			if f, ok := flows.Flow(h.Flow); ok && f.Service != "" {
				if g, ok := e.groups[f.Service]; ok {
					return g
				}
			}
		}
	}
	return e.groups[string(reason)]
}
