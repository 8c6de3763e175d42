package intent

import "testing"

// TestRouter_Route_Categories checks the categories of wording added to
// the shipped phrases, in sentences of our own: faults worded outside the
// short phrase list, fault words inside questions, dissatisfaction stated,
// a human asked for by a nickname, and chatter that shares telecom words.
func TestRouter_Route_Categories(t *testing.T) {
	r := loadShipped(t)
	tests := []struct {
		name, text string
		want       Name
	}{
		{"fault: drops every few minutes", "宽带每隔几分钟就断一次", Fault},
		{"fault: signal comes and goes", "客厅里手机信号时有时无", Fault},
		{"fault: not a single bar", "手机一格信号都没有", Fault},
		{"fault: cannot find a network", "手机搜不到网络了", Fault},
		{"fault: speed near zero", "网速几乎为零，视频根本刷不动", Fault},
		{"fault: download in kilobytes", "下载速度才几十kb", Fault},
		{"fault: pages do not open", "网页打不开了", Fault},
		{"fault: all lights out", "路由器的灯全灭了", Fault},
		{"fault: light turned red", "光猫上有个灯变红了", Fault},
		{"fault: english keeps going down", "the internet keeps going down every evening", Fault},
		{"fault: english speed near zero", "my broadband speed is almost zero", Fault},
		{"question: how long the repair takes", "宽带断了报修以后师傅什么时候上门", None},
		{"question: hypothetical outage", "what should I do if my internet goes down", None},
		{"complaint: dissatisfaction stated", "我对你们的服务非常不满意", Complaint},
		{"complaint: staff brushed me off", "营业员爱答不理的，态度恶劣", Complaint},
		{"complaint: english lodge", "I want to lodge a complaint against the installer", Complaint},
		{"question: how long a complaint takes", "投诉要多久才有结果", None},
		{"agent: by a nickname", "让客服小姐姐来跟我说", Agent},
		{"offtopic: food near the shop", "营业厅附近有什么好吃的", OffTopic},
		{"offtopic: comparing with a rival", "别家的宽带比你们便宜多了", OffTopic},
		{"porting is a question, not a comparison", "想转到别家运营商但号码不变", None},
		{"a parcel about a SIM is not off topic", "快递寄来的手机卡怎么激活", None},
		{"where a story happened is not off topic", "坐地铁的时候手机丢了，号码怎么停", None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Route(tt.text); got != tt.want {
				t.Errorf("Route(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestRouter_Route_OneGroupCombo(t *testing.T) {
	r, err := ParseRouter([]byte(`
intents:
  - name: offtopic
    combos:
      - all: [[淘宝, 京东]]
        unless: [手机卡]
`))
	if err != nil {
		t.Fatalf("ParseRouter: %v", err)
	}
	if got := r.Route("淘宝怎么退货"); got != OffTopic {
		t.Errorf("one-group combo: got %q, want offtopic", got)
	}
	if got := r.Route("淘宝买的手机卡怎么激活"); got != None {
		t.Errorf("one-group combo with its exclusion: got %q, want none", got)
	}
	if _, err := ParseRouter([]byte("intents: [{name: a, combos: [{all: [x]}]}]")); err == nil {
		t.Error("a one-group combo without unless was accepted")
	}
}
