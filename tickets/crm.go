package tickets

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"
)

// CRMConfig is what a CRM forwarder needs. Zero values take the defaults
// named on each field.
type CRMConfig struct {
	// URL is where events are POSTed: an absolute http or https URL.
	URL string
	// Secret signs each request; the CRM checks the signature with it.
	Secret string
	// Timeout bounds one attempt; 10s.
	Timeout time.Duration
	// Retries is how many times one event is sent again at once after a
	// network error, a 5xx, a 408 or a 429, before the relay backs off; 3.
	// A negative value means none.
	Retries int
	// RetryWait is the first wait between those attempts; 500ms.
	RetryWait time.Duration
	// RetryMaxWait caps the wait between attempts; 30s. A Retry-After
	// longer than this is left to the relay's backoff.
	RetryMaxWait time.Duration
	// UserAgent names the gateway to the CRM; "hotline-crm/1".
	UserAgent string
	// Now tells the time for the signature timestamp; nil means time.Now.
	Now func() time.Time
}

// CRM forwarder defaults.
const (
	crmTimeout      = 10 * time.Second
	crmRetries      = 3
	crmRetryWait    = 500 * time.Millisecond
	crmRetryMaxWait = 30 * time.Second
	crmUserAgent    = "hotline-crm/1"
	// crmResponseLimit caps how much of a CRM reply is read; the reply is
	// not used, only its status.
	crmResponseLimit = 64 << 10
)

// Headers of a signed CRM request, both ways.
const (
	HeaderIdempotencyKey = "Idempotency-Key"
	HeaderEvent          = "X-Hotline-Event"
	HeaderTimestamp      = "X-Hotline-Timestamp"
	HeaderSignature      = "X-Hotline-Signature"
)

// CRM forwards ticket events to the operator's CRM: each event is POSTed
// as a signed CRMEvent. Use its Handle as the EventHandler of a Relay for
// ConsumerCRM.
type CRM struct {
	client *resty.Client
	url    string
	secret []byte
	now    func() time.Time
}

// NewCRM builds a CRM forwarder. It returns an error when the URL is not an
// absolute http or https URL or the secret is empty; the error never
// contains either.
func NewCRM(c CRMConfig) (*CRM, error) {
	if err := checkCRMURL(c.URL); err != nil {
		return nil, err
	}
	if c.Secret == "" {
		return nil, errors.New("crm: a signing secret is required")
	}
	c = crmDefaults(c)
	crm := &CRM{url: c.URL, secret: []byte(c.Secret), now: c.Now}
	crm.client = crm.newClient(c)
	return crm, nil
}

func checkCRMURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("crm: the url must be an absolute http or https URL")
	}
	return nil
}

