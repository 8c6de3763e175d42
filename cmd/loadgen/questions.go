package main

// questions are knowledge-base questions as subscribers phrase them,
// taken from the alternates of configs/faq.yaml; each has an answer
// there.
var questions = []string{
	"看下余额",
	"月结账单怎么查",
	"查通话清单",
	"在哪交话费",
	"微信能充话费吗",
	"流量用了多少G了",
	"看下我还有多少流量",
	"想订个流量加油包",
	"我办的是哪个套餐",
	"改套餐",
	"宽带移机",
	"想新开一个号码",
	"营业厅几点开门",
}

// faultOpening starts the broadband fault form.
const faultOpening = "家里宽带断网了"

// askAgent asks for a person.
const askAgent = "转人工"

// ratingAnswer is the subscriber's rating after an agent closes.
const ratingAnswer = "5"

// formAnswer is the answer to a question of the broadband fault form,
// found by a word of the question. The order matters: the account's
// question mentions a landline number, so it comes before the contact.
type formAnswer struct {
	asks   string
	answer string
}

// broadbandForm answers the broadband fault form; the account is made
// per report.
var broadbandForm = []formAnswer{
	{"宽带账号", ""},
	{"哪个区", "朝阳区"},
	{"详细地址", "朝阳区建国路88号3单元502"},
	{"什么时候开始", "今天"},
	{"电话", contactNumber},
	{"什么时间方便", "下午"},
}
