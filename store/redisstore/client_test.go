package redisstore

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestOpenStandalone(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	ctx := context.Background()
	if _, ok := rdb.(*redis.Client); !ok {
		t.Fatalf("client is %T, want *redis.Client", rdb)
	}
	key := keys.Key("open")
	if err := rdb.Set(ctx, key, "v", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := rdb.Get(ctx, key).Result(); err != nil || got != "v" {
		t.Fatalf("get = %q, %v", got, err)
	}
}

// closedPort returns a local port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func TestOpenUnreachableHidesPassword(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-Pa55word"
	_, err := Open(context.Background(), "redis://app:"+secret+"@"+closedPort(t)+"/0?max_retries=-1")
	if err == nil {
		t.Fatal("Open succeeded on a closed port")
	}
	msg := err.Error()
	if strings.Contains(msg, secret) {
		t.Fatalf("error shows the password: %s", msg)
	}
	if !strings.Contains(msg, "standalone") || !strings.Contains(msg, "did not answer") {
		t.Fatalf("error does not say what failed: %s", msg)
	}
}

func TestInvalidURLHidesPassword(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-Pa55word"
	for _, raw := range []string{
		"redis://app:" + secret + "@127.0.0.1:notaport/0",
		"redis+cluster://app:" + secret + "@[bad/",
		"redis+cluster://app:" + secret + "@h1:7000?dial_timeout=soon",
		"redis+sentinel://app:" + secret + "@h1:26379?master_name=m&password=" + secret + "&bogus=1",
		"redis+sentinel://:" + secret + "@h1:26379",
	} {
		_, err := clientFor(raw)
		if err == nil {
			t.Errorf("no error for an invalid URL")
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows the password: %s", err)
		}
		t.Log(err)
	}
}

func TestUnknownScheme(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"http://127.0.0.1:6379", "127.0.0.1:6379", "user:pw@host"} {
		_, err := Open(context.Background(), raw)
		if err == nil {
			t.Fatalf("%s: no error", raw)
		}
		if !strings.Contains(err.Error(), "redis+cluster://") || strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: error does not list the schemes: %s", raw, err)
		}
	}
}

func TestClusterURL(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"redis+cluster://u:pw@h1:7000,h2:7001,[::1]:7002":       {"h1:7000", "h2:7001", "[::1]:7002"},
		"rediss+cluster://u:pw@h1:7000?addr=h2:7001&addr=h3:70": {"h1:7000", "h2:7001", "h3:70"},
		"redis+cluster://h1,h2:7001/":                           {"h1:6379", "h2:7001"},
		"redis+cluster:///?addr=h1:7000&addr=h2:7001":           {"h1:7000", "h2:7001"},
	}
	for raw, want := range cases {
		opts := clusterClientOptions(t, raw)
		if !slices.Equal(opts.Addrs, want) {
			t.Errorf("%s: addrs %v, want %v", raw, opts.Addrs, want)
		}
	}
}

func TestClusterURLCredentialsAndTLS(t *testing.T) {
	t.Parallel()
	opts := clusterClientOptions(t, "rediss+cluster://u:p%40ss@h1:7000,h2:7001?dial_timeout=3")
	if opts.Username != "u" || opts.Password != "p@ss" {
		t.Errorf("credentials %q/%q", opts.Username, opts.Password)
	}
	if opts.TLSConfig == nil || opts.DialTimeout != 3*time.Second {
		t.Errorf("tls %v, dial timeout %v", opts.TLSConfig, opts.DialTimeout)
	}
}

func clusterClientOptions(t *testing.T, raw string) *redis.ClusterOptions {
	t.Helper()
	rdb, err := clientFor(raw)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	cluster, ok := rdb.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("%s: client is %T, want *redis.ClusterClient", raw, rdb)
	}
	return cluster.Options()
}

func TestSentinelURL(t *testing.T) {
	t.Parallel()
	raw := "redis+sentinel://:sentpw@s1,s2:26380/2?master_name=mymaster&password=masterpw"
	opts, err := sentinelOptions("redis", raw)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"s1:26379", "s2:26380"}; !slices.Equal(opts.SentinelAddrs, want) {
		t.Errorf("sentinels %v, want %v", opts.SentinelAddrs, want)
	}
	if opts.MasterName != "mymaster" || opts.DB != 2 {
		t.Errorf("master %q, db %d", opts.MasterName, opts.DB)
	}
	if opts.SentinelPassword != "sentpw" || opts.Password != "masterpw" {
		t.Errorf("passwords %q/%q", opts.SentinelPassword, opts.Password)
	}
}

func TestSentinelClient(t *testing.T) {
	t.Parallel()
	rdb, err := clientFor("rediss+sentinel://s1:26379?addr=s2:26379&master_name=mymaster")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	failover, ok := rdb.(*redis.Client)
	if !ok || failover.Options().Addr != "FailoverClient" {
		t.Fatalf("client is %T, want a failover *redis.Client", rdb)
	}
	if failover.Options().TLSConfig == nil {
		t.Error("rediss+sentinel without TLS")
	}
}

func TestSentinelNeedsMasterName(t *testing.T) {
	t.Parallel()
	_, err := clientFor("redis+sentinel://s1:26379")
	if err == nil || !strings.Contains(err.Error(), "master_name") {
		t.Fatalf("error %v, want one about master_name", err)
	}
}

func TestPing(t *testing.T) {
	t.Parallel()
	rdb := newClient(t)
	if err := Ping(context.Background(), rdb); err != nil {
		t.Fatal(err)
	}
	closed := redis.NewClient(&redis.Options{Addr: closedPort(t), DialerRetries: 1})
	defer closed.Close()
	err := Ping(context.Background(), closed)
	if err == nil || err.Error() != "redis did not answer" {
		t.Fatalf("error %v, want the generic one", err)
	}
	if errors.Unwrap(err) == nil {
		t.Error("the cause is not kept")
	}
}
