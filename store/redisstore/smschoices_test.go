package redisstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/channels"
	"hotline/channels/sms"
	"hotline/channels/sms/smstest"
)

func TestSMSChoices_Suite(t *testing.T) {
	t.Parallel()
	smstest.ChoiceStoreSuite(t, func(t *testing.T) (sms.ChoiceStore, sms.ChoiceStore) {
		rdb, keys := setup(t)
		return NewSMSChoices(rdb, keys, "twilio"), NewSMSChoices(newClient(t), keys, "twilio")
	})
}

// One key per number, named by a digest, living the offer's life; each
// channel has its own offers.
func TestSMSChoices_Keys(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	tw, ali := NewSMSChoices(rdb, keys, "twilio"), NewSMSChoices(rdb, keys, "aliyun")
	ctx := context.Background()
	now := time.Now()
	replies := []channels.QuickReply{{Label: "报障", Payload: "kb:fault"}}
	for _, phone := range []string{"+8613800138000", "+8613900139000"} {
		if err := tw.Offer(ctx, phone, replies, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, err := ali.Pick(ctx, "+8613800138000", 1, now); ok || err != nil {
		t.Fatalf("another channel picked %v, %v", ok, err)
	}
	got, err := rdb.Keys(ctx, keys.Prefix+"*").Result()
	if err != nil || len(got) != 2 {
		t.Fatalf("keys %q, %v; want one per number", got, err)
	}
	for _, k := range got {
		if strings.Contains(k, "13800138000") || strings.Contains(k, "13900139000") {
			t.Errorf("the number in the key %s", k)
		}
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= sms.ChoiceLife-time.Minute || ttl > sms.ChoiceLife {
			t.Errorf("key %s lives %v, want %v", k, ttl, sms.ChoiceLife)
		}
	}
}

func TestSMSChoices_RedisDown(t *testing.T) {
	t.Parallel()
	_, keys := setup(t)
	closed := newClient(t)
	_ = closed.Close()
	c := NewSMSChoices(closed, keys, "twilio")
	ctx := context.Background()
	err := c.Offer(ctx, "+8613800138000", []channels.QuickReply{{Label: "x"}}, time.Now())
	_, _, pickErr := c.Pick(ctx, "+8613800138000", 1, time.Now())
	if !errors.Is(err, ErrUnavailable) || !errors.Is(pickErr, ErrUnavailable) {
		t.Fatalf("offer %v, pick %v; want ErrUnavailable", err, pickErr)
	}
}
