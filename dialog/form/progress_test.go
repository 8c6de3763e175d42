package form

import (
	"maps"
	"reflect"
	"testing"
)

func TestProgress_RoundTrip(t *testing.T) {
	tests := []Progress{
		{ID: "f1", Flow: "tv", Slot: "address", Failures: 2,
			Answers: map[string]string{"broadband_account": "ad12345678", "area": "haidian"}},
		{ID: "f2", Flow: "complaint", Confirming: true,
			Answers: map[string]string{"topic": "other", "description": "很长的描述：有冒号", "contact": ""}},
		{ID: "", Flow: "other_fault", Slot: "description", Answers: map[string]string{}},
	}
	for _, p := range tests {
		record := map[string]string{"other": "kept"}
		p.Encode(record)
		got, ok := Decode(record)
		if !ok || !reflect.DeepEqual(got, p) {
			t.Errorf("round trip:\n got %+v %v\nwant %+v", got, ok, p)
		}
	}
}

func TestProgress_EncodeReplacesOldForm(t *testing.T) {
	record := map[string]string{"other": "kept"}
	Progress{Flow: "tv", Answers: map[string]string{"address": "x"}}.Encode(record)
	Progress{Flow: "complaint", Answers: map[string]string{"topic": "other"}}.Encode(record)

	got, _ := Decode(record)
	if !maps.Equal(got.Answers, map[string]string{"topic": "other"}) {
		t.Errorf("answers = %v, want only the new form's", got.Answers)
	}
}

func TestProgress_Clear(t *testing.T) {
	record := map[string]string{"other": "kept", "formula": "kept too"}
	Progress{Flow: "tv", Slot: "area", Answers: map[string]string{"area": "haidian"}}.Encode(record)
	Clear(record)
	want := map[string]string{"other": "kept", "formula": "kept too"}
	if !maps.Equal(record, want) {
		t.Errorf("after Clear: %v, want %v", record, want)
	}
	if _, ok := Decode(record); ok {
		t.Error("Decode found progress after Clear")
	}
}

func TestDecode_Damaged(t *testing.T) {
	if _, ok := Decode(nil); ok {
		t.Error("Decode(nil) found progress")
	}
	p, ok := Decode(map[string]string{"form.flow": "tv", "form.failures": "many", "form.value.": "x"})
	if !ok || p.Failures != 0 || len(p.Answers) != 0 {
		t.Errorf("Decode(damaged) = %+v, %v", p, ok)
	}
}

// TestProgress_ResumeMidForm stops a form after two answers, keeps only
// the conversation record, and finishes with a fresh load of the flows.
func TestProgress_ResumeMidForm(t *testing.T) {
	f, p := startAt(t, "broadband_slow", "broadband_account")
	f.Answer(&p, "ad12345678", "", LangZh)
	f.Answer(&p, "火星", "", LangZh) // one failure on the area
	record := map[string]string{}
	p.Encode(record)

	restarted := shippedFlow(t, "broadband_slow")
	q, ok := Decode(record)
	if !ok || q.Slot != "area" || q.Failures != 1 {
		t.Fatalf("resumed %+v, want asking area with one failure", q)
	}
	if got := restarted.Reask(&q, q.Slot, LangZh); got.Text == "" || q.Failures != 1 {
		t.Fatalf("repeating the question: %q, failures %d", got.Text, q.Failures)
	}
	for _, a := range []string{"海淀", "中关村大街1号院2号楼301", "一直都慢", "今天", "13812345678", "随时"} {
		restarted.Answer(&q, a, "", LangZh)
	}
	if !q.Confirming || q.Values()["area"] != "haidian" || q.ID != "form-1" {
		t.Errorf("finished %+v", q)
	}
}
