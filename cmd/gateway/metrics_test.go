package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"

	"hotline/configs"
	"hotline/dialog"
)

// exposition is one scrape of /metrics, parsed, with its raw text.
type exposition struct {
	fams map[string]*dto.MetricFamily
	raw  string
}

// getMetrics sends GET /metrics with the Authorization header auth (none
// when empty) and returns the status and the body.
func getMetrics(t testing.TB, addr, auth string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401 without WWW-Authenticate")
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	return resp.StatusCode, string(body)
}

// scrape fetches and parses /metrics, sending the bearer token when one
// is given.
func scrape(t testing.TB, addr, token string) exposition {
	t.Helper()
	auth := ""
	if token != "" {
		auth = "Bearer " + token
	}
	status, body := getMetrics(t, addr, auth)
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: HTTP %d %q", status, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the exposition does not parse: %v", err)
	}
	return exposition{fams: fams, raw: body}
}

// value sums the samples of the family name whose labels include the
// given name, value pairs: a counter's or gauge's value, a histogram's
// count of observations. It fails the test when the family is missing.
func (e exposition) value(t testing.TB, name string, pairs ...string) float64 {
	t.Helper()
	f, ok := e.fams[name]
	if !ok {
		t.Fatalf("no metric family %s", name)
	}
	sum := 0.0
	for _, m := range f.GetMetric() {
		if hasLabels(m, pairs) {
			sum += sampleValue(m)
		}
	}
	return sum
}

func hasLabels(m *dto.Metric, pairs []string) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == pairs[i] && l.GetValue() == pairs[i+1] {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func sampleValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	case m.Summary != nil:
		return float64(m.Summary.GetSampleCount())
	}
	return m.GetUntyped().GetValue()
}

// awaitMetric scrapes until the sample reaches want, for figures that
// change a moment after the test sees the reply (a send is counted once
// it returns) or that are read afresh only every few seconds (tickets).
func awaitMetric(t testing.TB, addr, name string, want float64, pairs ...string) exposition {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		e := scrape(t, addr, "")
		got := e.value(t, name, pairs...)
		if got == want {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s%v = %v, want %v", name, pairs, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// metricFamilies are every family the shipped settings serve, with its
// type; the desk's come with the desk, on by default.
var metricFamilies = map[string]dto.MetricType{
	"hotline_inbound_messages_total":         dto.MetricType_COUNTER,
	"hotline_inbound_duplicates_total":       dto.MetricType_COUNTER,
	"hotline_inbound_errors_total":           dto.MetricType_COUNTER,
	"hotline_outbound_sends_total":           dto.MetricType_COUNTER,
	"hotline_outbound_send_duration_seconds": dto.MetricType_HISTOGRAM,
	"hotline_outbox_retries_total":           dto.MetricType_COUNTER,
	"hotline_outbox_failed_total":            dto.MetricType_COUNTER,
	"hotline_kb_answers_total":               dto.MetricType_COUNTER,
	"hotline_store_duration_seconds":         dto.MetricType_HISTOGRAM,
	"hotline_webchat_connections":            dto.MetricType_GAUGE,
	"hotline_console_connections":            dto.MetricType_GAUGE,
	"hotline_ready":                          dto.MetricType_GAUGE,
	"hotline_queue_depth":                    dto.MetricType_GAUGE,
	"hotline_queue_longest_wait_seconds":     dto.MetricType_GAUGE,
	"hotline_agents":                         dto.MetricType_GAUGE,
	"hotline_tickets_open":                   dto.MetricType_GAUGE,
	"hotline_tickets_at_risk":                dto.MetricType_GAUGE,
	"hotline_tickets_breached":               dto.MetricType_GAUGE,
	"go_goroutines":                          dto.MetricType_GAUGE,
	"process_resident_memory_bytes":          dto.MetricType_GAUGE,
}

// A fresh gateway serves every family, each series of the fixed label
// sets from the start, ready and counting its open web chat sockets.
func TestMetrics_ServesEveryFamily(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	e := scrape(t, g.addr, "")
	for name, typ := range metricFamilies {
		f, ok := e.fams[name]
		if !ok {
			t.Errorf("no metric family %s", name)
			continue
		}
		if f.GetType() != typ {
			t.Errorf("%s is a %v, want a %v", name, f.GetType(), typ)
		}
	}
	for _, c := range []struct {
		name  string
		pairs []string
	}{
		{"hotline_inbound_messages_total", []string{"channel", "webchat"}},
		{"hotline_outbound_sends_total", []string{"channel", "webchat", "provider", "webchat", "result", "sent"}},
		{"hotline_kb_answers_total", []string{"result", "miss"}},
		{"hotline_store_duration_seconds", []string{"kind", "deliveries"}},
		{"hotline_queue_depth", []string{"group", "broadband"}},
		{"hotline_agents", []string{"state", "ready"}},
		{"hotline_tickets_open", []string{"kind", "fault", "state", "new"}},
		{"hotline_tickets_breached", []string{"kind", "complaint"}},
	} {
		if !hasSeries(e.fams[c.name], c.pairs) {
			t.Errorf("no series %s%v before anything happened", c.name, c.pairs)
		}
	}
	if v := e.value(t, "hotline_ready"); v != 1 {
		t.Errorf("hotline_ready = %v, want 1", v)
	}
	dial(t, g.addr, nil)
	awaitMetric(t, g.addr, "hotline_webchat_connections", 1)
}

func hasSeries(f *dto.MetricFamily, pairs []string) bool {
	return slices.ContainsFunc(f.GetMetric(), func(m *dto.Metric) bool { return hasLabels(m, pairs) })
}

// metricsEnv is the environment of the flow tests: Twilio faked, the test
// API token, and deadlines scanned every second.
func metricsEnv(api *fakeTwilioAPI, extra map[string]string) map[string]string {
	env := twilioEnv(ticketEnv(extra), api)
	env["HOTLINE_TICKETS_SCAN_INTERVAL"] = "1s"
	return env
}

// The counters follow a scripted subscriber exactly, over SMS and the web
// chat, a provider's retry counts as a duplicate and not as a second
// message, the ticket gauges follow a ticket through its deadlines, and
// no label value holds a number, a text or an id.
func TestMetrics_CountsTheFlow(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		metricsFlow(t, nil)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		metricsFlow(t, map[string]string{"HOTLINE_DATABASE_URL": postgresURL(t)})
	})
}

