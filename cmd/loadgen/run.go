package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// run is one load run: the fakes, the gateways when spawned, agents and
// subscribers, then the check.
type run struct {
	o      options
	out    io.Writer
	errs   *errorCounts
	wx     *fakeWeChat
	tw     *fakeTwilio
	gw     *spawned
	wxAcct *wxAccount
	twAcct *twilioAccount
	agents []*agent
	subs   []*subscriber
	missed int64 // paced slots with no idle subscriber
	start  time.Time
	took   time.Duration
}

// execute runs loadgen with o and returns the report.
func execute(ctx context.Context, o options, out io.Writer) (*report, error) {
	r := &run{o: o, out: out, errs: newErrorCounts()}
	defer r.cleanUp()
	if err := r.prepare(ctx); err != nil {
		return nil, err
	}
	if err := r.connect(ctx); err != nil {
		return nil, err
	}
	r.drive(ctx)
	r.finish()
	return r.report(), nil
}

// prepare starts the fakes, then the gateways when spawning.
func (r *run) prepare(ctx context.Context) error {
	var plan spawnPlan
	if r.o.spawn {
		plan = newSpawnPlan(&r.o)
		plan.wechat.fakeAddr, plan.sms.fakeAddr = r.o.wechat.fakeAddr, r.o.sms.fakeAddr
		r.o.wechat, r.o.sms, r.o.accounts, r.o.apiToken = plan.wechat, plan.sms, plan.accounts, plan.apiToken
		if r.o.agents == 0 && r.o.agentShare > 0 {
			r.o.agents = len(plan.accounts)
		}
	}
	// Idle connections are dropped well before the gateway's own idle
	// timeout (2 minutes), so a callback is never sent on a connection
	// the gateway is closing at that moment.
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second}}
	if err := r.startFakes(client); err != nil {
		return err
	}
	if r.o.spawn {
		plan.wechatAPI, plan.twilioAPI = r.wx.url(), r.tw.url()
		fmt.Fprintf(r.out, "loadgen: building and starting %d gateway instance(s)...\n", r.o.instances)
		gw, err := spawnGateways(ctx, &r.o, plan)
		if err != nil {
			return err
		}
		r.gw, r.o.targets = gw, gw.targets
	}
	if r.twAcct.publicURL == "" {
		r.twAcct.publicURL = r.o.targets[0].String()
	}
	return nil
}

// startFakes starts the fake WeChat and Twilio APIs and prints where.
func (r *run) startFakes(client *http.Client) error {
	w := r.o.wechat
	r.wxAcct = &wxAccount{token: w.token, appID: w.appID, mode: w.mode, path: w.path, client: client}
	if w.mode != wxPlain {
		c, err := newWXCipher(w.aesKey, w.appID)
		if err != nil {
			return err
		}
		r.wxAcct.cipher = c
	}
	sm := r.o.sms
	r.twAcct = &twilioAccount{channel: sm.channel, sid: sm.sid, token: sm.token, from: sm.from, publicURL: sm.publicURL, client: client}
	var err error
	if r.wx, err = startFakeWeChat(w.fakeAddr, r.errs); err != nil {
		return fmt.Errorf("fake WeChat API: %w", err)
	}
	if r.tw, err = startFakeTwilio(sm.fakeAddr, r.twAcct, r.errs); err != nil {
		return fmt.Errorf("fake Twilio API: %w", err)
	}
	fmt.Fprintf(r.out, "loadgen: fake WeChat API at %s (wechat.api_url)\n", r.wx.url())
	fmt.Fprintf(r.out, "loadgen: fake Twilio API at %s (twilio.api_url of SMS channel %q)\n", r.tw.url(), sm.channel)
	return nil
}

// connect signs the agents in and makes the subscribers.
func (r *run) connect(ctx context.Context) error {
	for i := range r.o.agents {
		a, err := startAgent(ctx, r.o.targets[i%len(r.o.targets)], r.o.accounts[i], r.errs)
		if err != nil {
			return err
		}
		r.agents = append(r.agents, a)
	}
	rng := rand.New(rand.NewPCG(r.o.seed, 1))
	ph := &accounts{run: rng.IntN(1000)}
	counts := split(r.o.mix, r.o.subscribers)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	var firstErr error
	roles := pickRoles(rng, r.o.subscribers, r.o.faultShare, r.o.agentShare)
	i := 0
	for _, ch := range channelsOrder {
		for n := range counts[ch] {
			role := roles[i%len(roles)]
			base := r.o.targets[i%len(r.o.targets)]
			seed := rng.Uint64()
			idx := i
			i++
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				s, err := r.newSubscriber(ctx, ch, n, idx, role, base, seed, ph)
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s subscriber %d: %w", ch, n+1, err)
				}
				if s != nil {
					r.subs = append(r.subs, s)
				}
			})
		}
	}
	wg.Wait()
	return firstErr
}

