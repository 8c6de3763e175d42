package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"hotline/channels"
	"hotline/channels/sms"
	"hotline/channels/webchat"
	"hotline/channels/wechat"
	"hotline/configs"
	"hotline/dialog"
	"hotline/reports"
	"hotline/store/convdb"
	"hotline/store/redisstore"
	"hotline/store/sqldb"
)

// Options are Run's inputs, so tests can run the gateway in-process.
type Options struct {
	// Args are the command-line arguments without the program name.
	Args []string
	// Getenv reads the environment; nil reads nothing.
	Getenv func(string) string
	// Stderr receives the logs.
	Stderr io.Writer
	// Stdout receives a one-shot command's report; nil discards it.
	Stdout io.Writer
	// Reload receives a value for each request to reload the knowledge
	// base (SIGHUP).
	Reload <-chan os.Signal
	// Clock replaces the wall clock in tests; nil means the real one.
	Clock dialog.Clock
	// Ready, if set, is called with the listening address once the gateway
	// serves.
	Ready func(addr string)
}

// Run starts the gateway and serves until ctx ends, then shuts down
// gracefully. It returns an error when the configuration is invalid or a
// component cannot start.
func Run(ctx context.Context, o Options) error {
	cfg, cmd, err := loadConfig(o.Args, o.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, o.Stderr)
	if cmd.wechatMenu {
		return setWeChatMenu(cfg, log)
	}
	if cmd.forget != "" {
		return forgetSubject(ctx, cfg, cmd, o.Stdout, log)
	}
	setGCPercent(cfg.GCPercent, o.Getenv)

	g, err := build(ctx, cfg, o.Clock, o.Getenv, log)
	if err != nil {
		return err
	}
	return g.serve(ctx, o)
}

// command is what the flags ask for besides the settings.
type command struct {
	// wechatMenu sets the WeChat account's menu from the settings and
	// exits instead of serving.
	wechatMenu bool
	// forget names a subject whose records to delete or anonymise,
	// instead of serving; actor is who asks for it, for the audit log.
	forget, actor string
}