// flowRun is one gateway of the flow test with what it was told, so the
// scrapes can be searched for it.
type flowRun struct {
	t      *testing.T
	g      *gw
	api    *fakeTwilioAPI
	clock  *movableClock
	secret []string // numbers, texts and ids no label may hold
}

func metricsFlow(t *testing.T, extra map[string]string) {
	api := newTwilioAPI(t)
	clock := &movableClock{at: time.Now()}
	env := metricsEnv(api, extra)
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] }, Clock: clock,
	})
	r := &flowRun{t: t, g: g, api: api, clock: clock}
	r.smsQuestion()
	r.webchatQuestion()
	r.ticketDeadlines()
}

// smsQuestion texts one question the knowledge base answers, then
// Twilio's retry of it.
func (r *flowRun) smsQuestion() {
	t := r.t
	const phone, question = "+8613800138000", "话费余额怎么查"
	r.secret = append(r.secret, "13800138000", question)
	before := scrape(t, r.g.addr, "")
	x := &texter{t: t, addr: r.g.addr, phone: phone, api: r.api}
	if replies := x.text(question); len(replies) != 1 {
		t.Fatalf("replies to %q: %q, want one answer", question, replies)
	}
	sent := before.value(t, "hotline_outbound_sends_total", "channel", "twilio", "result", "sent")
	after := awaitMetric(t, r.g.addr, "hotline_outbound_sends_total", sent+1,
		"channel", "twilio", "provider", "twilio", "result", "sent")
	r.wantDeltas(before, after, map[string]float64{
		"hotline_inbound_messages_total channel=twilio provider=twilio":         1,
		"hotline_inbound_messages_total channel=webchat":                        0,
		"hotline_inbound_duplicates_total channel=twilio":                       0,
		"hotline_inbound_errors_total channel=twilio":                           0,
		"hotline_kb_answers_total result=hit":                                   1,
		"hotline_kb_answers_total result=miss":                                  0,
		"hotline_kb_answers_total result=suggested":                             0,
		"hotline_outbound_send_duration_seconds channel=twilio provider=twilio": 1,
	})
	if after.value(t, "hotline_store_duration_seconds", "kind", "commit") <= before.value(t, "hotline_store_duration_seconds", "kind", "commit") {
		t.Error("the commit of the turn was not timed")
	}

	before = after
	n := len(r.api.to(phone))
	x.post(fmt.Sprintf("SM%s%04d", strings.TrimPrefix(phone, "+"), x.n), question)
	if again := x.awaitAfter(n); len(again) != 0 {
		t.Fatalf("the retry was answered again: %q", again)
	}
	r.wantDeltas(before, scrape(t, r.g.addr, ""), map[string]float64{
		"hotline_inbound_messages_total channel=twilio":   0,
		"hotline_inbound_duplicates_total channel=twilio": 1,
		"hotline_kb_answers_total result=hit":             0,
		"hotline_outbound_sends_total channel=twilio":     0,
	})
}

