package sqldb_test

import (
	"context"
	"testing"
	"time"

	"hotline/channels/sms"
	"hotline/store/sqldb"
)

func TestSMS_Keywords(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewSMS(db)
		const phone = "+8613800138000"
		if out, err := s.OptedOut(ctx, phone); err != nil || out {
			t.Fatalf("a new number: %v, %v", out, err)
		}
		first, err := s.Keyword(ctx, "tw", "SM1", phone, sms.OptOut, t0)
		if err != nil || !first {
			t.Fatalf("opt-out: %v, %v", first, err)
		}
		if out, _ := s.OptedOut(ctx, phone); !out {
			t.Fatal("not opted out")
		}
		// The provider's retry changes nothing, even after an opt-in.
		if first, err := s.Keyword(ctx, "tw", "SM2", phone, sms.OptIn, t0.Add(time.Minute)); err != nil || !first {
			t.Fatalf("opt-in: %v, %v", first, err)
		}
		if again, err := s.Keyword(ctx, "tw", "SM1", phone, sms.OptOut, t0.Add(2*time.Minute)); err != nil || again {
			t.Fatalf("a repeated key: %v, %v", again, err)
		}
		if out, _ := s.OptedOut(ctx, phone); out {
			t.Fatal("a repeated opt-out undid the later opt-in")
		}
		// The same key on another channel is another message.
		if first, _ := s.Keyword(ctx, "ali", "SM1", phone, sms.Help, t0); !first {
			t.Fatal("keys are per channel")
		}
		if out, _ := s.OptedOut(ctx, phone); out {
			t.Fatal("help changed the opt-out")
		}
	})
}

func TestSMS_StatusOnlyMovesForward(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewSMS(db)
		if err := s.RecordSends(ctx, "tw", []sms.Sent{{ProviderID: "SMa", MessageID: "msg-a", At: t0}}); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			status sms.Status
			moved  bool
		}{{sms.StatusQueued, false}, {sms.StatusDelivered, true}, {sms.StatusSent, false}, {sms.StatusFailed, false}}
		for _, st := range steps {
			moved, err := s.Advance(ctx, "tw", sms.Report{ID: "SMa", Status: st.status, Code: "c-" + string(st.status)}, t0)
			if err != nil || moved != st.moved {
				t.Fatalf("%s: moved %v, %v; want %v", st.status, moved, err, st.moved)
			}
		}
		status, code, ok, err := s.SendStatus(ctx, "msg-a")
		if err != nil || !ok || status != sms.StatusDelivered || code != "c-delivered" {
			t.Fatalf("status %q %q %v %v", status, code, ok, err)
		}

		// A report that comes before the send is recorded is kept for it.
		if moved, err := s.Advance(ctx, "tw", sms.Report{ID: "SMb", Status: sms.StatusDelivered}, t0); err != nil || !moved {
			t.Fatalf("early report: %v %v", moved, err)
		}
		if err := s.RecordSends(ctx, "tw", []sms.Sent{{ProviderID: "SMb", MessageID: "msg-b", At: t0}}); err != nil {
			t.Fatal(err)
		}
		if status, _, ok, _ := s.SendStatus(ctx, "msg-b"); !ok || status != sms.StatusDelivered {
			t.Fatalf("msg-b: %q %v", status, ok)
		}
		if _, _, ok, _ := s.SendStatus(ctx, "msg-none"); ok {
			t.Fatal("an unknown message has no status")
		}
	})
}