// loadConfig applies the flags over the file and the environment.
func loadConfig(args []string, getenv func(string) string) (configs.Config, command, error) {
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	path := fs.String("config", "configs/gateway.yaml", "settings file")
	addr := fs.String("addr", "", "listen address, overrides addr")
	data := fs.String("data", "", "data directory, overrides data_dir")
	var cmd command
	fs.BoolVar(&cmd.wechatMenu, "wechat-menu", false, "set the WeChat account's menu from wechat.buttons and exit")
	fs.StringVar(&cmd.forget, "forget", "", "delete or anonymise everything about one subject ("+forgetUsage+") and exit")
	fs.StringVar(&cmd.actor, "actor", "", "who runs -forget, for the audit log")
	if err := fs.Parse(args); err != nil {
		return configs.Config{}, cmd, fmt.Errorf("flags: %w (usage: gateway [-config FILE] [-addr ADDR] [-data DIR] [-wechat-menu] [-forget SUBJECT -actor NAME])", err)
	}
	if cmd.actor == "" && getenv != nil {
		cmd.actor = getenv("USER")
	}

	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	cfg, err := configs.Load(*path, getenv)
	if err != nil {
		return cfg, cmd, fmt.Errorf("config: %w", err)
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	if *data != "" {
		cfg.DataDir = *data
	}
	if err := cfg.Validate(); err != nil {
		return cfg, cmd, fmt.Errorf("config: %w", err)
	}
	return cfg, cmd, nil
}

func newLogger(c configs.LogConfig, w io.Writer) *slog.Logger {
	if w == nil {
		w = io.Discard
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// gateway is the wired program: every component, built in order.
type gateway struct {
	cfg           configs.Config
	log           *slog.Logger
	db            *sqldb.DB // tickets, conversations and the rest
	store         *convdb.Store
	tickets       *ticketDesk
	agents        *agentDesk // nil when the desk is off
	knowledge     *dialog.Knowledge
	engine        *dialog.Engine
	outbox        *dialog.Outbox
	sweeper       *dialog.Sweeper
	webchat       *webchat.Channel
	wechat        *wechat.Channel // nil unless configured
	sms           []*sms.Channel
	redis         redis.UniversalClient // nil unless configured
	keys          redisstore.Keys       // the names of the gateway's Redis keys
	fanout        *redisstore.Fanout    // web chat messages for other instances' sockets; nil without Redis
	consoleFanout *redisstore.Fanout    // console frames for other instances' consoles; nil without Redis
	health        *health
	metrics       *metrics // the Prometheus metrics at /metrics
	reports       *reports.API
	reportDays    *reports.Days
	addrs         *clientAddrs // the client's address of each request
	limits        *addrLimits  // per client address; nil when off
}

// conversationCache is how many conversation records the engine keeps in
// memory in the embedded mode, where it is the only writer.
const conversationCache = 100_000

// cacheSize is the engine's in-memory conversation cache: none on
// PostgreSQL, which other instances may write to.
func (g *gateway) cacheSize() int {
	if g.db.Dialect() == sqldb.SQLite {
		return conversationCache
	}
	return 0
}

// records is the conversation record cache the instances share: in Redis
// when the conversations are in PostgreSQL and Redis is configured; nil
// otherwise (the embedded mode caches in memory, and PostgreSQL without
// Redis reads every record).
func (g *gateway) records() dialog.RecordCache {
	if g.redis == nil || g.db.Dialect() != sqldb.Postgres {
		return nil
	}
	return redisstore.NewRecords(g.redis, g.keys, g.cfg.Redis.RecordTTL.D(),
		g.log.With("component", "records"))
}

// build wires the components explicitly: databases, tickets, knowledge,
// texts, outbox, engine, channels.
func build(ctx context.Context, cfg configs.Config, clock dialog.Clock, getenv func(string) string,
	log *slog.Logger) (*gateway, error) {
	if clock == nil {
		clock = dialog.SystemClock{}
	}
	g := &gateway{cfg: cfg, log: log, metrics: newMetrics(cfg, log.With("component", "metrics")),
		addrs: &clientAddrs{trusted: cfg.HTTP.Prefixes(), log: log.With("component", "http")},
		// Real time, not the clock tests move: an allowance refills as
		// time passes for the client.
		limits: newAddrLimits(cfg.HTTP.RatePerAddress, cfg.HTTP.BurstPerAddress, cfg.HTTP.RefusalsPerAddress, time.Now)}
	if err := g.openStores(ctx); err != nil {
		return nil, err
	}
	if err := g.openRedis(ctx); err != nil {
		_ = g.closeStores()
		return nil, err
	}
	err := g.buildTickets(clock)
	if err == nil && cfg.Agent.Enabled {
		g.agents, err = buildAgents(ctx, cfg, g.db, g.deskStore(), clock, getenv, g.log)
	}
	if err == nil {
		err = g.buildDialog(cfg, clock)
	}
	if err != nil {
		_ = g.closeStores()
		return nil, err
	}
	g.health = &health{stores: []pinger{g.db, g.store}}
	if g.redis != nil {
		g.health.stores = append(g.health.stores, redisPinger{g.redis})
	}
	g.metrics.watch(g, clock.Now)
	g.buildReports(clock.Now)
	return g, nil
}

// openStores opens the database named by database.url, or the embedded
// SQLite file, and the conversation store on it: tickets, conversations
// and transcripts are in the same database.
func (g *gateway) openStores(ctx context.Context) error {
	db, err := sqldb.Open(ctx, sqldb.Options{
		DSN: g.cfg.Database.URL.Reveal(), DataDir: g.cfg.DataDir, Synchronous: g.cfg.Store.Synchronous,
	})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	g.db = db
	if g.store, err = convdb.New(ctx, db); err != nil {
		_ = db.Close()
		return fmt.Errorf("open conversation store: %w", err)
	}
	return nil
}

// openRedis connects to the shared Redis when redis.url is set.
func (g *gateway) openRedis(ctx context.Context) error {
	g.keys = redisstore.Keys{Prefix: g.cfg.Redis.Prefix}
	if g.keys.Prefix == "" {
		g.keys.Prefix = redisstore.DefaultPrefix
	}
	if !g.cfg.Redis.URL.IsSet() {
		return nil
	}
	rdb, err := redisstore.Open(ctx, g.cfg.Redis.URL.Reveal())
	if err != nil {
		return fmt.Errorf("redis.url: %w", err)
	}
	g.redis = rdb
	return nil
}

// closeStores closes Redis, the conversation store, then the database.
func (g *gateway) closeStores() error {
	var errs []error
	if g.redis != nil {
		errs = append(errs, g.redis.Close())
	}
	if g.store != nil {
		errs = append(errs, g.store.Close())
	}
	if g.db != nil {
		errs = append(errs, g.db.Close())
	}
	return errors.Join(errs...)
}

func (g *gateway) buildTickets(clock dialog.Clock) error {
	desk, err := buildTickets(g.cfg, g.db, clock, g.log)
	if err != nil {
		return err
	}
	g.tickets = desk
	return nil
}

func (g *gateway) buildDialog(cfg configs.Config, clock dialog.Clock) error {
	know, err := dialog.OpenKnowledge(dialog.KnowledgeFiles{
		KB:      cfg.Resolve(cfg.KB.Path),
		Intents: cfg.Resolve(cfg.Dialog.IntentsPath),
		Flows:   resolveOptional(cfg, cfg.Dialog.FlowsPath),
	}, g.log.With("component", "knowledge"))
	if err != nil {
		return err
	}
	texts, err := dialog.LoadTexts(cfg.Resolve(cfg.Dialog.MessagesPath))
	if err != nil {
		return err
	}
	g.knowledge = know
	loc, _ := time.LoadLocation(cfg.Tickets.Timezone) // validated with the config

	// The outbox needs the channels and the web chat needs the engine, so
	// the channel is made first with a receiver that the engine fills in.
	recv := &lateReceiver{}
	wcc := webchatConfig(cfg.Webchat, recv, g.store, texts, g.log.With("component", "webchat"))
	if g.redis != nil {
		g.fanout = redisstore.NewFanout(g.redis, g.keys.Key("webchat", "deliver"), g.log.With("component", "relay"))
		wcc.Relay = g.fanout
	}
	g.webchat = webchat.New(wcc)
	chans := []channels.Channel{g.webchat}
	if cfg.WeChat.Enabled() {
		wc := wechatConfig(cfg.WeChat, recv, clock, g.log)
		wc.Redis, wc.RedisPrefix = g.redis, g.keys.Prefix
		var err error
		if g.wechat, err = wechat.New(wc); err != nil {
			return err
		}
		chans = append(chans, g.wechat)
	}
	var shared sms.SharedCounter
	if g.redis != nil {
		shared = redisstore.NewCounter(g.redis, g.keys)
	}
	if g.sms, err = smsChannels(cfg, recv, g.db, shared, smsState{g.redis, g.keys}, clock, g.log); err != nil {
		return err
	}
	for _, c := range g.sms {
		chans = append(chans, c)
	}
	store := g.metrics.store(g.store)
	g.outbox = dialog.NewOutbox(store, g.metrics.wrapChannels(chans), clock, g.log.With("component", "outbox"))
	ec := dialog.EngineConfig{
		Store: store, Knowledge: know, Texts: texts, Clock: clock,
		Log: g.log.With("component", "dialog"), Notifier: g.outbox,
		CacheSize: g.cacheSize(), Records: g.records(), Tickets: g.tickets.svc, Location: loc, Brief: map[string]bool{},
		AnswersPerMinute: cfg.Dialog.AnswersPerMinute,
	}
	for _, c := range g.sms {
		ec.Brief[c.Name()] = true
	}
	var binder *sms.Binder
	if len(g.sms) > 0 {
		// Codes go out on the first SMS channel configured.
		binder = sms.NewBinder(g.sms[0], sqldb.NewSubscribers(g.db))
		ec.Phones = phoneBinder{b: binder}
	}
	if g.agents != nil {
		ec.Agents, ec.Watcher, ec.AgentGroups = g.agents.forEngine(), g.agents.watcher, cfg.Agent.Route
	}
	g.engine = dialog.NewEngine(ec)
	recv.set(g.metrics.receiver(g.engine))
	g.sweeper = dialog.NewSweeper(g.engine, cfg.Dialog.IdleTimeout.D(), cfg.Store.Retention.D())
	if g.agents != nil {
		if err := g.agents.attach(cfg, g.engine, g.tickets.svc, clock, g.sharedConsole()); err != nil {
			return err
		}
	}
	g.outbox.OnFailure(g.failureHook(binder))
	return g.tickets.attach(g.engine)
}

// resolveOptional resolves a settings path that may be left empty.
func resolveOptional(cfg configs.Config, path string) string {
	if path == "" {
		return ""
	}
	return cfg.Resolve(path)
}

func webchatConfig(w configs.WebchatConfig, recv channels.Receiver, hist webchat.History,
	texts webchat.Texts, log *slog.Logger) webchat.Config {
	return webchat.Config{
		Receiver: recv, History: hist, Texts: texts, Log: log,
		AllowedOrigins: w.AllowedOrigins,
		ReadLimit:      int64(w.ReadLimit),
		MaxTextRunes:   w.MaxTextRunes,
		RatePerSecond:  w.RatePerSecond,
		RateBurst:      w.RateBurst,
		PingInterval:   w.PingInterval.D(),
		WriteTimeout:   w.WriteTimeout.D(),
		HistoryLimit:   w.HistoryLimit,
		MaxConnsPerIP:  w.MaxConnectionsPerIP,
	}
}

func wechatConfig(w configs.WeChatConfig, recv channels.Receiver, clock dialog.Clock,
	log *slog.Logger) wechat.Config {
	return wechat.Config{
		AppID: w.AppID, Secret: w.Secret.Reveal(), Token: w.Token.Reveal(), AESKey: w.AESKey.Reveal(),
		APIURL: w.APIURL, StableToken: w.StableToken, Receiver: recv, Menu: w.Menu,
		Freshness: w.Freshness.D(), ReplyBudget: w.ReplyBudget.D(), SendTimeout: w.SendTimeout.D(),
		Now: clock.Now, Log: log.With("component", "wechat"),
	}
}

// lateReceiver forwards to a receiver set after construction.
type lateReceiver struct {
	mu sync.RWMutex
	r  channels.Receiver
}

func (l *lateReceiver) set(r channels.Receiver) {
	l.mu.Lock()
	l.r = r
	l.mu.Unlock()
}

// Receive forwards to the engine.
func (l *lateReceiver) Receive(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	l.mu.RLock()
	r := l.r
	l.mu.RUnlock()
	if r == nil {
		return channels.Receipt{}, errors.New("receiver not ready")
	}
	return r.Receive(ctx, in)
}

// A request's headers must arrive within readHeaderTimeout and the whole
// request, body included, within readTimeout, so a client sending slowly
// cannot hold a connection. Bodies are small (every handler bounds its
// own); websockets are not affected, as the server clears the deadline
// when a handler takes the connection over.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
)

// serve listens, runs the background loops, and on ctx's end shuts the
// components down in reverse order within the shutdown timeout.
func (g *gateway) serve(ctx context.Context, o Options) error {
	ln, err := net.Listen("tcp", g.cfg.Addr)
	if err != nil {
		_ = g.closeStores()
		return fmt.Errorf("listen %s: %w", g.cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           g.routes(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(g.log.Handler(), slog.LevelWarn),
	}

	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	g.startBackground(bg, &wg, o.Reload)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	g.log.Info("gateway serving", "addr", ln.Addr().String(), "data_dir", g.cfg.DataDir)
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}

	select {
	case <-ctx.Done():
	case err = <-served:
		g.log.Error("http server stopped", "error", err)
	}
	return errors.Join(err, g.shutdown(srv, stopBG, &wg))
}

func (g *gateway) startBackground(ctx context.Context, wg *sync.WaitGroup, reload <-chan os.Signal) {
	g.outbox.ScanWith(g.alone("outbox-scan"))
	wg.Go(func() { g.outbox.Run(ctx) })
	wg.Go(func() {
		g.alone("sweeper")(ctx, func(ctx context.Context) { g.sweeper.Run(ctx, g.cfg.Dialog.SweepInterval.D()) })
	})
	if g.fanout != nil {
		// Each time the relay's subscription is made, open sockets read
		// from their transcripts what was relayed while it was down. At
		// the first one there is usually no socket yet, and nothing to do.
		catchUp := func() { wg.Go(func() { g.webchat.CatchUp(ctx) }) }
		wg.Go(func() { g.fanout.ListenWith(ctx, g.webchat.Deliver, catchUp) })
	}
	wg.Go(func() { g.knowledge.Watch(ctx, g.cfg.KB.WatchInterval.D()) })
	wg.Go(func() { g.reloadOnSignal(ctx, reload) })
	g.tickets.start(ctx, wg, g.alone)
	if g.agents != nil {
		g.agents.start(ctx, wg, g.alone, g.consoleFanout)
	}
	g.startReports(ctx, wg)
}

func (g *gateway) reloadOnSignal(ctx context.Context, reload <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-reload:
			if err := g.knowledge.Reload(); err != nil {
				g.log.Error("knowledge base reload rejected; keeping the previous version",
					"error", err)
			}
		}
	}
}

// shutdown stops accepting, closes websockets with a reconnect hint, stops
// the background loops and flushes the store.
func (g *gateway) shutdown(srv *http.Server, stopBG context.CancelFunc, wg *sync.WaitGroup) error {
	g.log.Info("gateway shutting down")
	g.health.stopping.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), g.cfg.ShutdownTimeout.D())
	defer cancel()

	errs := []error{srv.Shutdown(ctx), g.webchat.Shutdown(ctx)}
	if g.agents != nil {
		g.agents.console.Shutdown()
	}
	stopBG()
	wg.Wait()
	for _, c := range g.sms {
		c.Flush() // the provider ids of what the outbox sent, before the store closes
	}
	errs = append(errs, g.closeStores())
	err := errors.Join(errs...)
	if err != nil {
		g.log.Warn("shutdown finished with errors", "error", err)
	} else {
		g.log.Info("gateway stopped")
	}
	return err
}