// webchatQuestion asks one question in the web chat and sends it again
// under the same client id, as a page does after a reconnect.
func (r *flowRun) webchatQuestion() {
	t := r.t
	const question = "怎么开发票"
	before := scrape(t, r.g.addr, "")
	c := startChat(t, r.g)
	c.say(question)
	c.send(map[string]string{"type": "message", "client_id": "m1", "text": question})
	if f := c.read(); f.Type != "ack" || !f.Duplicate {
		t.Fatalf("repeat = %+v, want a duplicate ack", f)
	}
	w, _ := dial(t, r.g.addr, nil).hello(c.session, "")
	if w.Conversation == "" {
		t.Fatal("the resumed session names no conversation")
	}
	r.secret = append(r.secret, question, w.Conversation, c.session)
	r.wantDeltas(before, scrape(t, r.g.addr, ""), map[string]float64{
		"hotline_inbound_messages_total channel=webchat":   1,
		"hotline_inbound_duplicates_total channel=webchat": 1,
		"hotline_inbound_messages_total channel=twilio":    0,
		"hotline_kb_answers_total result=hit":              1,
	})
}

// ticketDeadlines reports a fault by SMS and moves the clock past most
// of the time to answer it, then past the deadline.
func (r *flowRun) ticketDeadlines() {
	t := r.t
	x := &texter{t: t, addr: r.g.addr, phone: "+8613900139000", api: r.api}
	id := ticketNumber.FindString(faultBySMS(t, x))
	if id == "" {
		t.Fatal("no ticket number")
	}
	r.secret = append(r.secret, "13900139000", id, "ad12345678", "建国路88号", "13812345678")
	e := awaitMetric(t, r.g.addr, "hotline_tickets_open", 1, "kind", "fault")
	r.noSecrets(e)
	if n := e.value(t, "hotline_tickets_open"); n != 1 {
		t.Errorf("open tickets of any kind: %v, want 1", n)
	}
	if n := e.value(t, "hotline_tickets_at_risk") + e.value(t, "hotline_tickets_breached"); n != 0 {
		t.Errorf("a fresh ticket counted at risk or breached: %v", n)
	}

	// The shipped deadline to answer a fault is 24 hours, at risk after 80%.
	r.clock.advance(20 * time.Hour)
	e = awaitMetric(t, r.g.addr, "hotline_tickets_at_risk", 1, "kind", "fault")
	r.wantValues(e, map[string]float64{
		"hotline_tickets_breached kind=fault":  0,
		"hotline_tickets_at_risk kind=request": 0,
		"hotline_tickets_open kind=fault":      1,
	})
	r.clock.advance(5 * time.Hour)
	e = awaitMetric(t, r.g.addr, "hotline_tickets_breached", 1, "kind", "fault")
	r.wantValues(e, map[string]float64{
		"hotline_tickets_at_risk kind=fault": 0,
		"hotline_tickets_open kind=fault":    1,
	})
	r.noSecrets(e)
}

// wantDeltas checks how much samples changed between two scrapes; a key
// is a family name followed by label=value pairs.
func (r *flowRun) wantDeltas(before, after exposition, want map[string]float64) {
	r.t.Helper()
	for key, d := range want {
		name, pairs := parseSampleKey(key)
		if got := after.value(r.t, name, pairs...) - before.value(r.t, name, pairs...); got != d {
			r.t.Errorf("%s changed by %v, want %v", key, got, d)
		}
	}
	r.noSecrets(after)
}

// wantValues checks samples of one scrape, keyed as in wantDeltas.
func (r *flowRun) wantValues(e exposition, want map[string]float64) {
	r.t.Helper()
	for key, v := range want {
		name, pairs := parseSampleKey(key)
		if got := e.value(r.t, name, pairs...); got != v {
			r.t.Errorf("%s = %v, want %v", key, got, v)
		}
	}
}

func parseSampleKey(key string) (string, []string) {
	fields := strings.Fields(key)
	var pairs []string
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(f, "=")
		pairs = append(pairs, k, v)
	}
	return fields[0], pairs
}

