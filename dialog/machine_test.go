package dialog

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// looplab/fsm silently ignores a callback whose key names no state or
// event, so every key is checked against the table.
func TestCallbacks_NameKnownStatesAndEvents(t *testing.T) {
	var events []string
	for _, e := range transitions {
		events = append(events, e.Name)
	}
	for key := range callbacks {
		prefix, name, ok := strings.Cut(key, "_")
		if !ok {
			t.Errorf("callback %q has no before_/leave_/enter_/after_ prefix", key)
			continue
		}
		switch prefix {
		case "enter", "leave":
			if !slices.Contains(States(), name) {
				t.Errorf("callback %q names no state", key)
			}
		case "before", "after":
			if !slices.Contains(events, name) {
				t.Errorf("callback %q names no event", key)
			}
		default:
			t.Errorf("callback %q has an unknown prefix", key)
		}
	}
}

func TestTransitions_UseOnlyDeclaredStates(t *testing.T) {
	for _, e := range transitions {
		for _, s := range append(slices.Clone(e.Src), e.Dst) {
			if !slices.Contains(States(), s) {
				t.Errorf("event %s uses undeclared state %q", e.Name, s)
			}
		}
	}
}

func TestTransitions_EveryStateCanBeLeft(t *testing.T) {
	for _, s := range States() {
		left := false
		for _, e := range transitions {
			if slices.Contains(e.Src, s) {
				left = true
			}
		}
		if !left {
			t.Errorf("state %s has no way out", s)
		}
	}
}

func testTurn(state string) *turn {
	texts, err := ParseTexts(minimalTexts())
	if err != nil {
		panic(err)
	}
	return newTurn(context.Background(), texts, Conversation{ID: "c1", State: state}, testNow)
}

func TestFire_ExpireClosesWithGoodbye(t *testing.T) {
	tr := testTurn(StateAnswering)
	ok, err := fire(tr, EventExpire)
	if err != nil || !ok {
		t.Fatalf("fire expire = %v, %v", ok, err)
	}
	if tr.conv.State != StateClosed {
		t.Errorf("state = %s, want closed", tr.conv.State)
	}
	out := tr.outbound()
	if len(out) != 1 || out[0].From != FromSystem || out[0].Text != "zh:expired" {
		t.Errorf("outbound = %+v, want the expired text from system", out)
	}
}

func TestFire_InvalidEventChangesNothing(t *testing.T) {
	tr := testTurn(StateAnswering)
	ok, err := fire(tr, EventCancel)
	if err != nil || ok {
		t.Fatalf("cancel in answering = %v, %v; want not applied, no error", ok, err)
	}
	if tr.conv.State != StateAnswering || len(tr.messages) != 0 {
		t.Errorf("state %s, %d messages; want unchanged", tr.conv.State, len(tr.messages))
	}
}

func TestFire_CancelFromFormSaysCancelled(t *testing.T) {
	tr := testTurn(StateCollecting)
	if ok, err := fire(tr, EventCancel); !ok || err != nil {
		t.Fatalf("cancel = %v, %v", ok, err)
	}
	if tr.conv.State != StateAnswering || tr.outbound()[0].Text != "zh:cancelled" {
		t.Errorf("state %s, out %+v", tr.conv.State, tr.outbound())
	}
}

func TestFire_ReusesPooledMachinesSafely(t *testing.T) {
	// A pooled instance keeps no state between conversations.
	a := testTurn(StateClosed)
	if ok, _ := fire(a, EventReopen); !ok {
		t.Fatal("reopen failed")
	}
	b := testTurn(StateAnswering)
	if ok, _ := fire(b, EventReopen); ok {
		t.Fatal("reopen applied to an answering conversation")
	}
}

func TestVisualize_ListsEveryEvent(t *testing.T) {
	out, err := Visualize()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range transitions {
		if !strings.Contains(out, e.Name) {
			t.Errorf("diagram lacks event %s", e.Name)
		}
	}
}
