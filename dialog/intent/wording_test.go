package intent

import "testing"

// TestRouter_Route_Wording checks further ways subscribers word things, in
// sentences of our own: a complaint beside a rhetorical question, abuse
// without a target, reporting staff; a ticket named by its reply or its
// technician; calling a manager out; slang and broken English for a dead
// network; calls that cannot reach the subscriber; questions about
// passwords, data used fast or switching to 4G that mention a fault; and
// handsets, other apps and shop hours as chatter.
func TestRouter_Route_Wording(t *testing.T) {
	r := loadShipped(t)
	tests := []struct {
		name, text string
		want       Name
	}{
		{"complaint: beside a rhetorical question", "客服态度恶劣，怎么能这样对待用户", Complaint},
		{"complaint: stated with any question word", "我要投诉，这是什么破网", Complaint},
		{"question: complaint hotline asked with intent", "我想投诉，投诉电话是多少", None},
		{"question: complaining about spam", "我要投诉骚扰电话", None},
		{"complaint: abuse without a target", "什么霸王条款，太坑人了", Complaint},
		{"complaint: reporting staff", "我要举报你们营业员私自改我套餐", Complaint},
		{"complaint: english without to", "I want complain, your service is very bad", Complaint},
		{"status: waiting for a reply", "上次反映的问题有回复了吗", Status},
		{"status: the booked technician", "约好的维修师傅怎么还没来", Status},
		{"agent: calling the manager out", "叫你们经理出来跟我说", Agent},
		{"agent: after asking about the bot", "你是机器人吧，我要找真人", Agent},
		{"fault: network slang", "家里的网又崩了", Fault},
		{"fault: wifi gone", "wifi突然就没了", Fault},
		{"fault: weak signal with an adverb", "卧室里信号很弱", Fault},
		{"fault: text will not send", "短信总是发送失败", Fault},
		{"fault: callers cannot reach me", "别人打我电话都说无法接通", Fault},
		{"fault: broken english", "my wifi no work", Fault},
		{"fault: english quality", "internet speed is awful tonight", Fault},
		{"fault: english cannot receive", "I can't receive text messages", Fault},
		{"fault: another handset tried", "手机没信号了，换了手机也一样", Fault},
		{"question: data used fast", "网速慢流量还跑得特别快", None},
		{"question: a password", "wifi连不上了，密码是不是被改了", None},
		{"question: switching to 4g", "5g信号不好想切换到4g", None},
		{"offtopic: handset settings", "华为手机怎么截屏", OffTopic},
		{"offtopic: another app's account", "抖音账号怎么注销", OffTopic},
		{"offtopic: shop hours", "营业厅周末几点开门", OffTopic},
		{"question: a shop for an errand", "补卡要去哪个营业厅办", None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Route(tt.text); got != tt.want {
				t.Errorf("Route(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
