package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// openTimeout bounds the ping that Open sends to a new client.
const openTimeout = 5 * time.Second

// Kinds of deployment a URL can name; they appear in error messages.
const (
	kindStandalone = "standalone"
	kindCluster    = "cluster"
	kindSentinel   = "sentinel"
)

// Open connects to Redis as described by rawURL and checks that it answers.
//
// Accepted forms:
//
//	redis://[user:password@]host:port[/db][?options]
//	rediss://...                          (TLS)
//	redis+cluster://[user:password@]host1:port1,host2:port2[?addr=host3:port3]
//	rediss+cluster://...                  (TLS)
//	redis+sentinel://[user:password@]sentinel1:port1,sentinel2:port2[/db]?master_name=name[&password=...]
//	rediss+sentinel://...                 (TLS)
//
// The options are the query parameters go-redis understands (dial_timeout,
// pool_size and so on). Cluster hosts default to port 6379, sentinels to
// 26379. For Sentinel the user and password of the URL are those of the
// sentinels; the username and password query parameters are those of the
// master and replicas.
//
// Errors never contain the URL, which may hold a password.
func Open(ctx context.Context, rawURL string) (redis.UniversalClient, error) {
	rdb, kind, err := build(rawURL)
	if err != nil {
		return nil, err
	}
	if err := pingWithin(ctx, rdb, openTimeout); err != nil {
		_ = rdb.Close()
		err = fmt.Errorf("redisstore: %s Redis did not answer: %w", kind, err)
		return nil, secretsOf(rawURL).clean(err)
	}
	return rdb, nil
}

// clientFor builds the client rawURL describes without contacting Redis.
func clientFor(rawURL string) (redis.UniversalClient, error) {
	rdb, _, err := build(rawURL)
	return rdb, err
}

// build returns the client for rawURL and the kind of deployment it names.
func build(rawURL string) (redis.UniversalClient, string, error) {
	scheme, err := schemeOf(rawURL)
	if err != nil {
		return nil, "", err
	}
	kind, base := splitScheme(scheme)
	rdb, err := buildKind(kind, base, rawURL)
	if err != nil {
		err = fmt.Errorf("redisstore: invalid %s Redis URL: %w", kind, unwrapURLError(err))
		return nil, "", secretsOf(rawURL).clean(err)
	}
	return rdb, kind, nil
}

func buildKind(kind, base, rawURL string) (redis.UniversalClient, error) {
	switch kind {
	case kindCluster:
		opts, err := clusterOptions(base, rawURL)
		if err != nil {
			return nil, err
		}
		return redis.NewClusterClient(opts), nil
	case kindSentinel:
		opts, err := sentinelOptions(base, rawURL)
		if err != nil {
			return nil, err
		}
		return redis.NewFailoverClient(opts), nil
	}
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return redis.NewClient(opts), nil
}

func pingWithin(ctx context.Context, rdb redis.UniversalClient, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return rdb.Ping(ctx).Err()
}

// errNoURL is returned when the text given to Open is not a URL at all.
var errNoURL = errors.New("redisstore: the Redis address must be a URL: " + acceptedSchemes)
