package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"hotline/channels"
	"hotline/channels/sms"
	"hotline/configs"
	"hotline/dialog"
	"hotline/store/convdb"
	"hotline/store/redisstore"
	"hotline/store/sqldb"
)

// forgetter deletes or anonymises what the store keeps about a subject.
type forgetter interface {
	Forget(ctx context.Context, s sqldb.Subject, a convdb.ForgetAudit) (sqldb.Forgotten, error)
}

// forgetUsage says how a subject is named.
const forgetUsage = "phone:NUMBER, subscriber:ID or CHANNEL:ADDRESS (such as wechat:OPENID or webchat:VISITOR)"

// parseSubject reads a subject as -forget names it, and returns it with
// the digest the audit log names it by: the subscriber id of a number,
// or a digest of the channel address.
func parseSubject(arg, defaultCountry string) (sqldb.Subject, string, error) {
	kind, value, ok := strings.Cut(strings.TrimSpace(arg), ":")
	value = strings.TrimSpace(value)
	if !ok || kind == "" || value == "" {
		return sqldb.Subject{}, "", fmt.Errorf("forget: want %s", forgetUsage)
	}
	switch kind {
	case "phone":
		e164, err := sms.NormalizePhone(value, defaultCountry)
		if err != nil {
			return sqldb.Subject{}, "", fmt.Errorf("forget: the number is not usable: %w", err)
		}
		sub := channels.SubscriberFor(e164)
		return sqldb.Subject{Phones: convdb.PhoneForms(e164), SubscriberIDs: []string{sub}}, sub, nil
	case "subscriber":
		return sqldb.Subject{SubscriberIDs: []string{value}}, value, nil
	}
	sum := sha256.Sum256([]byte("hotline forgotten address\x00" + kind + "\x00" + value))
	return sqldb.Subject{Addresses: []sqldb.Address{{Channel: kind, Address: value}}},
		"addr_" + hex.EncodeToString(sum[:12]), nil
}

// forgetSubject runs -forget: it opens the database the settings name,
// forgets the subject in one transaction and prints the counts.
func forgetSubject(ctx context.Context, cfg configs.Config, cmd command, out io.Writer, log *slog.Logger) error {
	subject, digest, err := parseSubject(cmd.forget, smsCountry(cfg))
	if err != nil {
		return err
	}
	if cmd.actor == "" {
		return errors.New("forget: say who runs it with -actor NAME")
	}
	db, err := sqldb.Open(ctx, sqldb.Options{DSN: cfg.Database.URL.Reveal(), DataDir: cfg.DataDir,
		Synchronous: cfg.Store.Synchronous})
	if err != nil {
		return fmt.Errorf("forget: open database: %w", err)
	}
	defer db.Close()
	store, err := convdb.New(ctx, db)
	if err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	defer store.Close()
	audit := convdb.ForgetAudit{Actor: cmd.actor, At: time.Now(), Digest: digest}
	if cfg.Redis.URL.IsSet() && db.Dialect() == sqldb.Postgres {
		rdb, err := redisstore.Open(ctx, cfg.Redis.URL.Reveal())
		if err != nil {
			return fmt.Errorf("forget: redis.url: %w", err)
		}
		defer rdb.Close()
		audit.Forgot = dropCachedRecords(ctx, cfg, rdb, out)
	}
	return runForget(ctx, store, subject, audit, out, log)
}

// dropCachedRecords drops the forgotten conversations' records from the
// instances' shared cache in Redis, and says whether it could; a record
// left behind expires within redis.record_ttl.
func dropCachedRecords(ctx context.Context, cfg configs.Config, rdb redis.UniversalClient, out io.Writer) func([]sqldb.Address) {
	records := redisstore.NewRecords(rdb, redisstore.Keys{Prefix: cfg.Redis.Prefix}, cfg.Redis.RecordTTL.D(), slog.New(slog.DiscardHandler))
	return func(addresses []sqldb.Address) {
		conv := make([]string, len(addresses))
		for i, a := range addresses {
			conv[i] = dialog.RecordKey(a.Channel, a.Address)
		}
		if err := records.DropAll(ctx, conv); err != nil {
			_, _ = fmt.Fprintf(out, "cached records not dropped from Redis (%v); they expire within %s\n",
				err, cfg.Redis.RecordTTL.D())
		}
	}
}

// runForget forgets a subject and reports what went, by digest and
// counts only.
func runForget(ctx context.Context, f forgetter, s sqldb.Subject, a convdb.ForgetAudit, out io.Writer, log *slog.Logger) error {
	if out == nil {
		out = io.Discard
	}
	n, err := f.Forget(ctx, s, a)
	if err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	counts := n.String()
	if counts == "" {
		counts = "nothing stored"
	}
	log.Info("subject forgotten", "subject", a.Digest, "actor", a.Actor, "rows", n.Total())
	_, err = fmt.Fprintf(out, "forgot %s: %s\n", a.Digest, counts)
	return err
}

// smsCountry is the calling code national numbers get: the first SMS
// channel's, or China's.
func smsCountry(cfg configs.Config) string {
	for _, c := range cfg.SMS {
		if c.DefaultCountry != "" {
			return c.DefaultCountry
		}
	}
	return "86"
}
