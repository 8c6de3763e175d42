package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"hotline/dialog"
)

// Records is the conversation record cache that gateway instances share:
// each record the engines commit, kept in Redis for a while after its last
// change, so a message that reaches any instance starts from the record
// without reading the database. PostgreSQL stays the record of truth: an
// entry may be missing or old (a Put lost while Redis was away), and the
// database's version check at commit catches an old one, after which the
// engine reads the record from the database.
//
// Each entry is one string key named by a digest of the channel and
// address, so no subscriber's address is in a key name; its value holds
// the record's version and the record. A Put never replaces a newer
// version with an older one, so two instances committing one conversation
// in turn leave the newer record whatever order their Puts arrive in.
type Records struct {
	rdb  redis.UniversalClient
	keys Keys
	ttl  time.Duration
	log  *slog.Logger
}

var _ dialog.RecordCache = (*Records)(nil)

// recordTimeout bounds one cache call, so a slow Redis delays a message
// by at most this before the engine reads the database instead.
const recordTimeout = 500 * time.Millisecond

// NewRecords returns the cache keeping each record for ttl after its last
// Put. It panics if ttl is under a second.
func NewRecords(rdb redis.UniversalClient, keys Keys, ttl time.Duration, log *slog.Logger) *Records {
	if ttl < time.Second {
		panic("redisstore: record ttl must be at least a second")
	}
	return &Records{rdb: rdb, keys: keys, ttl: ttl, log: log}
}

// key names a conversation key's entry: a digest, not the address.
func (r *Records) key(convKey string) string {
	sum := sha256.Sum256([]byte(convKey))
	return r.keys.Key("rec", base64.RawURLEncoding.EncodeToString(sum[:18]))
}

// Get returns the cached record, or a miss when there is none, it does
// not decode, or Redis does not answer.
func (r *Records) Get(ctx context.Context, convKey string) (dialog.Conversation, bool) {
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	raw, err := r.rdb.Get(ctx, r.key(convKey)).Result()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			r.log.Debug("record cache unavailable; reading the database", "error", err)
		}
		return dialog.Conversation{}, false
	}
	_, body, ok := strings.Cut(raw, " ")
	if !ok {
		return dialog.Conversation{}, false
	}
	var w wireRecord
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		r.log.Warn("record cache entry does not decode; reading the database")
		return dialog.Conversation{}, false
	}
	return w.conversation(), true
}

// putRecord sets the entry unless it holds a newer version. KEYS[1] is
// the entry; ARGV are the value ("<version> <record>"), its version and
// the time to live in milliseconds.
var putRecord = redis.NewScript(`
local old = redis.call('GET', KEYS[1])
if old then
	local v = tonumber(string.match(old, '^(%d+) '))
	if v and v > tonumber(ARGV[2]) then
		return 0
	end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`)

// Put caches a committed record for the ttl. A failure is logged and
// left: the entry is then missing or old, which costs a database read.
func (r *Records) Put(ctx context.Context, convKey string, c dialog.Conversation) {
	body, err := json.Marshal(wireOf(c))
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	version := strconv.FormatInt(c.Version, 10)
	err = putRecord.Run(ctx, r.rdb, []string{r.key(convKey)},
		version+" "+string(body), version, r.ttl.Milliseconds()).Err()
	if err != nil {
		r.log.Debug("record cache not updated", "conversation", c.ID, "error", err)
	}
}

// Drop deletes the entry. A failure is logged and left: an old entry is
// caught at commit and read around.
func (r *Records) Drop(ctx context.Context, convKey string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := r.rdb.Del(ctx, r.key(convKey)).Err(); err != nil {
		r.log.Debug("record cache entry not dropped", "error", err)
	}
}

// wireRecord is a record as the cache stores it: short names, times in
// Unix milliseconds, to keep an idle conversation's entry small.
type wireRecord struct {
	ID         string            `json:"i"`
	Channel    string            `json:"c"`
	Address    string            `json:"a"`
	Subscriber string            `json:"s,omitempty"`
	State      string            `json:"t"`
	Lang       string            `json:"l"`
	Misses     int               `json:"m,omitempty"`
	Slots      map[string]string `json:"f,omitempty"`
	LastSeq    int64             `json:"q"`
	Version    int64             `json:"v"`
	Created    int64             `json:"ct"`
	Active     int64             `json:"at"`
}

func wireOf(c dialog.Conversation) wireRecord {
	return wireRecord{ID: c.ID, Channel: c.Channel, Address: c.Address, Subscriber: c.SubscriberID,
		State: c.State, Lang: c.Lang, Misses: c.Misses, Slots: c.Slots, LastSeq: c.LastSeq,
		Version: c.Version, Created: c.CreatedAt.UnixMilli(), Active: c.ActiveAt.UnixMilli()}
}

func (w wireRecord) conversation() dialog.Conversation {
	return dialog.Conversation{ID: w.ID, Channel: w.Channel, Address: w.Address,
		SubscriberID: w.Subscriber, State: w.State, Lang: w.Lang, Misses: w.Misses, Slots: w.Slots,
		LastSeq: w.LastSeq, Version: w.Version, CreatedAt: time.UnixMilli(w.Created).UTC(),
		ActiveAt: time.UnixMilli(w.Active).UTC()}
}

// DropAll forgets the records of the keys and says whether Redis took
// the deletion, for a caller that must know (a data-subject deletion).
func (r *Records) DropAll(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	// One DEL per key: the keys hash to different Cluster slots.
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Del(ctx, r.key(k))
		}
		return nil
	})
	return err
}
