package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"hotline/dialog"
)

// BenchmarkRecordsMemory fills the record cache with 100,000 idle
// conversations, a third each on the web chat, WeChat and SMS and one in
// five in the middle of a form, and reports Redis's memory per
// conversation: used_memory before and after, and MEMORY USAGE of one
// entry of each kind. It fills once, however large b.N is.
func BenchmarkRecordsMemory(b *testing.B) {
	const n = 100_000
	rdb, keys := setup(b)
	ctx := context.Background()
	r := NewRecords(rdb, keys, time.Hour, quiet)

	before := usedMemory(b, rdb)
	b.ResetTimer()
	for i := range n {
		c, key := idleRecord(i)
		r.Put(ctx, key, c)
	}
	b.StopTimer()
	after := usedMemory(b, rdb)
	if got := rdb.DBSize(ctx).Val(); got < n {
		b.Fatalf("%d keys in Redis, want at least %d", got, n)
	}
	b.ReportMetric(float64(after-before)/n, "bytes/conversation")
	for kind, i := range map[string]int{"webchat": 3, "wechat": 1, "sms": 2, "form": 5} {
		_, key := idleRecord(i)
		usage := rdb.MemoryUsage(ctx, r.key(key)).Val()
		b.ReportMetric(float64(usage), "bytes/"+kind+"-entry")
	}
}

// usedMemory is Redis's used_memory in bytes.
func usedMemory(b *testing.B, rdb redis.UniversalClient) int64 {
	b.Helper()
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no used_memory in INFO memory")
	return 0
}

// idleRecord is the i-th conversation of the memory benchmark, with its
// cache key.
func idleRecord(i int) (dialog.Conversation, string) {
	t0 := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	c := dialog.Conversation{ID: fmt.Sprintf("c_019ae8%022x", i), State: "answering", Lang: "zh",
		LastSeq: 6, Version: 3, CreatedAt: t0, ActiveAt: t0.Add(3 * time.Minute)}
	switch i % 3 {
	case 0:
		c.Channel, c.Address = "webchat", fmt.Sprintf("%032x", i*7919)
	case 1:
		c.Channel, c.Address = "wechat", fmt.Sprintf("oUpF8uMuAJO_M2pxb1Q9z%07d", i)
	default:
		c.Channel, c.Address = "sms:twilio", "+86138"+fmt.Sprintf("%08d", i)
		c.SubscriberID = "s_" + strings.Repeat("9", 22)
	}
	if i%5 == 0 {
		c.State = "form"
		c.Slots = map[string]string{"form": "broadband_down", "form.step": "since",
			"broadband_down.account": "0108812345678", "broadband_down.symptom": "全部断网"}
	}
	return c, c.Channel + "\x00" + c.Address
}
