// Package form runs the fault-report and complaint forms the bot fills in
// with a subscriber, one question at a time.
//
// The forms are data: configs/flows.yaml lists each flow (a fault category
// or the complaint), the keywords that recognise it in a subscriber's first
// message, and its slots in order, each with its prompts, its check and the
// words that name it when the subscriber wants to correct it. Parse and
// Load read and check that file; Lint reports texts that lack a language.
//
// A form in progress is a Progress value. The dialog engine keeps it in the
// conversation record between messages through Encode and Decode, so a
// restart in the middle of a form resumes it. Start, Answer, Correction and
// Reask move a Progress forward; Summary renders it for the confirm step,
// masking personal data when asked.
//
// Each slot collects only what its category needs: an address is asked only
// where a technician may visit, an area only where an on-site visit or an
// outage in the district is likely. Flows and Flow are read-only after Parse
// and safe for concurrent use; a Progress belongs to one conversation.
package form
