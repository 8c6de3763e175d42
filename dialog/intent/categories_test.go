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

// TestRouter_Route_MoreCategories checks further categories of wording in
// sentences of our own: failures worded as lights, busy tones, drops and
// measured speeds; questions about meanings, settings, a new handset or a
// trip abroad; complaints about staff behaviour and a bare complaint;
// tickets named by what was filed; asking whether or where a human is;
// and another operator's own services.
func TestRouter_Route_MoreCategories(t *testing.T) {
	r := loadShipped(t)
	tests := []struct {
		name, text string
		want       Name
	}{
		{"fault: no light at all", "路由器上面的灯一个都不亮", Fault},
		{"fault: a connection that fails", "电视盒子提示网络连接失败", Fault},
		{"fault: busy tone", "座机一拿起来就是忙音", Fault},
		{"fault: drops now and then", "wifi每过一阵就掉一次", Fault},
		{"fault: measured speed", "晚上测速才0.3兆", Fault},
		{"fault: light flashing", "光猫有个灯在闪", Fault},
		{"fault: a long pause before the failure", "宽带从昨天晚上到今天一直连不上", Fault},
		{"question: what a light means", "光猫的灯一直闪是什么意思", None},
		{"question: how to set it up", "短信发不出去，要怎么设置", None},
		{"question: a new handset", "换了新手机以后上不了网", None},
		{"question: abroad", "在日本手机没信号", None},
		{"complaint: staff behaviour about a visit", "来装宽带的师傅态度极差", Complaint},
		{"complaint: the bare word", "投诉", Complaint},
		{"question: how to complain about behaviour", "师傅态度不好怎么投诉", None},
		{"status: what was filed", "前两天提交的维修申请到哪一步了", Status},
		{"status: asked to look up", "帮我查一下报修的工单", Status},
		{"agent: is there a human", "有没有真人可以聊", Agent},
		{"agent: where is the human", "人工在哪", Agent},
		{"offtopic: another operator's service", "中国联通的流量卡怎么办", OffTopic},
		{"porting from another operator is a question", "中国联通的号码想转到你们", None},
		{"offtopic: handset repair", "华为手机摄像头坏了去哪修", OffTopic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Route(tt.text); got != tt.want {
				t.Errorf("Route(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
