package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"hotline/handoff"
)

// deskTag is the hash tag every desk key carries.
const deskTag = "desk"

// commitScript applies a handoff.Batch. KEYS are the entries, their
// versions, the agents, their versions, the statistics and their version.
// ARGV[1..3] count the deletes, puts and agents, ARGV[4] is 1 when the
// statistics are written; then come four arguments per record in that
// order (id, version it must be at, version it is stored at, JSON; the
// last two empty for a delete) and, for the statistics, the same three
// without the id. A missing record is at version "0".
//
// Every version is checked before anything is written, so a conflict
// leaves the desk as it was. The reply is an empty array when the batch
// was applied, or {kind, id, version} naming the first stale record.
var commitScript = redis.NewScript(`
local sections = {
	{kind = 'conversation', data = KEYS[1], versions = KEYS[2], n = tonumber(ARGV[1]), delete = true},
	{kind = 'conversation', data = KEYS[1], versions = KEYS[2], n = tonumber(ARGV[2])},
	{kind = 'agent', data = KEYS[3], versions = KEYS[4], n = tonumber(ARGV[3])},
}
local withStats = ARGV[4] == '1'
local statsAt = 5 + 4 * (sections[1].n + sections[2].n + sections[3].n)

local function each(fn)
	local i = 5
	for _, s in ipairs(sections) do
		for _ = 1, s.n do
			local r = fn(s, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
			if r then
				return r
			end
			i = i + 4
		end
	end
end

local conflict = each(function(s, id, expected)
	if (redis.call('HGET', s.versions, id) or '0') ~= expected then
		return {s.kind, id, expected}
	end
end)
if conflict then
	return conflict
end
if withStats and (redis.call('GET', KEYS[6]) or '0') ~= ARGV[statsAt] then
	return {'stats', '', ARGV[statsAt]}
end

each(function(s, id, _, version, data)
	if s.delete then
		redis.call('HDEL', s.data, id)
		redis.call('HDEL', s.versions, id)
	else
		redis.call('HSET', s.data, id, data)
		redis.call('HSET', s.versions, id, version)
	end
end)
if withStats then
	redis.call('SET', KEYS[5], ARGV[statsAt + 2])
	redis.call('SET', KEYS[6], ARGV[statsAt + 1])
end
return {}
`)

// DeskStore is a handoff.Store in Redis, so every gateway instance on the
// same keys sees one desk: the same queue, agents and statistics.
//
// The whole desk lives in a few keys: a hash of the entries as JSON by
// conversation id with a hash of their versions beside it, the same pair
// for the agents, and the statistics with their version. Keeping the
// versions apart lets the commit script compare them without decoding
// JSON. All keys carry one hash tag, so on a Redis Cluster they sit in one
// slot and a single script can check a whole batch and write it
// atomically. Queue and Agents read a whole hash, which suits the few
// hundred conversations and agents waiting and working at once; closed
// conversations leave the desk.
//
// A DeskStore may be used from several goroutines.
type DeskStore struct {
	rdb  redis.UniversalClient
	keys []string
}

var _ handoff.Store = (*DeskStore)(nil)

// Positions of the desk keys in DeskStore.keys and in the commit script.
const (
	entriesKey = iota
	entryVersionsKey
	agentsKey
	agentVersionsKey
	statsKey
	statsVersionKey
)

// NewDeskStore returns the desk kept under keys, all of them tagged
// "desk" (see Keys.Tagged).
func NewDeskStore(rdb redis.UniversalClient, keys Keys) *DeskStore {
	return &DeskStore{rdb: rdb, keys: []string{
		entriesKey:       keys.Tagged(deskTag, "entries"),
		entryVersionsKey: keys.Tagged(deskTag, "entries", "v"),
		agentsKey:        keys.Tagged(deskTag, "agents"),
		agentVersionsKey: keys.Tagged(deskTag, "agents", "v"),
		statsKey:         keys.Tagged(deskTag, "stats"),
		statsVersionKey:  keys.Tagged(deskTag, "stats", "v"),
	}}
}

// Entry returns the entry of a conversation, or an error wrapping
// handoff.ErrNotFound.
func (d *DeskStore) Entry(ctx context.Context, conversationID string) (handoff.Entry, error) {
	var e handoff.Entry
	err := d.field(ctx, entriesKey, conversationID, &e)
	if errors.Is(err, redis.Nil) {
		return handoff.Entry{}, fmt.Errorf("redisstore: conversation %s: %w", conversationID, handoff.ErrNotFound)
	}
	return e, err
}

// Queue returns the waiting entries in queue order (see handoff.Before).
func (d *DeskStore) Queue(ctx context.Context) ([]handoff.Entry, error) {
	all, err := values[handoff.Entry](ctx, d, entriesKey)
	if err != nil {
		return nil, err
	}
	queue := slices.DeleteFunc(all, func(e handoff.Entry) bool {
		return e.Status != handoff.StatusWaiting
	})
	handoff.SortQueue(queue)
	return queue, nil
}

// Agent returns an agent, or an error wrapping handoff.ErrNotFound.
func (d *DeskStore) Agent(ctx context.Context, id string) (handoff.Agent, error) {
	var a handoff.Agent
	err := d.field(ctx, agentsKey, id, &a)
	if errors.Is(err, redis.Nil) {
		return handoff.Agent{}, fmt.Errorf("redisstore: agent %s: %w", id, handoff.ErrNotFound)
	}
	return a, err
}

