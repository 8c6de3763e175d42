// Package reports computes the service figures supervisors and the
// operator's reporting read: visits per channel and how many the bot
// settled alone, hand-offs, agents' first replies, tickets' response and
// resolution times against their deadlines, deadline compliance per
// ticket kind, satisfaction per agent and for the bot, the knowledge
// base's hit rate, and the live state of the desk. It serves them as JSON
// and CSV under /api/v1/reports/ and as the supervisors' dashboard at
// /dashboard/.
//
// Figures are kept per calendar day in the operator's time zone. A
// finished day's figures are computed once from the visits and tickets
// and kept (a Source stores them), so a year's report reads 365 small
// records rather than a year of rows; the current day is computed when
// asked. Recent days are computed again for a week after they end, as
// an agent's reply, a resolution or a rating may come after midnight.
package reports
