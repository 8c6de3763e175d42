package redisstore

import (
	"context"
	"testing"
	"time"
)

func TestPresenceKeepsAndExpires(t *testing.T) {
	rdb := newClient(t)
	keys := testKeys(t, rdb)
	here, elsewhere := NewPresence(rdb, keys, 200*time.Millisecond), NewPresence(newClient(t), keys, 200*time.Millisecond)
	ctx := context.Background()
	if err := here.Keep(ctx, []string{"li.na", "wang.wei"}); err != nil {
		t.Fatal(err)
	}
	got, err := elsewhere.Present(ctx, []string{"li.na", "wang.wei", "zhao.li"})
	if err != nil || !got["li.na"] || !got["wang.wei"] || got["zhao.li"] {
		t.Fatalf("present = %v, %v", got, err)
	}
	time.Sleep(300 * time.Millisecond)
	if got, _ := elsewhere.Present(ctx, []string{"li.na"}); got["li.na"] {
		t.Fatal("a mark outlived its life without renewal")
	}
}

func TestPresenceErrorIsNotAbsence(t *testing.T) {
	rdb := newClient(t)
	p := NewPresence(rdb, testKeys(t, rdb), time.Second)
	_ = rdb.Close()
	if got, err := p.Present(context.Background(), []string{"li.na"}); err == nil {
		t.Fatalf("a closed client reported %v without an error", got)
	}
}