// setGCPercent applies the settings' collector target unless the
// operator set GOGC, which the runtime has already applied.
func setGCPercent(percent int, getenv func(string) string) {
	if percent == 0 || os.Getenv("GOGC") != "" || (getenv != nil && getenv("GOGC") != "") {
		return
	}
	debug.SetGCPercent(percent)
}

// setWeChatMenu sets the WeChat account's menu from the settings.
func setWeChatMenu(cfg configs.Config, log *slog.Logger) error {
	if !cfg.WeChat.Enabled() {
		return errors.New("wechat-menu: wechat.appid is not set")
	}
	ch, err := wechat.New(wechatConfig(cfg.WeChat, refuseAll{}, dialog.SystemClock{}, log))
	if err != nil {
		return fmt.Errorf("wechat-menu: %w", err)
	}
	items := make([]wechat.MenuItem, 0, len(cfg.WeChat.Buttons))
	for _, b := range cfg.WeChat.Buttons {
		items = append(items, wechat.MenuItem{Name: b.Name, Key: b.Key})
	}
	if err := ch.SetMenu(items); err != nil {
		return err
	}
	log.Info("wechat menu set", "items", len(items))
	return nil
}

// refuseAll is the receiver of a gateway that does not serve.
type refuseAll struct{}

// Receive refuses every message.
func (refuseAll) Receive(context.Context, channels.Inbound) (channels.Receipt, error) {
	return channels.Receipt{}, errors.New("not serving")
}
