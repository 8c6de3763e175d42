package redisstore

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"hotline/dialog"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func sampleRecord(version int64) dialog.Conversation {
	t0 := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	return dialog.Conversation{ID: "c_0123456789abcdef", Channel: "sms:twilio", Address: "+8613812345678",
		SubscriberID: "s_42", State: "form", Lang: "zh", Misses: 1,
		Slots: map[string]string{"form": "broadband_down", "form.step": "address"}, LastSeq: 7,
		Version: version, CreatedAt: t0, ActiveAt: t0.Add(time.Minute)}
}

// A record put is read back whole; a dropped one is a miss; the key name
// carries no part of the address.
func TestRecords_PutGetDrop(t *testing.T) {
	rdb, keys := setup(t)
	ctx := context.Background()
	r := NewRecords(rdb, keys, time.Minute, quiet)
	key := "sms:twilio\x00+8613812345678"

	if _, ok := r.Get(ctx, key); ok {
		t.Fatal("a record before any Put")
	}
	want := sampleRecord(3)
	r.Put(ctx, key, want)
	got, ok := r.Get(ctx, key)
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("Get = %+v, %v; want %+v", got, ok, want)
	}
	if name := r.key(key); strings.Contains(name, "13812345678") || !strings.HasPrefix(name, keys.Prefix+":rec:") {
		t.Fatalf("key name %q", name)
	}
	ttl := rdb.PTTL(ctx, r.key(key)).Val()
	if ttl <= 0 || ttl > time.Minute {
		t.Fatalf("entry lives %v, want up to a minute", ttl)
	}

	r.Drop(ctx, key)
	if _, ok := r.Get(ctx, key); ok {
		t.Fatal("a record after Drop")
	}
}

// Puts arriving out of order leave the newest version.
func TestRecords_OlderPutDoesNotReplaceNewer(t *testing.T) {
	rdb, keys := setup(t)
	ctx := context.Background()
	r := NewRecords(rdb, keys, time.Minute, quiet)
	r.Put(ctx, "k", sampleRecord(5))
	r.Put(ctx, "k", sampleRecord(4))
	if got, ok := r.Get(ctx, "k"); !ok || got.Version != 5 {
		t.Fatalf("after an older put: version %d (%v), want 5", got.Version, ok)
	}
	r.Put(ctx, "k", sampleRecord(6))
	if got, _ := r.Get(ctx, "k"); got.Version != 6 {
		t.Fatalf("after a newer put: version %d, want 6", got.Version)
	}
}

// An entry that does not decode, and a Redis that does not answer, are
// misses, not errors.
func TestRecords_BadEntryAndDeadRedisAreMisses(t *testing.T) {
	rdb, keys := setup(t)
	ctx := context.Background()
	r := NewRecords(rdb, keys, time.Minute, quiet)
	rdb.Set(ctx, r.key("bad"), "7 {not json", time.Minute)
	if _, ok := r.Get(ctx, "bad"); ok {
		t.Fatal("an entry that does not decode was a hit")
	}
	rdb.Set(ctx, r.key("bare"), "no-version", time.Minute)
	if _, ok := r.Get(ctx, "bare"); ok {
		t.Fatal("an entry without a version was a hit")
	}

	dead, err := Open(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	_ = dead.Close()
	off := NewRecords(dead, keys, time.Minute, quiet)
	off.Put(ctx, "k", sampleRecord(1))
	if _, ok := off.Get(ctx, "k"); ok {
		t.Fatal("a closed client gave a hit")
	}
	off.Drop(ctx, "k")
}
