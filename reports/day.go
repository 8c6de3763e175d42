package reports

// Day holds one calendar day's figures. Every count and list adds up
// across days (see Add), so a period's figures are the sum of its days'.
type Day struct {
	// Channels are the visits and tickets per channel. Tickets opened
	// through the back office's API count under "api".
	Channels map[string]*ChannelDay `json:"channels,omitempty"`
	// FirstReplies are the seconds from a visit's hand-off to an agent's
	// first reply, for visits started that day that got one.
	FirstReplies []int64 `json:"first_replies,omitempty"`
	// Kinds are the tickets' deadlines figures per ticket kind.
	Kinds map[string]*KindDay `json:"kinds,omitempty"`
	// Agents are the ratings of each agent's service given in visits
	// started that day.
	Agents map[string]*Ratings `json:"agents,omitempty"`
	// Bot are the ratings of tickets the bot opened, resolved that day.
	Bot Ratings `json:"bot"`
}

// ChannelDay is one channel's visits and tickets of a day.
type ChannelDay struct {
	// Visits began that day.
	Visits int `json:"visits"`
	// SelfService are visits that ended without a person or a ticket.
	SelfService int `json:"self_service"`
	// Handoffs are visits that asked for and joined the agent queue.
	Handoffs int `json:"handoffs"`
	// Tickets were opened that day.
	Tickets int `json:"tickets"`
	// Answered and Unanswered are the questions the knowledge base
	// answered, and could not answer confidently, in visits of the day.
	Answered int `json:"answered"`
	// Unanswered: see Answered.
	Unanswered int `json:"unanswered"`
}

// KindDay is one ticket kind's response and resolution figures of a
// day: tickets first answered that day, and tickets resolved that day.
type KindDay struct {
	// Responded tickets got their first response that day; OnTime of
	// them by their response deadline.
	Responded int `json:"responded"`
	// RespondedOnTime: see Responded.
	RespondedOnTime int `json:"responded_on_time"`
	// ResponseSecs are their times to first response, in seconds, and
	// ResponseTargets the times their deadlines allowed.
	ResponseSecs []int64 `json:"response_secs,omitempty"`
	// ResponseTargets: see ResponseSecs.
	ResponseTargets []int64 `json:"response_targets,omitempty"`

	// Resolved tickets were resolved that day; OnTime of them by their
	// resolution deadline.
	Resolved int `json:"resolved"`
	// ResolvedOnTime: see Resolved.
	ResolvedOnTime int `json:"resolved_on_time"`
	// ResolutionSecs are their times to resolution, in seconds, and
	// ResolutionTargets the times their deadlines allowed.
	ResolutionSecs []int64 `json:"resolution_secs,omitempty"`
	// ResolutionTargets: see ResolutionSecs.
	ResolutionTargets []int64 `json:"resolution_targets,omitempty"`
	// Ratings are the subscribers' ratings of the tickets resolved that day.
	Ratings Ratings `json:"ratings"`
}

// Ratings counts 1-5 ratings; Good are the 4s and 5s.
type Ratings struct {
	// Count is how many ratings were given.
	Count int `json:"count"`
	// Good is how many of them were 4 or 5.
	Good int `json:"good"`
	// Sum is the sum of the ratings, for the average.
	Sum int `json:"sum"`
}

// Rate counts one rating.
func (r *Ratings) Rate(n int) {
	if n < 1 || n > 5 {
		return
	}
	r.Count++
	r.Sum += n
	if n >= 4 {
		r.Good++
	}
}

func (r *Ratings) add(o Ratings) {
	r.Count += o.Count
	r.Good += o.Good
	r.Sum += o.Sum
}

// Channel returns the channel's figures, made when missing.
func (d *Day) Channel(name string) *ChannelDay {
	if d.Channels == nil {
		d.Channels = map[string]*ChannelDay{}
	}
	c := d.Channels[name]
	if c == nil {
		c = &ChannelDay{}
		d.Channels[name] = c
	}
	return c
}

// Kind returns the ticket kind's figures, made when missing.
func (d *Day) Kind(name string) *KindDay {
	if d.Kinds == nil {
		d.Kinds = map[string]*KindDay{}
	}
	k := d.Kinds[name]
	if k == nil {
		k = &KindDay{}
		d.Kinds[name] = k
	}
	return k
}

// Agent returns the agent's ratings, made when missing.
func (d *Day) Agent(id string) *Ratings {
	if d.Agents == nil {
		d.Agents = map[string]*Ratings{}
	}
	r := d.Agents[id]
	if r == nil {
		r = &Ratings{}
		d.Agents[id] = r
	}
	return r
}

// Add adds another day's (or period's) figures to d.
func (d *Day) Add(o Day) {
	for name, c := range o.Channels {
		mine := d.Channel(name)
		mine.Visits += c.Visits
		mine.SelfService += c.SelfService
		mine.Handoffs += c.Handoffs
		mine.Tickets += c.Tickets
		mine.Answered += c.Answered
		mine.Unanswered += c.Unanswered
	}
	d.FirstReplies = append(d.FirstReplies, o.FirstReplies...)
	for name, k := range o.Kinds {
		d.Kind(name).add(*k)
	}
	for id, r := range o.Agents {
		d.Agent(id).add(*r)
	}
	d.Bot.add(o.Bot)
}

func (k *KindDay) add(o KindDay) {
	k.Responded += o.Responded
	k.RespondedOnTime += o.RespondedOnTime
	k.ResponseSecs = append(k.ResponseSecs, o.ResponseSecs...)
	k.ResponseTargets = append(k.ResponseTargets, o.ResponseTargets...)
	k.Resolved += o.Resolved
	k.ResolvedOnTime += o.ResolvedOnTime
	k.ResolutionSecs = append(k.ResolutionSecs, o.ResolutionSecs...)
	k.ResolutionTargets = append(k.ResolutionTargets, o.ResolutionTargets...)
	k.Ratings.add(o.Ratings)
}