func crmDefaults(c CRMConfig) CRMConfig {
	if c.Timeout <= 0 {
		c.Timeout = crmTimeout
	}
	if c.Retries == 0 {
		c.Retries = crmRetries
	}
	if c.Retries < 0 {
		c.Retries = 0
	}
	if c.RetryWait <= 0 {
		c.RetryWait = crmRetryWait
	}
	if c.RetryMaxWait <= 0 {
		c.RetryMaxWait = crmRetryMaxWait
	}
	if c.UserAgent == "" {
		c.UserAgent = crmUserAgent
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// newClient builds the one resty client used for every event. It keeps no
// cookies, follows no redirects (a redirected POST would turn into a GET),
// and logs nothing itself: resty's own logs carry the URL and error text,
// so failures are logged by the relay with ids only.
func (c *CRM) newClient(cfg CRMConfig) *resty.Client {
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return resty.NewWithClient(hc).
		SetLogger(quietLogger{}).
		SetTimeout(cfg.Timeout).
		SetHeader("User-Agent", cfg.UserAgent).
		SetHeader("Content-Type", "application/json").
		SetResponseBodyLimit(crmResponseLimit).
		SetRetryCount(cfg.Retries).
		SetRetryWaitTime(cfg.RetryWait).
		SetRetryMaxWaitTime(cfg.RetryMaxWait).
		AddRetryCondition(crmRetryable).
		SetRetryAfter(retryAfterWithin(cfg.RetryMaxWait)).
		OnBeforeRequest(c.sign)
}

// Handle POSTs one event to the CRM. A 2xx is success. A network error, a
// 5xx, a 408 or a 429 that outlasts the retries is a plain error, marked
// with RetryAfter when the CRM asked for a longer delay than RetryMaxWait;
// any other status, a redirect included, is a Permanent error. Errors name
// the event's seq and the status, never the URL, secret or body.
func (c *CRM) Handle(ctx context.Context, e Event) error {
	body, err := json.Marshal(NewCRMEvent(e))
	if err != nil {
		return Permanent(fmt.Errorf("crm: encode event %d: %w", e.Seq, err))
	}

	resp, err := c.client.R().
		SetContext(ctx).
		SetHeader(HeaderIdempotencyKey, e.Key()).
		SetHeader(HeaderEvent, string(e.Type)).
		SetBody(body).
		Post(c.url)
	return crmOutcome(e.Seq, resp, err)
}

// crmOutcome turns a response or error into Handle's result.
func crmOutcome(seq int64, resp *resty.Response, err error) error {
	var wait *waitTooLong
	switch {
	case errors.As(err, &wait):
		return RetryAfter(fmt.Errorf("crm: event %d: status %d, retry after %s",
			seq, resp.StatusCode(), wait.d), wait.d)
	case err != nil && !errors.Is(err, resty.ErrResponseBodyTooLarge):
		return fmt.Errorf("crm: event %d: %w", seq, withoutURL(err))
	}

	code := resp.StatusCode()
	switch {
	case code >= 200 && code < 300:
		return nil
	case retryableStatus(code):
		return fmt.Errorf("crm: event %d: status %d", seq, code)
	default:
		return Permanent(fmt.Errorf("crm: event %d rejected: status %d", seq, code))
	}
}

// CRMEvent is the JSON body POSTed to the CRM for one event. Its shape is
// stable: fields are only ever added. Times are RFC 3339 with the offset,
// or null when not set.
type CRMEvent struct {
	// Type says what happened, such as ticket.status.
	Type EventType `json:"type"`
	// Seq orders events; a later event of a ticket has a higher seq.
	Seq int64 `json:"seq"`
	// IdempotencyKey is the same on every delivery of the event.
	IdempotencyKey string `json:"idempotency_key"`
	// OccurredAt is when it happened.
	OccurredAt *time.Time `json:"occurred_at"`
	// Ticket is the ticket right after the event.
	Ticket CRMTicket `json:"ticket"`
	// Change is the history entry the event records.
	Change CRMChange `json:"change"`
	// Outage is the linked outage, for outage events only.
	Outage *CRMOutage `json:"outage,omitempty"`
}

// CRMTicket is a ticket as the CRM sees it. Each field is the Ticket field
// of the same name; Channel and SubscriberID are the owner's. Phone and
// Details are personal data.
type CRMTicket struct {
	ID           string            `json:"id"`
	Kind         Kind              `json:"kind"`
	Category     string            `json:"category"`
	Status       Status            `json:"status"`
	Priority     Priority          `json:"priority"`
	Source       string            `json:"source"`
	Channel      string            `json:"channel"`
	SubscriberID string            `json:"subscriber_id"`
	Service      string            `json:"service"`
	Area         string            `json:"area"`
	OutageID     string            `json:"outage_id"`
	Phone        string            `json:"phone"`
	Details      map[string]string `json:"details"`
	Summary      string            `json:"summary"`
	Assignee     string            `json:"assignee"`
	Resolution   string            `json:"resolution"`
	Rating       int               `json:"rating"`
	Risk         Risk              `json:"risk"`
	RespondBy    *time.Time        `json:"respond_by"`
	ResolveBy    *time.Time        `json:"resolve_by"`
	RespondedAt  *time.Time        `json:"responded_at"`
	ResolvedAt   *time.Time        `json:"resolved_at"`
	CreatedAt    *time.Time        `json:"created_at"`
	UpdatedAt    *time.Time        `json:"updated_at"`
	Version      int64             `json:"version"`
}

// CRMChange is the history entry an event records; each field is the
// Change field of the same name.
type CRMChange struct {
	Actor  string     `json:"actor"`
	Action string     `json:"action"`
	From   string     `json:"from"`
	To     string     `json:"to"`
	Note   string     `json:"note"`
	At     *time.Time `json:"at"`
}

// CRMOutage is the outage an outage event is about; each field is the
// Outage field of the same name.
type CRMOutage struct {
	ID          string     `json:"id"`
	Service     string     `json:"service"`
	Area        string     `json:"area"`
	Description string     `json:"description"`
	ExpectedFix *time.Time `json:"expected_fix"`
	Open        bool       `json:"open"`
	Note        string     `json:"note"`
	ClosedAt    *time.Time `json:"closed_at"`
}

// NewCRMEvent builds the body sent to the CRM for an event.
func NewCRMEvent(e Event) CRMEvent {
	t, c := e.Ticket, e.Change
	out := CRMEvent{
		Type: e.Type, Seq: e.Seq, IdempotencyKey: e.Key(), OccurredAt: timeOrNull(e.At),
		Ticket: CRMTicket{
			ID: t.ID, Kind: t.Kind, Category: t.Category, Status: t.Status,
			Priority: t.Priority, Source: t.Source, Channel: t.Owner.Channel,
			SubscriberID: t.Owner.SubscriberID, Service: t.Service, Area: t.Area,
			OutageID: t.OutageID, Phone: t.Phone, Details: t.Details, Summary: t.Summary,
			Assignee: t.Assignee, Resolution: t.Resolution, Rating: t.Rating, Risk: t.Risk,
			RespondBy: timeOrNull(t.RespondBy), ResolveBy: timeOrNull(t.ResolveBy),
			RespondedAt: timeOrNull(t.RespondedAt), ResolvedAt: timeOrNull(t.ResolvedAt),
			CreatedAt: timeOrNull(t.CreatedAt), UpdatedAt: timeOrNull(t.UpdatedAt),
			Version: t.Version,
		},
		Change: CRMChange{Actor: c.Actor, Action: c.Action, From: c.From, To: c.To,
			Note: c.Note, At: timeOrNull(c.At)},
	}
	if out.Ticket.Details == nil {
		out.Ticket.Details = map[string]string{}
	}
	if o := e.Outage; o != nil {
		out.Outage = &CRMOutage{ID: o.ID, Service: o.Service, Area: o.Area,
			Description: o.Description, ExpectedFix: timeOrNull(o.ExpectedFix), Open: o.Open,
			Note: o.Note, ClosedAt: timeOrNull(o.ClosedAt)}
	}
	return out
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// sign stamps each attempt with a fresh timestamp and its signature, so a
// retry late in the sequence is not refused as stale.
func (c *CRM) sign(_ *resty.Client, r *resty.Request) error {
	body, ok := r.Body.([]byte)
	if !ok {
		return errors.New("crm: request body is not bytes")
	}
	ts := strconv.FormatInt(c.now().Unix(), 10)
	r.SetHeader(HeaderTimestamp, ts)
	r.SetHeader(HeaderSignature, SignCRM(c.secret, ts, body))
	return nil
}

// SignCRM returns the signature of a CRM request both ways:
// "sha256=" and the hex HMAC-SHA256, keyed with secret, of the timestamp
// (unix seconds, as sent in X-Hotline-Timestamp), a dot, and the body.
func SignCRM(secret []byte, timestamp string, body []byte) string {
	return "sha256=" + hex.EncodeToString(crmMAC(secret, timestamp, body))
}

func crmMAC(secret []byte, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// crmRetryable says which outcomes resty tries again at once. A response
// over the size limit was still answered, so it is judged by its status.
func crmRetryable(resp *resty.Response, err error) bool {
	if err != nil && !errors.Is(err, resty.ErrResponseBodyTooLarge) {
		return true
	}
	return resp != nil && retryableStatus(resp.StatusCode())
}

func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
}

// withoutURL drops the URL that net/http puts in its errors, as a URL may
// carry a token in its query.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// quietLogger drops resty's own logs.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

var _ resty.Logger = quietLogger{}

// retryAfterWithin reads a Retry-After header for resty. A wait longer
// than max ends resty's retries with waitTooLong, so that the relay does
// the waiting instead of a request that stays open.
func retryAfterWithin(max time.Duration) resty.RetryAfterFunc {
	return func(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
		d := parseRetryAfter(resp.Header().Get("Retry-After"), time.Now())
		if d > max {
			return 0, &waitTooLong{d: d}
		}
		return d, nil
	}
}

// parseRetryAfter reads delay-seconds or an HTTP date; 0 means none given,
// and resty then uses its own backoff.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(min(max(n, 0), maxRetryAfter)) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}

// maxRetryAfter caps a Retry-After in seconds, against overflow.
const maxRetryAfter = 7 * 24 * 3600

// waitTooLong is a Retry-After beyond the retry wait limit.
type waitTooLong struct{ d time.Duration }

func (e *waitTooLong) Error() string { return "retry after " + e.d.String() }
