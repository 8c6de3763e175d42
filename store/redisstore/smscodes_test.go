package redisstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/channels/sms"
	"hotline/channels/sms/smstest"
)

// smsPair is two clients on one key prefix: two instances.
func smsPair(t *testing.T) (*SMSCodes, *SMSCodes, Keys) {
	rdb, keys := setup(t)
	return NewSMSCodes(rdb, keys), NewSMSCodes(newClient(t), keys), keys
}

func TestSMSCodes_Suite(t *testing.T) {
	t.Parallel()
	smstest.CodeStoreSuite(t, func(t *testing.T) (sms.CodeStore, sms.CodeStore) {
		a, b, _ := smsPair(t)
		return a, b
	})
}

// The number is not in key names, and every key goes away by itself
// within the hour.
func TestSMSCodes_Keys(t *testing.T) {
	t.Parallel()
	a, _, keys := smsPair(t)
	ctx := context.Background()
	const phone = "+8613800138000"
	now := time.Now()
	if err := a.Reserve(ctx, "conv-1", phone, now); err != nil {
		t.Fatal(err)
	}
	hash := [32]byte{1, 2, 3}
	p := sms.PendingCode{Phone: phone, Hash: hash, Expires: now.Add(sms.CodeLife), Tries: sms.CodeTries}
	if err := a.Put(ctx, "conv-1", p); err != nil {
		t.Fatal(err)
	}
	found := 0
	iter := a.rdb.Scan(ctx, 0, keys.Prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		found++
		if strings.Contains(key, "13800138000") {
			t.Errorf("the number in the key %s", key)
		}
		if ttl := a.rdb.PTTL(ctx, key).Val(); ttl <= 0 || ttl > time.Hour {
			t.Errorf("key %s lives %v, want a life of at most an hour", key, ttl)
		}
	}
	if found != 3 {
		t.Fatalf("%d keys, want the pending code and two send counts", found)
	}
	if got, err := a.Try(ctx, "conv-1", hash, now); err != nil || got != phone {
		t.Fatalf("try: %q %v", got, err)
	}
}

// A Redis that does not answer is neither a wrong code nor a limit.
func TestSMSCodes_RedisDown(t *testing.T) {
	t.Parallel()
	_, keys := setup(t)
	closed := newClient(t)
	_ = closed.Close()
	c := NewSMSCodes(closed, keys)
	ctx := context.Background()
	errs := []error{c.Reserve(ctx, "c", "+8613800138000", time.Now()),
		c.Put(ctx, "c", sms.PendingCode{}),
	}
	_, err := c.Try(ctx, "c", [32]byte{}, time.Now())
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, ErrUnavailable) || errors.Is(err, sms.ErrBindCode) || errors.Is(err, sms.ErrBindLimited) {
			t.Errorf("call %d: %v, want ErrUnavailable alone", i, err)
		}
	}
}
