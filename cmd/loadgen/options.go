package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// options are loadgen's flags.
type options struct {
	targets     []*url.URL
	mix         map[string]int
	subscribers int
	rate        float64
	closed      bool
	duration    time.Duration
	faultShare  float64
	agentShare  float64
	timing      timing
	seed        uint64

	wechat wxOptions
	sms    smsOptions

	agents   int
	accounts []account
	apiToken string

	jsonOut     string
	spawn       bool
	spawnShared bool
	instances   int
	gatewayLogs string
}

// wxOptions describe the WeChat account the gateway serves.
type wxOptions struct {
	token, aesKey, mode, appID, secret, path, fakeAddr string
}

// smsOptions describe the gateway's Twilio channel.
type smsOptions struct {
	channel, sid, token, from, publicURL, fakeAddr string
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// parseOptions reads the command line.
func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	var targets listFlag
	var mix, accounts string
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&targets, "target", "gateway base URL on this machine, repeatable or comma-separated (round-robin)")
	fs.StringVar(&mix, "mix", "webchat=60,wechat=25,sms=15", "share of subscribers per channel")
	fs.IntVar(&o.subscribers, "subscribers", 100, "simulated subscribers")
	fs.Float64Var(&o.rate, "rate", 20, "messages per second in total (open loop)")
	fs.BoolVar(&o.closed, "closed", false, "closed loop: every subscriber sends its next message as soon as it is answered")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long to send")
	fs.Float64Var(&o.faultShare, "fault-share", 0.1, "share of subscribers who report a fault through the form")
	fs.Float64Var(&o.agentShare, "agent-share", 0.05, "share of subscribers who ask for a person (转人工)")
	fs.DurationVar(&o.timing.timeout, "timeout", 10*time.Second, "longest wait for a first answer")
	fs.DurationVar(&o.timing.agentTimeout, "agent-timeout", 60*time.Second, "longest wait for an agent's reply and the rating question")
	fs.DurationVar(&o.timing.settle, "settle", 300*time.Millisecond, "quiet time after an answer before the next message")
	fs.DurationVar(&o.timing.think, "think", 4*time.Second, "least time between one subscriber's messages (the gateway's dialog.answers_per_minute is 20)")
	fs.Uint64Var(&o.seed, "seed", uint64(time.Now().UnixNano()), "random seed of the scripts")

	fs.StringVar(&o.wechat.token, "wechat-token", "", "the account's token (wechat.token)")
	fs.StringVar(&o.wechat.aesKey, "wechat-aes-key", "", "the EncodingAESKey (wechat.aes_key), for compat and safe")
	fs.StringVar(&o.wechat.mode, "wechat-mode", wxPlain, "callback mode: plain, compat or safe")
	fs.StringVar(&o.wechat.appID, "wechat-appid", "", "the account's AppID (wechat.appid)")
	fs.StringVar(&o.wechat.path, "wechat-path", "/wechat", "the callback path (wechat.path)")
	fs.StringVar(&o.wechat.fakeAddr, "fake-wechat-addr", "127.0.0.1:0", "where the fake WeChat API listens (point wechat.api_url here)")

	fs.StringVar(&o.sms.channel, "sms-channel", "twilio", "the Twilio SMS channel's name (/sms/<name>/inbound)")
	fs.StringVar(&o.sms.sid, "twilio-sid", "", "the channel's twilio.account_sid")
	fs.StringVar(&o.sms.token, "twilio-token", "", "the channel's twilio.auth_token")
	fs.StringVar(&o.sms.from, "twilio-from", "", "the channel's twilio.from")
	fs.StringVar(&o.sms.publicURL, "twilio-public-url", "", "the channel's twilio.public_url, as signatures are computed (default: the target)")
	fs.StringVar(&o.sms.fakeAddr, "fake-twilio-addr", "127.0.0.1:0", "where the fake Twilio API listens (point twilio.api_url here)")

	fs.IntVar(&o.agents, "agents", 0, "simulated agents (need -agent-accounts, or -spawn)")
	fs.StringVar(&accounts, "agent-accounts", "", "agent sign-ins: name:password,...")
	fs.StringVar(&o.apiToken, "api-token", "", "REST API token, to check the fault reports' tickets")

	fs.StringVar(&o.jsonOut, "json", "", "also write the report as JSON to this file (- for stdout instead of text)")
	fs.BoolVar(&o.spawn, "spawn", false, "build and start the gateway here, embedded store, pointed at the fakes")
	fs.BoolVar(&o.spawnShared, "spawn-shared", false, "like -spawn, on PostgreSQL and Redis at 127.0.0.1 (fresh schema and prefix)")
	fs.IntVar(&o.instances, "instances", 1, "gateway instances to spawn (several need -spawn-shared)")
	fs.StringVar(&o.gatewayLogs, "gateway-logs", "", "with -spawn, write the gateways' logs to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if o.targets, err = parseTargets(targets); err != nil {
		return o, err
	}
	if o.mix, err = parseMix(mix); err != nil {
		return o, err
	}
	if o.accounts, err = parseAccounts(accounts); err != nil {
		return o, err
	}
	if o.spawnShared {
		o.spawn = true
	}
	return o, o.validate()
}

