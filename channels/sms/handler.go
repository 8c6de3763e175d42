package sms

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"hotline/channels"
)

// PathPrefix is where every SMS channel's callbacks are served:
// PathPrefix + <name>/inbound and PathPrefix + <name>/status, each
// followed by /<token> when the channel has a path token.
const PathPrefix = "/sms/"

// Router serves the callbacks of several SMS channels by name.
type Router struct {
	byName map[string]*Channel
}

// NewRouter serves the given channels' callbacks.
func NewRouter(chans ...*Channel) *Router {
	r := &Router{byName: make(map[string]*Channel, len(chans))}
	for _, c := range chans {
		r.byName[c.Name()] = c
	}
	return r
}

// ServeHTTP finds the channel and the callback kind in the path.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, PathPrefix), "/")
	c, ok := rt.byName[parts[0]]
	if !ok || len(parts) < 2 || len(parts) > 3 || (parts[1] != "inbound" && parts[1] != "status") {
		http.Error(w, "no such SMS callback; use /sms/<channel>/inbound or /sms/<channel>/status", http.StatusNotFound)
		return
	}
	token := ""
	if len(parts) == 3 {
		token = parts[2]
	}
	c.serve(w, r, parts[1], token)
}

// handleTimeout bounds the work of one callback; providers wait a few
// seconds at most before they retry.
const handleTimeout = 4 * time.Second

// serve answers one callback: checks, parses, handles, acknowledges.
func (c *Channel) serve(w http.ResponseWriter, r *http.Request, kind, token string) {
	body, err := c.admit(w, r, token)
	if err != nil {
		c.refuse(w, kind, err)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), handleTimeout)
	defer cancel()

	if kind == "inbound" {
		err = c.inbound(ctx, r, body)
	} else {
		err = c.reports(ctx, r, body)
	}
	var re *RequestError
	switch {
	case errors.As(err, &re):
		c.refuse(w, kind, err)
	case err != nil:
		// Nothing acknowledged: the provider sends it again.
		c.cfg.Log.Error("sms callback not stored; provider will retry", "channel", c.cfg.Name,
			"kind", kind, "error", err)
		http.Error(w, "temporarily unavailable, please retry", http.StatusServiceUnavailable)
	default:
		ack := c.cfg.Provider.Ack()
		w.Header().Set("Content-Type", ack.ContentType)
		_, _ = w.Write(ack.Body)
	}
}

// admit checks the method, source address, path token and size, and
// returns the body.
func (c *Channel) admit(w http.ResponseWriter, r *http.Request, token string) ([]byte, error) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		return nil, &RequestError{Status: http.StatusMethodNotAllowed, Reason: "callbacks are POST"}
	}
	if !c.allowed(r.RemoteAddr) {
		return nil, forbidden("source address not allowed")
	}
	if c.cfg.PathToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(c.cfg.PathToken)) != 1 {
		return nil, forbidden("wrong or missing path token")
	}
	if c.cfg.PathToken == "" && token != "" {
		return nil, &RequestError{Status: http.StatusNotFound, Reason: "this channel has no path token"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, &RequestError{Status: http.StatusRequestEntityTooLarge, Reason: "body too large"}
	case err != nil:
		return nil, badRequest("body could not be read")
	}
	return body, nil
}

// allowed reports whether a callback's source address is allowed.
func (c *Channel) allowed(remote string) bool {
	if len(c.cfg.Allow) == 0 {
		return true
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, p := range c.cfg.Allow {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// refuse answers a refused callback with its status and reason, and logs
// the reason alone.
func (c *Channel) refuse(w http.ResponseWriter, kind string, err error) {
	status := http.StatusBadRequest
	var re *RequestError
	if errors.As(err, &re) {
		status = re.Status
	}
	c.cfg.Log.Warn("sms callback refused", "channel", c.cfg.Name, "kind", kind,
		"status", status, "reason", err.Error())
	http.Error(w, "callback refused: "+err.Error(), status)
}

// inbound handles the messages of an inbound callback, in order; an
// error means the provider should send the callback again. Repeats of
// messages already handled are skipped by their keys.
func (c *Channel) inbound(ctx context.Context, r *http.Request, body []byte) error {
	msgs, err := c.cfg.Provider.Inbound(r, body)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := c.receive(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// receive handles one inbound message: a keyword here, anything else in
// the dialog.
func (c *Channel) receive(ctx context.Context, m Message) error {
	phone, err := NormalizePhone(m.From, c.cfg.DefaultCountry)
	if err != nil {
		// No reply can reach it; acknowledged so the provider stops.
		c.cfg.Log.Warn("sms from an unusable number dropped", "channel", c.cfg.Name, "reason", err.Error())
		return nil
	}
	m.Text = channels.CleanText(m.Text)
	if kw := ClassifyKeyword(m.Text); kw != NoKeyword {
		return c.keyword(ctx, m, phone, kw)
	}

	in := channels.Inbound{Channel: c.cfg.Name, Address: phone, ProviderID: m.Key, Text: m.Text,
		Subscriber: channels.SubscriberFor(phone), ReceivedAt: c.cfg.Now()}
	if q, ok := c.pick(ctx, phone, m.Text); ok {
		in.Payload, in.Text = q.Payload, q.Label
	} else if statusQuery(m.Text) {
		in.Payload = payloadTickets
	}
	_, err = c.cfg.Receiver.Receive(ctx, in)
	return err
}

// reports applies a delivery-report callback's reports.
func (c *Channel) reports(ctx context.Context, r *http.Request, body []byte) error {
	list, err := c.cfg.Provider.Reports(r, body)
	if err != nil {
		return err
	}
	now := c.cfg.Now()
	for _, rep := range list {
		if rep.ID == "" || rep.Status.Rank() == 0 {
			continue
		}
		if _, err := c.cfg.Store.Advance(ctx, c.cfg.Name, rep, now); err != nil {
			return err
		}
	}
	return nil
}
