package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"time"

	// The pgx driver for database/sql, registered as "pgx".
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
)

// The local PostgreSQL and Redis of -spawn-shared.
const (
	sharedPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	sharedRedis    = "redis://127.0.0.1:6379"
)

// sharedStores are a fresh PostgreSQL schema and Redis key prefix, made
// for one run and removed after it.
type sharedStores struct {
	schema string
	prefix string
	db     *sql.DB
}

// servicesUp reports whether PostgreSQL and Redis answer on this machine.
func servicesUp() error {
	for _, addr := range []string{"127.0.0.1:5432", "127.0.0.1:6379"} {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return fmt.Errorf("-spawn-shared needs PostgreSQL and Redis: nothing answers at %s", addr)
		}
		_ = c.Close()
	}
	return nil
}

// newSharedStores makes the schema.
func newSharedStores(ctx context.Context) (*sharedStores, error) {
	if err := servicesUp(); err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", sharedPostgres)
	if err != nil {
		return nil, err
	}
	s := &sharedStores{schema: "loadgen_" + randHex(6), prefix: "loadgen-" + randHex(6), db: db}
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+s.schema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return s, nil
}

// env points gateways at the schema and prefix.
func (s *sharedStores) env() map[string]string {
	return map[string]string{
		"HOTLINE_DATABASE_URL": sharedPostgres + "&search_path=" + s.schema,
		"HOTLINE_REDIS_URL":    sharedRedis,
		"HOTLINE_REDIS_PREFIX": s.prefix,
	}
}

// drop removes the schema and the prefix's keys.
func (s *sharedStores) drop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = s.db.ExecContext(ctx, "DROP SCHEMA "+s.schema+" CASCADE")
	_ = s.db.Close()
	opts, err := redis.ParseURL(sharedRedis)
	if err != nil {
		return
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	iter := rc.Scan(ctx, 0, s.prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		_ = rc.Del(ctx, keys[:n]...).Err()
		keys = keys[n:]
	}
}
