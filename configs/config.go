package configs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is every setting of the gateway. The yaml tags are also the keys
// named in validation errors and, upper-cased and joined with "_" behind
// HOTLINE_, the names of the environment overrides (webchat.allowed_origins
// is HOTLINE_WEBCHAT_ALLOWED_ORIGINS).
type Config struct {
	// Addr is the listen address of the HTTP server.
	Addr string `yaml:"addr"`
	// DataDir holds the embedded database.
	DataDir string `yaml:"data_dir"`
	// Log sets the log level and format.
	Log LogConfig `yaml:"log"`
	// HTTP sets the trusted proxies and the limits per client address.
	HTTP HTTPConfig `yaml:"http"`
	// KB points at the knowledge base and sets how it reloads.
	KB KBConfig `yaml:"kb"`
	// Dialog points at the intent phrases and message texts and sets timers.
	Dialog DialogConfig `yaml:"dialog"`
	// Webchat configures the web chat channel.
	Webchat WebchatConfig `yaml:"webchat"`
	// Store configures the embedded store.
	Store StoreConfig `yaml:"store"`
	// Database switches storage to PostgreSQL.
	Database DatabaseConfig `yaml:"database"`
	// Tickets sets the ticket deadlines and the business calendar.
	Tickets TicketsConfig `yaml:"tickets"`
	// API configures the back office's REST API.
	API APIConfig `yaml:"api"`
	// CRM configures forwarding tickets to the operator's CRM.
	CRM CRMConfig `yaml:"crm"`
	// Agent configures the agent desk and its console.
	Agent AgentConfig `yaml:"agent"`
	// WeChat configures the WeChat Official Account channel.
	WeChat WeChatConfig `yaml:"wechat"`
	// SMS configures the SMS channels, one per provider account.
	SMS []SMSChannelConfig `yaml:"sms"`
	// Redis is shared by gateway instances.
	Redis RedisConfig `yaml:"redis"`
	// Metrics protects the Prometheus endpoint.
	Metrics MetricsConfig `yaml:"metrics"`
	// ShutdownTimeout bounds a graceful shutdown.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	// GCPercent is the Go garbage collector's target (GOGC) unless the
	// GOGC environment variable is set; 0 keeps Go's default of 100.
	GCPercent int `yaml:"gc_percent"`

	// dir is the folder of the loaded file; relative paths resolve from it.
	dir string
}

// LogConfig sets log/slog's handler.
type LogConfig struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text (development) or json (production).
	Format string `yaml:"format"`
}

// KBConfig locates the knowledge base.
type KBConfig struct {
	// Path is the knowledge base file, relative to the config file.
	Path string `yaml:"path"`
	// WatchInterval is how often the file is checked for changes; 0 turns
	// watching off (SIGHUP still reloads).
	WatchInterval Duration `yaml:"watch_interval"`
}

// DialogConfig holds the conversation engine's files and timers.
type DialogConfig struct {
	// IntentsPath is the intent router's phrase file.
	IntentsPath string `yaml:"intents_path"`
	// MessagesPath is the file of the bot's own texts in each language.
	MessagesPath string `yaml:"messages_path"`
	// FlowsPath is the file of fault-report and complaint forms.
	FlowsPath string `yaml:"flows_path"`
	// IdleTimeout closes a conversation that has been quiet this long.
	IdleTimeout Duration `yaml:"idle_timeout"`
	// SweepInterval is how often idle conversations and expired
	// transcripts are looked for.
	SweepInterval Duration `yaml:"sweep_interval"`
	// AnswersPerMinute is how many of one conversation's messages in a
	// minute the bot answers, on every channel; past it they are kept
	// unanswered and the subscriber is told once. 0 means no limit.
	AnswersPerMinute int `yaml:"answers_per_minute"`
}

