package intent

import "testing"

// loadShipped loads the phrase file the gateway ships with.
func loadShipped(t *testing.T) *Router {
	t.Helper()
	r, err := LoadRouter("../../configs/intents.yaml")
	if err != nil {
		t.Fatalf("LoadRouter: %v", err)
	}
	return r
}

// TestRouter_Route_Shipped checks the shipped phrases against categories
// of how subscribers write, in sentences of our own.
func TestRouter_Route_Shipped(t *testing.T) {
	r := loadShipped(t)
	tests := []struct {
		name, text string
		want       Name
	}{
		{"agent by a bare word", "人工！", Agent},
		{"agent by a request", "别让机器人回答了，帮我接一下人工", Agent},
		{"agent in english", "Can I speak to a real person please", Agent},
		{"hotline hours are a question", "人工客服晚上几点下班", None},
		{"hotline number is a question", "what is the phone number to reach customer service", None},
		{"bot identity is small talk", "你是真人还是机器人啊", Identity},

		{"complaint stated", "你们乱收费，我要投诉", Complaint},
		{"complaint to the regulator", "再不处理我就去工信部投诉你们", Complaint},
		{"complaint by abuse", "你们客服态度太差了", Complaint},
		{"complaint in english", "I'd like to make a complaint about your staff", Complaint},
		{"how to complain is a question", "对装维师傅不满意要怎么投诉", None},
		{"complaint hotline is a question", "申诉电话是多少", None},
		{"a call back after a complaint is a question", "投诉以后会给我回电吗", None},
		{"asked to file it", "帮我投诉他们", Complaint},

		{"status by ticket number", "tk20261101889 到哪一步了", Status},
		{"status by sms keyword", "CX", Status},
		{"status of my repair", "我上次报的维修单处理得怎么样了", Status},
		{"how to check progress is a question", "维修进度在哪里看", None},

		{"fault: broadband down", "家里宽带从早上开始就断了", Fault},
		{"fault: intermittent drops", "网络老掉线，时好时坏的", Fault},
		{"fault: no signal", "手机突然没信号了", Fault},
		{"fault: near-zero speed", "网速只有几kb，根本打不开网页", Fault},
		{"fault: modem light", "光猫上面一直亮红灯", Fault},
		{"fault: dial-up error code", "电脑连宽带提示691", Fault},
		{"fault: landline", "座机打不出去也接不到电话", Fault},
		{"fault: tv box", "机顶盒开机后一直黑屏", Fault},
		{"fault: english down", "our internet has been down since last night", Fault},
		{"fault: english cannot", "I cannot make calls on my phone", Fault},
		{"repair time is a question", "宽带断网报修以后多久有人来", None},
		{"repair in english is a question", "how long does a fiber repair usually take", None},
		{"hypothetical is a question", "如果宽带坏了要怎么处理", None},
		{"account cause is a question", "欠费停机后交了钱还是上不了网", None},
		{"data used up is a question", "流量用完了网速特别慢", None},
		{"abroad is a question", "到了国外手机没信号", None},
		{"other operator is out of scope", "联通的宽带断了", OffTopic},

		{"handset price is off topic", "小米手机现在什么价格", OffTopic},
		{"handset repair is off topic", "手机屏幕碎了去哪修", OffTopic},
		{"phone card price is not off topic", "补一张手机卡要多少钱", None},

		{"cancel alone", "算了算了", Cancel},
		{"cancel of a report", "不报了", Cancel},
		{"cancel of a report, later", "先不报了吧", Cancel},
		{"cancel of a complaint", "不投诉了", Cancel},
		{"cancel in English", "forget it", Cancel},
		{"cancel of a service is a question", "怎么取消呼叫转移", None},
		{"greeting alone", "您好，在吗", Greeting},
		{"greeting before a question is not small talk", "你好，我想查一下话费", None},
		{"thanks alone", "好的谢谢", Thanks},
		{"question alone", "怎么开电子发票", None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Route(tt.text); got != tt.want {
				t.Errorf("Route(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
