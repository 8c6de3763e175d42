package form

import (
	"strconv"
	"strings"
)

// Keys of a form's progress in the conversation record. Every key starts
// with keyPrefix so the record's other entries are left alone.
const (
	keyPrefix     = "form."
	keyID         = keyPrefix + "id"
	keyFlow       = keyPrefix + "flow"
	keySlot       = keyPrefix + "slot"
	keyFailures   = keyPrefix + "failures"
	keyConfirming = keyPrefix + "confirming"
	keyValue      = keyPrefix + "value."
)

// Progress is where one subscriber is in one form. The dialog engine keeps
// it between messages with Encode and Decode.
type Progress struct {
	// ID identifies this filling of the form; the engine chooses it, for
	// instance to open the ticket only once.
	ID string
	// Flow is the name of the flow being filled.
	Flow string
	// Slot is the slot being asked, empty once all are filled.
	Slot string
	// Failures counts invalid answers to the slot being asked.
	Failures int
	// Confirming is true once every slot is filled and the summary is due.
	Confirming bool
	// Answers holds the answers by slot name. A skipped optional slot has
	// an empty answer; a slot not yet answered has none.
	Answers map[string]string
}

// Encode writes the progress into m under keys starting with "form.",
// replacing any form progress already there.
func (p Progress) Encode(m map[string]string) {
	Clear(m)
	m[keyID] = p.ID
	m[keyFlow] = p.Flow
	m[keySlot] = p.Slot
	m[keyFailures] = strconv.Itoa(p.Failures)
	if p.Confirming {
		m[keyConfirming] = "1"
	}
	for name, v := range p.Answers {
		m[keyValue+name] = v
	}
}

// Decode reads form progress from m. It returns false when m holds none.
// A damaged failure count reads as zero.
func Decode(m map[string]string) (Progress, bool) {
	flow := m[keyFlow]
	if flow == "" {
		return Progress{}, false
	}
	p := Progress{ID: m[keyID], Flow: flow, Slot: m[keySlot], Answers: map[string]string{}}
	p.Failures, _ = strconv.Atoi(m[keyFailures])
	p.Failures = max(p.Failures, 0)
	p.Confirming = m[keyConfirming] == "1"
	for k, v := range m {
		if name, ok := strings.CutPrefix(k, keyValue); ok && name != "" {
			p.Answers[name] = v
		}
	}
	return p, true
}

// Clear removes all form progress from m and leaves its other keys.
func Clear(m map[string]string) {
	for k := range m {
		if strings.HasPrefix(k, keyPrefix) {
			delete(m, k)
		}
	}
}

// Values returns the answers given, by slot name, for the ticket. Skipped
// slots are left out. Choice answers are the choices' values.
func (p Progress) Values() map[string]string {
	out := make(map[string]string, len(p.Answers))
	for k, v := range p.Answers {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