// WebchatConfig configures the web chat websocket.
type WebchatConfig struct {
	// AllowedOrigins lists the Origin values allowed to open the socket,
	// such as https://www.example.com; the page's own origin is always
	// allowed. "*" allows any origin.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// ReadLimit is the largest frame a client may send, in bytes.
	ReadLimit int `yaml:"read_limit"`
	// MaxTextRunes is the longest message text accepted, in characters.
	MaxTextRunes int `yaml:"max_text_runes"`
	// RatePerSecond and RateBurst limit the messages of one connection.
	RatePerSecond float64 `yaml:"rate_per_second"`
	// RateBurst is the number of messages allowed at once.
	RateBurst int `yaml:"rate_burst"`
	// PingInterval is how often the server pings an idle client.
	PingInterval Duration `yaml:"ping_interval"`
	// WriteTimeout bounds one write to a client.
	WriteTimeout Duration `yaml:"write_timeout"`
	// HistoryLimit caps how many earlier messages a resume replays.
	HistoryLimit int `yaml:"history_limit"`
	// MaxConnectionsPerIP caps the sockets one client address may hold
	// open on an instance; 0 means no cap, as behind a proxy that hides
	// the clients' addresses.
	MaxConnectionsPerIP int `yaml:"max_connections_per_ip"`
}

// StoreConfig configures the embedded SQLite store.
type StoreConfig struct {
	// Retention is how long transcripts are kept.
	Retention Duration `yaml:"retention"`
	// Synchronous is SQLite's durability level: full (survives power
	// loss) or normal (survives a process crash).
	Synchronous string `yaml:"synchronous"`
}

// Default returns the settings used when nothing overrides them.
func Default() Config {
	return Config{
		Addr:    ":8080",
		DataDir: "./data",
		Log:     LogConfig{Level: "info", Format: "text"},
		HTTP:    HTTPConfig{RatePerAddress: 100, BurstPerAddress: 200, RefusalsPerAddress: 30},
		KB:      KBConfig{Path: "faq.yaml", WatchInterval: Duration(2 * time.Second)},
		Dialog: DialogConfig{
			IntentsPath:      "intents.yaml",
			MessagesPath:     "messages.yaml",
			FlowsPath:        "flows.yaml",
			IdleTimeout:      Duration(30 * time.Minute),
			SweepInterval:    Duration(time.Minute),
			AnswersPerMinute: 20,
		},
		Webchat: WebchatConfig{
			ReadLimit:     16 << 10,
			MaxTextRunes:  1000,
			RatePerSecond: 2,
			RateBurst:     10,
			PingInterval:  Duration(25 * time.Second),
			WriteTimeout:  Duration(10 * time.Second),
			HistoryLimit:  500,
		},
		API:     APIConfig{RatePerSecond: 50, RateBurst: 100},
		Store:   StoreConfig{Retention: Duration(180 * 24 * time.Hour), Synchronous: "full"},
		Tickets: defaultTickets(),
		Agent:   defaultAgent(),
		WeChat:  defaultWeChat(),
		Redis: RedisConfig{Prefix: "hotline", JobLease: Duration(15 * time.Second),
			RecordTTL: Duration(30 * time.Minute)},
		CRM:             CRMConfig{Timeout: Duration(10 * time.Second), Retries: 3, MaxWait: Duration(5 * time.Minute)},
		ShutdownTimeout: Duration(10 * time.Second),
		GCPercent:       400,
	}
}

// Load reads the YAML file at path over the defaults, then applies the
// environment (getenv, usually os.Getenv) and validates the result. An
// empty path skips the file. Errors name the offending key.
func Load(path string, getenv func(string) string) (Config, error) {
	c := Default()
	if path != "" {
		if err := c.readFile(path); err != nil {
			return c, err
		}
	}

	if err := applyEnv(&c, getenv); err != nil {
		return c, err
	}
	c.API.addEnvToken(getenv)
	c.addTwilioEnv(getenv)
	return c, c.Validate()
}

func (c *Config) readFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// An empty file decodes to io.EOF: it means no settings, not an error.
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config %s: %w", path, err)
	}

	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	c.dir = abs
	return nil
}

// Resolve returns p made absolute against the folder of the config file
// (or the working directory when no file was read).
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if c.dir == "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		return abs
	}
	return filepath.Join(c.dir, p)
}