// noSecrets fails when a label value, or anything else in the
// exposition, holds one of the run's numbers, texts or ids.
func (r *flowRun) noSecrets(e exposition) {
	r.t.Helper()
	for _, s := range r.secret {
		if strings.Contains(e.raw, s) {
			r.t.Errorf("the exposition contains %q", s)
		}
		for name, f := range e.fams {
			for _, m := range f.GetMetric() {
				for _, l := range m.GetLabel() {
					if strings.Contains(l.GetValue(), s) {
						r.t.Errorf("%s{%s=%q} holds %q", name, l.GetName(), l.GetValue(), s)
					}
				}
			}
		}
	}
}

// A throttled provider's refusal is a retryable failure, and the later
// attempt that succeeds is a retry; nothing is given up.
func TestMetrics_CountsRetriedSends(t *testing.T) {
	api := newTwilioAPI(t)
	clock := &movableClock{at: time.Now()}
	env := twilioEnv(nil, api)
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] }, Clock: clock,
	})
	before := scrape(t, g.addr, "")
	x := &texter{t: t, addr: g.addr, phone: "+8613300133000", api: api}
	api.setDown(true)
	x.post("SMretry0001", "营业厅几点开门")
	awaitMetric(t, g.addr, "hotline_outbound_sends_total", 1, "channel", "twilio", "result", "retryable_error")
	api.setDown(false)
	clock.advance(6 * time.Second) // past the first backoff
	awaitMetric(t, g.addr, "hotline_outbound_sends_total", 1, "channel", "twilio", "result", "sent")
	after := awaitMetric(t, g.addr, "hotline_outbox_retries_total", 1)
	r := &flowRun{t: t, g: g, secret: []string{"13300133000", "营业厅几点开门"}}
	r.wantDeltas(before, after, map[string]float64{
		"hotline_outbound_sends_total channel=twilio result=retryable_error": 1,
		"hotline_outbound_sends_total channel=twilio result=permanent_error": 0,
		"hotline_outbox_failed_total":                                        0,
		"hotline_outbound_send_duration_seconds channel=twilio":              2,
	})
}

// metricsToken is the scrape token of the token test.
const metricsToken = "metrics-token-0123456789"

// With a token set, a scrape without it, with another or in another
// scheme gets 401; with it, the metrics. The token is never logged.
func TestMetrics_TokenRequired(t *testing.T) {
	g := startGateway(t, t.TempDir(), map[string]string{"HOTLINE_METRICS_TOKEN": metricsToken})
	for _, auth := range []string{"", "Bearer", "Bearer ", "Bearer wrong-token-0123456789",
		"Bearer " + metricsToken + "x", "Bearer " + metricsToken[:len(metricsToken)-1],
		"Basic " + metricsToken, metricsToken} {
		if status, body := getMetrics(t, g.addr, auth); status != http.StatusUnauthorized ||
			strings.Contains(body, "hotline_") {
			t.Errorf("Authorization %q: HTTP %d, want 401 without metrics", auth, status)
		}
	}
	e := scrape(t, g.addr, metricsToken)
	if _, ok := e.fams["hotline_ready"]; !ok {
		t.Error("the right token got no metrics")
	}
	if status, _ := getMetrics(t, g.addr, "bearer "+metricsToken); status != http.StatusOK {
		t.Errorf("the scheme in lower case: HTTP %d, want 200", status)
	}
	if strings.Contains(g.logs.String(), metricsToken) {
		t.Error("the token appears in the logs")
	}
}

// metricNameIn finds metric names in the operations guide: the gateway's
// own, the Go runtime's and the process's.
var metricNameIn = regexp.MustCompile(`\b(?:hotline|go|process|promhttp)_[a-z0-9_]*[a-z0-9]\b`)

// Every metric the operations guide names (its table and its alerting
// rules) is served, and every hotline_ family served is in its table.
func TestMetrics_OperationsGuideMatchesTheRegistry(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	g := startGateway(t, t.TempDir(), nil)
	fams := scrape(t, g.addr, "").fams
	named := map[string]bool{}
	for _, name := range metricNameIn.FindAllString(string(doc), -1) {
		named[name] = true
		if !served(fams, name) {
			t.Errorf("docs/operations.md names %s, which the gateway does not serve", name)
		}
	}
	tabled := tableMetrics(string(doc))
	for name := range fams {
		if strings.HasPrefix(name, "hotline_") && !tabled[name] {
			t.Errorf("the gateway serves %s, which the table of docs/operations.md does not list", name)
		}
	}
	if len(named) < len(metricFamilies) {
		t.Errorf("docs/operations.md names %d metrics, want at least %d", len(named), len(metricFamilies))
	}
	checkAlertRules(t, string(doc))
}

