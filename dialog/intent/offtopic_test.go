package intent

import (
	"testing"

	"hotline/dialog/kb"
)

// offTopicBase has an entry on shop hours, a subject the shipped phrases
// call off topic, and one on topping up.
const offTopicBase = `
entries:
  - id: shop_hours
    question: 营业厅几点开门？
    alternates: [营业厅周末关门吗]
    answer: 营业厅每天九点到六点营业。
  - id: top_up
    question: 怎么给手机充话费？
    answer: 在APP里就能充值。
`

func TestDecide_OffTopicYieldsToCoveringEntry(t *testing.T) {
	r := loadShipped(t)
	b, err := kb.Parse([]byte(offTopicBase))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		intent     Name
		label      string
	}{
		{"the base answers a subject it covers", "营业厅晚上几点关门", None, "shop_hours"},
		{"another off-topic subject stays off topic", "营业厅附近有停车场吗", OffTopic, "none"},
		{"a handset question stays off topic", "手机充电充不进去怎么办", OffTopic, "none"},
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

func TestRouter_route_Clause(t *testing.T) {
	r, err := ParseRouter([]byte(`
intents:
  - name: offtopic
    whole: [天气]
    combos:
      - all: [[淘宝]]
        unless: [手机卡]
      - all: [[营业厅], [几点]]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text   string
		name   Name
		clause int
	}{
		{"天气", OffTopic, clauseWhole},
		{"淘宝退货", OffTopic, firstCombo},
		{"营业厅几点开门", OffTopic, firstCombo + 1},
		{"淘宝买的手机卡", None, noClause},
	}
	for _, tt := range tests {
		if n, c := r.route(tt.text); n != tt.name || c != tt.clause {
			t.Errorf("route(%q) = %q %d, want %q %d", tt.text, n, c, tt.name, tt.clause)
		}
	}
}
