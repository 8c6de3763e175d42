package reports

import (
	"slices"
	"sort"
	"time"
)

// Summary is a period's figures as reports and the dashboard show them.
type Summary struct {
	// From and To are the period's first and last day (YYYY-MM-DD).
	From string `json:"from"`
	// To: see From.
	To string `json:"to"`
	// Timezone is the zone the days are in.
	Timezone string `json:"timezone"`
	// Totals are all channels together; Channels each one.
	Totals ChannelSummary `json:"totals"`
	// Channels: see Totals.
	Channels []ChannelSummary `json:"channels"`
	// Daily are the visits and tickets per day and channel.
	Daily []DailyRow `json:"daily"`
	// FirstReply is the time from a hand-off to an agent's first reply.
	FirstReply Spread `json:"first_reply"`
	// Kinds are the deadline figures per ticket kind.
	Kinds []KindSummary `json:"kinds"`
	// Agents are the ratings of each agent's service.
	Agents []RatingSummary `json:"agents"`
	// Bot are the ratings of the tickets the bot opened.
	Bot RatingSummary `json:"bot"`
}

// ChannelSummary is one channel's (or all channels') visits and rates.
type ChannelSummary struct {
	// Channel names it; empty for the totals.
	Channel string `json:"channel,omitempty"`
	ChannelDay
	// SelfServiceRate is the share of visits the bot settled alone.
	SelfServiceRate float64 `json:"self_service_rate"`
	// HandoffRate is the share of visits that went to the agent queue.
	HandoffRate float64 `json:"handoff_rate"`
	// KBHitRate is the share of questions the knowledge base answered.
	KBHitRate float64 `json:"kb_hit_rate"`
}

// DailyRow is one channel's visits and tickets on one day.
type DailyRow struct {
	// Date is the day (YYYY-MM-DD).
	Date string `json:"date"`
	// Channel names the channel.
	Channel string `json:"channel"`
	ChannelDay
}

// Spread is the median and 90th percentile of durations, in seconds.
type Spread struct {
	// Count is how many durations there were.
	Count int `json:"count"`
	// P50 and P90 are the median and 90th percentile (nearest rank).
	P50 int64 `json:"p50_secs"`
	// P90: see P50.
	P90 int64 `json:"p90_secs"`
}

// KindSummary is one ticket kind's response and resolution figures.
type KindSummary struct {
	// Kind names the ticket kind.
	Kind string `json:"kind"`
	// Response is the time to first response; ResponseTarget the time
	// the deadlines allowed (their median); ResponseOnTime the share
	// answered by their deadline.
	Response Spread `json:"response"`
	// ResponseTarget: see Response.
	ResponseTarget Spread `json:"response_target"`
	// ResponseOnTime: see Response.
	ResponseOnTime float64 `json:"response_on_time"`
	// Resolution, ResolutionTarget and ResolutionOnTime are the same for
	// resolution.
	Resolution Spread `json:"resolution"`
	// ResolutionTarget: see Resolution.
	ResolutionTarget Spread `json:"resolution_target"`
	// ResolutionOnTime: see Resolution.
	ResolutionOnTime float64 `json:"resolution_on_time"`
	// Satisfaction are the ratings of the kind's resolved tickets.
	Satisfaction RatingSummary `json:"satisfaction"`
}

// RatingSummary is a set of ratings: who for, how many, the share of 4s
// and 5s and the average.
type RatingSummary struct {
	// Agent is the agent's id; Name their display name when known.
	Agent string `json:"agent,omitempty"`
	// Name: see Agent.
	Name string `json:"name,omitempty"`
	Ratings
	// GoodShare is the share of ratings that were 4 or 5.
	GoodShare float64 `json:"good_share"`
	// Average is the mean rating.
	Average float64 `json:"average"`
}

// Summarize turns a period's days into its summary. names maps agent ids
// to display names; it may be nil.
func Summarize(days []Dated, loc *time.Location, names map[string]string) Summary {
	s := Summary{Timezone: loc.String(), Channels: []ChannelSummary{}, Daily: []DailyRow{},
		Kinds: []KindSummary{}, Agents: []RatingSummary{}}
	if len(days) > 0 {
		s.From = days[0].Date.Format(time.DateOnly)
		s.To = days[len(days)-1].Date.Format(time.DateOnly)
	}
	var all Day
	for _, d := range days {
		all.Add(d.Day)
		for _, name := range sortedKeys(d.Day.Channels) {
			s.Daily = append(s.Daily, DailyRow{Date: d.Date.Format(time.DateOnly), Channel: name,
				ChannelDay: *d.Day.Channels[name]})
		}
	}

	var totals ChannelDay
	for _, name := range sortedKeys(all.Channels) {
		c := *all.Channels[name]
		s.Channels = append(s.Channels, channelSummary(name, c))
		totals.add(c)
	}
	s.Totals = channelSummary("", totals)
	s.FirstReply = spread(all.FirstReplies)
	for _, kind := range sortedKeys(all.Kinds) {
		s.Kinds = append(s.Kinds, kindSummary(kind, *all.Kinds[kind]))
	}
	for _, id := range sortedKeys(all.Agents) {
		r := ratingSummary(*all.Agents[id])
		r.Agent, r.Name = id, names[id]
		s.Agents = append(s.Agents, r)
	}
	s.Bot = ratingSummary(all.Bot)
	return s
}

func (c *ChannelDay) add(o ChannelDay) {
	c.Visits += o.Visits
	c.SelfService += o.SelfService
	c.Handoffs += o.Handoffs
	c.Tickets += o.Tickets
	c.Answered += o.Answered
	c.Unanswered += o.Unanswered
}

func channelSummary(name string, c ChannelDay) ChannelSummary {
	return ChannelSummary{Channel: name, ChannelDay: c,
		SelfServiceRate: share(c.SelfService, c.Visits),
		HandoffRate:     share(c.Handoffs, c.Visits),
		KBHitRate:       share(c.Answered, c.Answered+c.Unanswered)}
}

func kindSummary(kind string, k KindDay) KindSummary {
	return KindSummary{Kind: kind,
		Response: spread(k.ResponseSecs), ResponseTarget: spread(k.ResponseTargets),
		ResponseOnTime: share(k.RespondedOnTime, k.Responded),
		Resolution:     spread(k.ResolutionSecs), ResolutionTarget: spread(k.ResolutionTargets),
		ResolutionOnTime: share(k.ResolvedOnTime, k.Resolved),
		Satisfaction:     ratingSummary(k.Ratings)}
}

func ratingSummary(r Ratings) RatingSummary {
	out := RatingSummary{Ratings: r, GoodShare: share(r.Good, r.Count)}
	if r.Count > 0 {
		out.Average = round(float64(r.Sum) / float64(r.Count))
	}
	return out
}

// spread is the nearest-rank median and 90th percentile of durations.
func spread(secs []int64) Spread {
	if len(secs) == 0 {
		return Spread{}
	}
	sorted := slices.Clone(secs)
	slices.Sort(sorted)
	return Spread{Count: len(sorted), P50: rank(sorted, 50), P90: rank(sorted, 90)}
}

// rank is the nearest-rank percentile p of sorted values: the smallest
// value with at least p% of the values at or below it.
func rank(sorted []int64, p int) int64 {
	i := (p*len(sorted)+99)/100 - 1
	return sorted[max(i, 0)]
}

// share is part of whole, rounded to four places; 0 when whole is 0.
func share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return round(float64(part) / float64(whole))
}

func round(f float64) float64 {
	return float64(int64(f*10000+0.5)) / 10000
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