// alertRules is the shape of a Prometheus rules file.
type alertRules struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert  string            `yaml:"alert"`
			Expr   string            `yaml:"expr"`
			Labels map[string]string `yaml:"labels"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// checkAlertRules parses the guide's rules block: YAML, each rule with a
// name, a severity and an expression whose brackets balance.
func checkAlertRules(t *testing.T, doc string) {
	t.Helper()
	_, block, ok := strings.Cut(doc, "```yaml\ngroups:")
	if !ok {
		t.Fatal("docs/operations.md has no ```yaml block of alerting rules")
	}
	block, _, _ = strings.Cut("groups:"+block, "```")
	var rules alertRules
	if err := yaml.Unmarshal([]byte(block), &rules); err != nil {
		t.Fatalf("the alerting rules are not YAML: %v", err)
	}
	n := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			n++
			if r.Alert == "" || r.Labels["severity"] == "" || !balanced(r.Expr) {
				t.Errorf("rule %q: want a name, a severity and an expression with balanced brackets: %q", r.Alert, r.Expr)
			}
		}
	}
	if n < 10 {
		t.Errorf("%d alerting rules, want at least 10", n)
	}
}

// balanced reports whether the (), [] and {} of a non-empty expression
// pair up.
func balanced(expr string) bool {
	var open []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	for _, c := range expr {
		switch c {
		case '(', '[', '{':
			open = append(open, c)
		case ')', ']', '}':
			if len(open) == 0 || open[len(open)-1] != pairs[c] {
				return false
			}
			open = open[:len(open)-1]
		}
	}
	return len(open) == 0 && strings.TrimSpace(expr) != ""
}

// tableMetrics returns the metric names in the first column of the
// guide's table rows.
func tableMetrics(doc string) map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(doc, "\n") {
		cells := strings.Split(line, "|")
		if !strings.HasPrefix(line, "| `") || len(cells) < 3 {
			continue
		}
		for _, name := range metricNameIn.FindAllString(cells[1], -1) {
			out[name] = true
		}
	}
	return out
}

// served reports whether name is a family or a series of one: a
// histogram's _bucket, _sum or _count, a summary's _sum or _count.
func served(fams map[string]*dto.MetricFamily, name string) bool {
	if _, ok := fams[name]; ok {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, ok := strings.CutSuffix(name, suffix)
		if f, found := fams[base]; ok && found {
			typ := f.GetType()
			return typ == dto.MetricType_HISTOGRAM || (typ == dto.MetricType_SUMMARY && suffix != "_bucket")
		}
	}
	return false
}

// failingDeliveries is a conversation store whose delivery status writes
// return err; nothing else of it is used.
type failingDeliveries struct {
	dialog.Store
	err error
}

func (f failingDeliveries) MarkDeliveries(context.Context, []dialog.DeliveryUpdate) error {
	return f.err
}

// Retries and messages given up are counted once their outcome is
// stored: an outcome the store refused is sent again and counted then.
func TestMetrics_DeliveriesCountedOnceStored(t *testing.T) {
	m := newMetrics(configs.Config{}, slog.New(slog.DiscardHandler))
	m.providers["sms-a"] = "twilio"
	updates := []dialog.DeliveryUpdate{
		{MessageID: "m1", Status: dialog.DeliveryFailed, Attempts: 8, Channel: "sms-a"},
		{MessageID: "m2", Status: dialog.DeliverySent, Attempts: 2, Channel: "sms-a"},
		{MessageID: "m3", Status: dialog.DeliverySent, Attempts: 1, Channel: "sms-a"},
		{MessageID: "m4", Status: dialog.DeliverySent, Attempts: 3, Channel: "gone"},
	}
	retries, givenUp := m.retries.WithLabelValues("sms-a", "twilio"), m.givenUp.WithLabelValues("sms-a", "twilio")
	other := m.retries.WithLabelValues("other", "other")
	if err := m.store(failingDeliveries{err: errors.New("database away")}).MarkDeliveries(context.Background(), updates); err == nil {
		t.Fatal("the store's error was lost")
	}
	if r, f := counterValue(t, retries), counterValue(t, givenUp); r != 0 || f != 0 {
		t.Fatalf("after a failed write: retries %v, given up %v; want nothing counted", r, f)
	}
	if err := m.store(failingDeliveries{}).MarkDeliveries(context.Background(), updates); err != nil {
		t.Fatal(err)
	}
	if r, f := counterValue(t, retries), counterValue(t, givenUp); r != 2 || f != 1 {
		t.Fatalf("retries %v, given up %v on sms-a (twilio); want 2 and 1", r, f)
	}
	if o := counterValue(t, other); o != 1 {
		t.Fatalf("retries on a channel the gateway does not have: %v, want 1 under other", o)
	}
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