// validate checks the flags fit together.
func (o *options) validate() error {
	switch {
	case o.spawn && len(o.targets) > 0:
		return errors.New("-spawn starts its own gateway: leave out -target")
	case !o.spawn && len(o.targets) == 0:
		return errors.New("give -target http://127.0.0.1:PORT (the gateway on this machine) or -spawn")
	case o.instances < 1 || (o.instances > 1 && !o.spawnShared):
		return errors.New("-instances above 1 needs -spawn-shared (instances share PostgreSQL and Redis)")
	case o.subscribers < 1:
		return errors.New("-subscribers must be at least 1")
	case !o.closed && o.rate <= 0:
		return errors.New("-rate must be above 0 (or use -closed)")
	case o.faultShare < 0 || o.agentShare < 0 || o.faultShare+o.agentShare > 1:
		return errors.New("-fault-share and -agent-share are shares from 0 to 1 that add up to at most 1")
	case o.wechat.mode != wxPlain && o.wechat.mode != wxCompat && o.wechat.mode != wxSafe:
		return fmt.Errorf("-wechat-mode %q: want plain, compat or safe", o.wechat.mode)
	case !o.spawn && o.agents > len(o.accounts):
		return fmt.Errorf("-agents %d needs as many -agent-accounts (have %d)", o.agents, len(o.accounts))
	}
	for _, a := range []string{o.wechat.fakeAddr, o.sms.fakeAddr} {
		if host, _, err := net.SplitHostPort(a); err != nil || !isLoopbackHost(host) {
			return fmt.Errorf("fake API address %q: want a loopback host:port", a)
		}
	}
	return nil
}

// channelsOrder is the order channels are reported in.
var channelsOrder = []string{chanWebchat, chanWeChat, chanSMS}

// parseMix reads webchat=60,wechat=25,sms=15 (weights, any scale).
func parseMix(s string) (map[string]int, error) {
	out := map[string]int{}
	total := 0
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		name, w, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(w)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("-mix %q: want channel=weight,...", part)
		}
		if name != chanWebchat && name != chanWeChat && name != chanSMS {
			return nil, fmt.Errorf("-mix: unknown channel %q (webchat, wechat, sms)", name)
		}
		out[name] = n
		total += n
	}
	if total == 0 {
		return nil, errors.New("-mix: no channel has a weight")
	}
	return out, nil
}

// split shares n subscribers out by the mix's weights (largest
// remainders), in channelsOrder.
func split(mix map[string]int, n int) map[string]int {
	total := 0
	for _, w := range mix {
		total += w
	}
	out := map[string]int{}
	type rem struct {
		ch string
		r  int
	}
	var rems []rem
	given := 0
	for _, ch := range channelsOrder {
		out[ch] = n * mix[ch] / total
		given += out[ch]
		if mix[ch] > 0 {
			rems = append(rems, rem{ch, n * mix[ch] % total})
		}
	}
	sort.SliceStable(rems, func(i, j int) bool { return rems[i].r > rems[j].r })
	for i := 0; given < n; i++ {
		out[rems[i%len(rems)].ch]++
		given++
	}
	return out
}
