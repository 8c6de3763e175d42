package intent

import "testing"

func TestUnits_CountWordsAndCharacters(t *testing.T) {
	cases := map[string]int{
		"宽带断了":             4,
		"are you a robot":  4,
		"我的wifi连不上":        6,
		"error 651 宽带":     4,
		"":                 0,
		"it's down, again": 4,
	}
	for s, want := range cases {
		if got := units(s); got != want {
			t.Errorf("units(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestCombo_EnglishWindowCountsWords(t *testing.T) {
	r, err := LoadRouter("../../configs/intents.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"are you a robot", "am I talking to a machine", "你是机器人吗"} {
		if got := r.Route(q); got != Identity {
			t.Errorf("Route(%q) = %q, want identity", q, got)
		}
	}
}