// pickRoles gives n subscribers their roles: the shares of fault
// reporters and callers of agents, rounded to whole subscribers, the rest
// askers, in a random order.
func pickRoles(rng *rand.Rand, n int, fault, agent float64) []string {
	roles := make([]string, max(n, 1))
	reporters := int(math.Round(fault * float64(n)))
	callers := int(math.Round(agent * float64(n)))
	for i := range roles {
		switch {
		case i < reporters:
			roles[i] = roleReporter
		case i < reporters+callers:
			roles[i] = roleCaller
		default:
			roles[i] = roleAsker
		}
	}
	rng.Shuffle(len(roles), func(i, j int) { roles[i], roles[j] = roles[j], roles[i] })
	return roles
}

// newSubscriber opens subscriber n of a channel.
func (r *run) newSubscriber(ctx context.Context, ch string, n, idx int, role string, base *url.URL, seed uint64, ph *accounts) (*subscriber, error) {
	tr := &transcript{Channel: ch}
	var l link
	switch ch {
	case chanWebchat:
		tr.Subscriber, tr.Acked = fmt.Sprintf("w%d", n+1), true
		c, err := dialChat(ctx, base, tr.Subscriber, r.errs)
		if err != nil {
			return nil, err
		}
		l = c
	case chanWeChat:
		tr.Subscriber = fmt.Sprintf("oLoadgen%06d%s", n+1, randHex(4))
		w := newWXLink(r.wxAcct, base, tr.Subscriber, r.errs)
		r.wx.register(w)
		l = w
	case chanSMS:
		tr.Subscriber = fmt.Sprintf("+86138%08d", (ph.run*100000+n+1)%100000000)
		m := newSMSLink(r.twAcct, base, tr.Subscriber, r.errs)
		r.tw.register(m)
		l = m
	}
	sc := &script{role: role, channel: ch, rng: rand.New(rand.NewPCG(seed, uint64(idx))), accounts: ph,
		errs: func(kind string) { r.errs.add(ch, kind) }}
	return &subscriber{link: l, script: sc, tr: tr, timing: r.o.timing, errs: r.errs}, nil
}

// drive sends for the duration, paced or closed loop, and waits for the
// messages in flight.
func (r *run) drive(ctx context.Context) {
	runCtx, stop := context.WithTimeout(ctx, r.o.duration)
	defer stop()
	// Messages in flight when the time is up still get their answer.
	stepCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var wg sync.WaitGroup
	r.start = time.Now()
	if r.o.closed {
		for _, s := range r.subs {
			wg.Go(func() {
				for runCtx.Err() == nil && s.step(stepCtx) {
				}
			})
		}
	} else {
		r.paced(runCtx, stepCtx, &wg)
	}
	r.took = time.Since(r.start)
	wg.Wait()
}

// paced gives each slot of the rate to an idle subscriber.
func (r *run) paced(runCtx, stepCtx context.Context, wg *sync.WaitGroup) {
	idle := make(chan *subscriber, len(r.subs))
	for _, s := range rand.Perm(len(r.subs)) {
		idle <- r.subs[s]
	}
	p := newPacer(r.o.rate, time.Now())
	for p.wait(runCtx) >= 0 {
		select {
		case s := <-idle:
			wg.Go(func() {
				if s.step(stepCtx) {
					idle <- s
				}
			})
		default:
			r.missed++
		}
	}
}

// finish collects late replies and stops the agents.
func (r *run) finish() {
	grace := r.o.timing.settle + 2*time.Second
	var wg sync.WaitGroup
	for _, s := range r.subs {
		wg.Go(func() { s.finish(grace) })
	}
	wg.Wait()
	for _, a := range r.agents {
		a.stop()
	}
	for _, s := range r.subs {
		s.tr.Faults = s.script.faults
	}
}

// cleanUp stops what prepare started.
func (r *run) cleanUp() {
	if r.gw != nil {
		r.gw.stop()
	}
	if r.wx != nil {
		r.wx.stop()
	}
	if r.tw != nil {
		r.tw.stop()
	}
}
