package intent

import (
	"testing"

	"hotline/dialog/kb"
)

func TestDecide(t *testing.T) {
	r := loadShipped(t)
	b, err := kb.Load("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		intent     Name
		label      string
	}{
		{"router intent wins", "宽带断了一上午了", Fault, "fault"},
		{"agent request is labelled agent", "转人工", Agent, "agent"},
		{"status query is labelled status", "CX", Status, "status"},
		{"complaint is labelled complaint", "我要投诉你们", Complaint, "complaint"},
		{"small talk is labelled none", "谢谢", Thanks, "none"},
		{"cancel is labelled none", "算了", Cancel, "none"},
		{"question about repair goes to the base", "宽带报修以后多久有人上门", None, "repair_time"},
		{"answered question is labelled with the entry", "流量还剩多少", None, "data_left"},
		{"off-topic chatter is labelled none", "今天天气怎么样", OffTopic, "none"},
		{"unknown question is labelled none", "营业厅门口能停车吗", None, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(r, b, tt.text)
			if d.Intent != tt.intent || d.Label() != tt.label {
				t.Errorf("Decide(%q) = intent %q label %q, want %q %q", tt.text, d.Intent, d.Label(), tt.intent, tt.label)
			}
		})
	}
}

func TestDecide_NilParts(t *testing.T) {
	b, err := kb.Load("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if d := Decide(nil, b, "流量还剩多少"); d.Label() != "data_left" {
		t.Errorf("without a router got %q, want data_left", d.Label())
	}
	if d := Decide(loadShipped(t), nil, "流量还剩多少"); d.Label() != "none" || d.Match.Verdict != kb.Unknown {
		t.Errorf("without a base got %q %v, want none unknown", d.Label(), d.Match.Verdict)
	}
}

func TestDecision_Label(t *testing.T) {
	e := &kb.Entry{ID: "balance"}
	cands := []kb.Candidate{{Entry: e, Score: 0.5}}
	tests := []struct {
		name string
		d    Decision
		want string
	}{
		{"answer names the entry", Decision{Match: kb.Result{Verdict: kb.Answer, Candidates: cands}}, "balance"},
		{"suggestion is none", Decision{Match: kb.Result{Verdict: kb.Suggest, Candidates: cands}}, "none"},
		{"unknown is none", Decision{Match: kb.Result{Verdict: kb.Unknown}}, "none"},
		{"answer without candidates is none", Decision{Match: kb.Result{Verdict: kb.Answer}}, "none"},
		{"fault is fault", Decision{Intent: Fault}, "fault"},
		{"greeting is none", Decision{Intent: Greeting}, "none"},
		{"unlisted intent is none", Decision{Intent: Name("billing_dispute")}, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Label(); got != tt.want {
				t.Errorf("Label() = %q, want %q", got, tt.want)
			}
		})
	}
}