// Agents returns all agents ordered by id.
func (d *DeskStore) Agents(ctx context.Context) ([]handoff.Agent, error) {
	agents, err := values[handoff.Agent](ctx, d, agentsKey)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(agents, func(a, b handoff.Agent) int { return strings.Compare(a.ID, b.ID) })
	return agents, nil
}

// Stats returns the handling-time statistics; zero before the first
// write.
func (d *DeskStore) Stats(ctx context.Context) (handoff.Stats, error) {
	data, err := d.rdb.Get(ctx, d.keys[statsKey]).Bytes()
	if errors.Is(err, redis.Nil) {
		return handoff.Stats{}, nil
	}
	if err != nil {
		return handoff.Stats{}, fmt.Errorf("redisstore: reading desk stats: %w", err)
	}
	var s handoff.Stats
	if err := json.Unmarshal(data, &s); err != nil {
		return handoff.Stats{}, fmt.Errorf("redisstore: decoding desk stats: %w", err)
	}
	return s, nil
}

// Commit applies the batch atomically with one script. It returns an
// error wrapping handoff.ErrConflict, and changes nothing, when a record
// is not at the version given; a Redis failure is returned as such.
func (d *DeskStore) Commit(ctx context.Context, b handoff.Batch) error {
	if len(b.Put) == 0 && len(b.Delete) == 0 && len(b.Agents) == 0 && b.Stats == nil {
		return nil
	}
	args, err := commitArgs(b)
	if err != nil {
		return err
	}
	reply, err := commitScript.Run(ctx, d.rdb, d.keys, args...).Slice()
	if err != nil {
		return fmt.Errorf("redisstore: committing to the desk: %w", err)
	}
	return conflictIn(reply)
}

// field decodes the JSON in field id of the hash at position key into v.
// It returns redis.Nil as such when there is no such field.
func (d *DeskStore) field(ctx context.Context, key int, id string, v any) error {
	data, err := d.rdb.HGet(ctx, d.keys[key], id).Bytes()
	if errors.Is(err, redis.Nil) {
		return err
	}
	if err != nil {
		return fmt.Errorf("redisstore: reading %s from %s: %w", id, d.keys[key], err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("redisstore: decoding %s from %s: %w", id, d.keys[key], err)
	}
	return nil
}

// values decodes every value of the hash at position key, in no
// particular order.
func values[T any](ctx context.Context, d *DeskStore, key int) ([]T, error) {
	raw, err := d.rdb.HVals(ctx, d.keys[key]).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: reading %s: %w", d.keys[key], err)
	}
	out := make([]T, len(raw))
	for i, data := range raw {
		if err := json.Unmarshal([]byte(data), &out[i]); err != nil {
			return nil, fmt.Errorf("redisstore: decoding a record of %s: %w", d.keys[key], err)
		}
	}
	return out, nil
}

// commitArgs lays the batch out as the commit script's ARGV. Each record
// is encoded one version higher than the batch gives, as it is stored.
func commitArgs(b handoff.Batch) ([]any, error) {
	args := []any{len(b.Delete), len(b.Put), len(b.Agents), 0}
	for _, e := range b.Delete {
		args = append(args, e.ConversationID, version(e.Version), "", "")
	}
	for _, e := range b.Put {
		next := e
		next.Version++
		var err error
		if args, err = appendRecord(args, e.ConversationID, e.Version, next); err != nil {
			return nil, err
		}
	}
	for _, a := range b.Agents {
		next := a
		next.Version++
		var err error
		if args, err = appendRecord(args, a.ID, a.Version, next); err != nil {
			return nil, err
		}
	}
	return appendStats(args, b.Stats)
}

// appendRecord appends the script arguments of one record read at
// version, whose stored form (at version+1) is next.
func appendRecord(args []any, id string, at int64, next any) ([]any, error) {
	data, err := json.Marshal(next)
	if err != nil {
		return nil, fmt.Errorf("redisstore: encoding %s for the desk: %w", id, err)
	}
	return append(args, id, version(at), version(at+1), data), nil
}

// appendStats appends the script arguments of the statistics, if any.
func appendStats(args []any, s *handoff.Stats) ([]any, error) {
	if s == nil {
		return args, nil
	}
	next := *s
	next.Version++
	data, err := json.Marshal(next)
	if err != nil {
		return nil, fmt.Errorf("redisstore: encoding desk stats: %w", err)
	}
	args[3] = 1
	return append(args, version(s.Version), version(next.Version), data), nil
}

// version formats a version as the script compares and stores it.
func version(v int64) string {
	return strconv.FormatInt(v, 10)
}

// conflictIn turns the commit script's reply into nil when the batch was
// applied, or an error wrapping handoff.ErrConflict naming the stale
// record.
func conflictIn(reply []any) error {
	if len(reply) == 0 {
		return nil
	}
	if len(reply) != 3 {
		return fmt.Errorf("redisstore: unexpected reply from the desk commit: %v", reply)
	}
	kind, id, at := reply[0], reply[1], reply[2]
	if kind == "stats" {
		return fmt.Errorf("redisstore: desk stats not at version %v: %w", at, handoff.ErrConflict)
	}
	return fmt.Errorf("redisstore: %v %v not at version %v: %w", kind, id, at, handoff.ErrConflict)
}
