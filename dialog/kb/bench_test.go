package kb

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// shippedQueries are questions in the style subscribers write, used to
// time the shipped knowledge base.
var shippedQueries = []string{
	"话费还剩多少", "这个月流量用了多少G", "宽带断了多久能修好", "怎么开电子发票",
	"出国前要开通什么", "手机丢了怎么办", "how do I check my balance", "想换个便宜点的套餐",
	"携号转网需要什么条件", "你好，我想问一下我家里wifi密码忘了怎么重新设置啊",
	"今天天气怎么样", "副卡一个月多少钱",
}

func BenchmarkMatch_Shipped(b *testing.B) {
	const path = "../../configs/faq.yaml"
	if _, err := os.Stat(path); err != nil {
		b.Skipf("%s not found", path)
	}
	base, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkMatch(b, base, shippedQueries)
}

func BenchmarkMatch_2000(b *testing.B) {
	base, queries := generatedBase(b, 2000)
	benchmarkMatch(b, base, queries)
}

func benchmarkMatch(b *testing.B, base *Base, queries []string) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		base.Match(queries[i%len(queries)])
	}
}

// Term lists that generated entries combine.
var (
	genSubjects = []string{
		"话费", "流量", "宽带", "套餐", "副卡", "积分", "发票", "国际漫游", "彩铃", "固话",
		"光猫", "路由器", "携号转网", "实名登记", "销户", "停机保号", "补卡", "服务密码", "5G网络",
		"国际长途", "来电显示", "呼叫转移", "云盘", "天翼看家", "IPTV", "机顶盒", "合约", "靓号",
		"家庭共享", "流量包", "语音包", "短信包", "宽带提速", "网络电视", "视频会员", "翼支付",
	}
	genActions = []string{
		"查询", "办理", "取消", "修改", "开通", "退订", "续费", "变更", "恢复", "转移",
		"升级", "暂停", "注销", "申请", "绑定", "解绑", "预约", "退款", "补办", "激活",
	}
	genFrames = []string{
		"怎么%s%s？", "在哪里%s%s？", "%s%s要多少钱？", "%s%s需要多久？", "为什么不能%s%s？",
		"%s%s需要带什么材料？", "%s%s有什么条件？", "%s%s会收费吗？", "%s%s什么时候生效？", "网上能%s%s吗？",
	}
	genChannels = []string{"APP", "营业厅", "短信10001", "拨打10000", "微信公众号", "网上营业厅"}
)

// generatedBase builds a knowledge base of n entries from the term lists
// with a fixed seed, and questions to match against it.
func generatedBase(tb testing.TB, n int) (*Base, []string) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2026, 7))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	var doc strings.Builder
	doc.WriteString("entries:\n")
	var queries []string
	for i := range n {
		subj, act := pick(genSubjects), pick(genActions)
		frame := genFrames[i%len(genFrames)]
		fmt.Fprintf(&doc, "  - id: gen_%d\n    question: %q\n", i, fmt.Sprintf(frame, act, subj))
		fmt.Fprintf(&doc, "    alternates: [%q, %q, %q]\n",
			fmt.Sprintf(pick(genFrames), act, subj), subj+act+"的流程", "我想"+act+pick(genSubjects))
		fmt.Fprintf(&doc, "    answer: %q\n", "您可以通过"+pick(genChannels)+act+subj+"，一般"+
			fmt.Sprint(rng.IntN(48)+1)+"小时内完成，费用以当地标准为准。")
		if i%40 == 0 {
			queries = append(queries, "你好，请问"+subj+"怎么"+act+"啊", act+subj, "我的"+subj+"好像有问题")
		}
	}
	base, err := Parse([]byte(doc.String()))
	if err != nil {
		tb.Fatalf("generated base: %v", err)
	}
	return base, append(queries, shippedQueries...)
}

func TestGeneratedBase(t *testing.T) {
	base, queries := generatedBase(t, 200)
	if base.Len() != 200 || len(queries) == 0 {
		t.Fatalf("generated %d entries and %d queries", base.Len(), len(queries))
	}
	if r := base.Match(queries[0]); len(r.Candidates) == 0 {
		t.Errorf("Match(%q) found no candidates in the generated base", queries[0])
	}
}
