// Package tickets keeps the records of fault reports, complaints and
// requests: who raised them and on which channel, what was collected, the
// deadlines the service guide sets (answer within 24 hours and resolve
// within 72 for a request; answer within 48 and resolve within 72 for a
// complaint), every change with who made it, declared network outages the
// fault reports are linked to, and the events that tell the subscriber and
// the operator's CRM what happened.
//
// The package holds the rules; storage is behind the Store interface, and
// the REST API for the back office is served by API.
package tickets
