package kb

// builtinSynonyms returns telecom vocabulary that subscribers word in more
// than one way: English and Chinese names of the same thing, colloquial and
// formal Chinese, and common variants. The first term of a group is the
// canonical form. Groups join only words that mean the same in every
// context of customer service; a knowledge base adds its own groups in its
// file.
func builtinSynonyms() [][]string {
	return [][]string{
		// Money and billing.
		{"余额", "balance", "账户余额", "话费余额", "剩余话费", "剩下的话费", "还有多少话费",
			"话费还有多少", "话费还剩多少", "还剩多少话费", "还剩多少钱", "还有多少钱", "剩多少钱",
			"还剩几块钱", "还有几块钱", "credit", "credit left", "money left"},
		{"剩余流量", "流量还剩", "流量余量", "还剩多少流量", "流量还有多少", "data left",
			"流量够不够", "流量还够不够", "流量够用吗", "流量还够用吗", "remaining data"},
		{"话费", "电话费", "手机费", "phone bill"},
		{"账单", "帐单", "bill", "月账单", "statement"},
		{"账户", "帐户", "account"},
		{"账号", "帐号"},
		{"详单", "清单", "明细", "itemized", "itemised", "消费记录", "扣费记录"},
		{"充值", "充话费", "交话费", "缴话费", "缴费", "交费", "续费", "冲值", "存话费", "充钱",
			"交钱", "交完费", "缴完费", "top up", "topup", "recharge", "add credit", "add money",
			"put money on", "pay for my phone"},
		{"到账", "到帐", "入账", "arrive"},
		// Money paid that has not shown up, in English: the words around
		// arrive or receive say it did not.
		{"没到账", "not received", "hasn't arrived", "has not arrived", "not arrived",
			"didn't arrive", "not credited", "haven't received", "didn't receive", "not showing up"},
		{"扣费", "扣钱", "扣款", "乱扣", "多扣", "被扣", "扣掉", "deduct", "deduction"},
		// More than usual.
		{"比平时多", "比以前多", "比往常多", "比上个月多", "突然多了", "so high", "too high",
			"higher than usual", "more than usual", "much higher"},
		{"超出", "超了", "用超", "超额", "超过套餐", "超套", "go over", "exceed",
			"more than my plan", "more data than", "over my plan", "over my data", "over the limit",
			"beyond my plan"},
		{"多少钱", "价格", "价钱", "资费", "cost", "price"},
		{"便宜", "实惠", "cheap", "cheaper", "cheapest"},
		{"退款", "退钱", "refund"},
		{"欠费", "欠款", "arrears", "overdue"},
		{"负数", "负的", "负值", "负了", "negative"},
		{"信用额度", "credit limit", "额度"},
		{"发票", "invoice", "receipt", "fapiao"},
		{"电子发票", "e invoice", "electronic invoice"},
		{"专票", "增值税专用发票", "专用发票", "增票", "vat invoice"},
		{"税号", "纳税人识别号", "tax id", "tax number"},
		{"公司", "单位"},

		// Plans and services.
		{"套餐", "plan", "tariff", "资费套餐", "package"},
		{"降档", "降级", "downgrade"},
		{"升档", "升级套餐", "upgrade"},
		{"月租", "月费", "套餐费", "月租费", "monthly fee", "monthly charge"},
		{"流量", "数据流量", "上网流量", "手机流量", "data", "mobile data"},
		{"流量包", "data pack", "data package", "data bundle"},
		{"日包", "天包", "单日包", "一天的流量包", "一天的包", "day pass", "daily pack"},
		{"剩余", "剩下", "还剩", "left", "remaining", "leftover", "left over", "unused"},
		{"结转", "carry over", "roll over", "rollover", "carry forward"},
		{"积分兑换", "兑换积分", "use points", "spend points", "redeem points",
			"use reward points", "use loyalty points", "积分怎么用", "积分能干嘛", "积分有什么用",
			"积分能换什么"},
		{"兑换", "换东西", "换礼品", "换礼物", "redeem", "redemption"},
		{"合约", "合同", "协议", "contract", "agreement"},
		{"解约", "解除合约", "break contract", "terminate"},
		{"副卡", "附属卡", "secondary card", "secondary sim", "extra sim"},
		{"增值业务", "增值服务", "value added service", "vas"},
		{"退订", "unsubscribe", "opt out"},
		{"订购", "订阅", "subscribe", "subscribed", "subscription", "subscriptions", "sign up for"},
		{"彩铃", "炫铃", "视频彩铃", "ringback tone", "caller tune"},
		{"积分", "points", "reward points", "loyalty points"},
		{"呼叫转移", "呼转", "来电转接", "call forwarding", "forward calls", "call divert",
			"来电转到", "电话转到", "转接到"},
		{"漫游", "roaming"},
		{"国外", "境外", "海外", "国际", "出国", "abroad", "overseas", "international",
			"日本", "韩国", "美国", "泰国", "新加坡", "英国", "法国", "德国", "欧洲", "澳大利亚",
			"加拿大", "马来西亚", "越南", "俄罗斯", "japan", "korea", "usa", "europe", "thailand"},
		{"香港", "hong kong", "hk"},
		{"澳门", "macau", "macao"},

		// Numbers, cards and identity.
		{"号码", "手机号码", "手机号", "电话号码", "phone number", "number"},
		{"手机卡", "电话卡", "sim卡", "号卡", "sim", "sim card"},
		{"补卡", "补办电话卡", "补办手机卡", "replace sim", "replacement sim", "new sim card"},
		{"坏", "broken", "damaged"},
		{"携号转网", "携转", "转网", "号码携带", "转到别家", "转去别家", "换到别家", "换运营商",
			"转运营商", "转到移动", "转到联通", "转移动", "转联通", "转到电信", "从移动转", "从联通转",
			"从广电转", "移动转电信", "联通转电信", "转到你们", "换到你们", "switch carrier", "portability",
			"number porting", "porting", "port out", "port in"},
		{"运营商", "carrier", "operator", "network provider"},
		{"实名", "实名制", "实名登记", "实名认证", "real name", "realname", "real name verification",
			"real name registration", "real name authentication", "identity verification",
			"real name register"},
		{"身份证", "身份证件", "id card", "identity card", "id"},
		{"销户", "注销", "销号", "close account", "cancel number", "cancel phone number",
			"close number", "close phone number", "terminate number", "deactivate number"},
		{"停机", "停号", "suspend", "suspended", "suspension", "pause"},
		{"复机", "恢复使用", "reactivate", "reactivation"},
		{"丢失", "丢了", "被偷", "被盗", "遗失", "lost", "stolen", "lose", "stole", "steal",
			"robbed", "pickpocketed"},
		{"挂失", "report lost", "block sim"},
		{"机主", "户主", "号主", "owner", "account holder"},
		{"过户", "改机主", "换机主", "更改机主", "变更机主", "transfer ownership", "change owner"},
		{"密码", "password", "pwd", "passcode", "pin"},
		{"服务密码", "service password", "service pin", "service code"},
		{"验证码", "verification code", "otp", "短信验证码"},
		{"隐私", "个人信息", "privacy", "personal information", "personal data"},
		{"泄露", "泄漏", "外泄", "leak", "leaked"},

		// Calls, messages and fraud.
		{"电话", "phone call", "call"},
		{"短信", "sms", "text message", "text", "短讯"},
		{"垃圾短信", "骚扰短信", "广告短信", "营销短信", "推销短信", "spam", "spam text",
			"junk sms", "promo text", "promotional text", "marketing text"},
		{"骚扰电话", "推销电话", "营销电话", "spam call", "robocall", "nuisance call"},
		{"诈骗", "骗子", "电信诈骗", "电诈", "scam", "fraud", "scammer"},
		{"举报", "揭发"},
		{"投诉", "complain", "complaint", "反映问题", "提意见", "意见反馈"},
		{"工信部", "工业和信息化部", "miit"},
		{"客服", "customer service", "客服人员"},
		{"客服电话", "客服热线", "服务热线", "hotline"},
		{"人工", "human", "real person", "live agent"},

		// Network, broadband and devices.
		{"宽带", "broadband", "fiber", "fibre", "光纤", "光纤宽带", "家里的网", "家里网络",
			"家庭网络", "home internet"},
		{"wifi", "wi fi", "无线网", "无线网络", "无线", "wlan"},
		{"光猫", "modem", "调制解调器"},
		{"路由器", "router", "路由"},
		{"网速", "internet speed", "speed"},
		{"信号", "signal", "reception"},
		{"座机", "固话", "固定电话", "landline", "home phone"},
		{"电视", "iptv", "网络电视", "tv"},
		{"机顶盒", "set top box", "盒子"},
		{"手机", "phone", "mobile phone", "cellphone", "cell phone", "handset", "mobile"},
		{"5g", "五g"},
		{"4g", "四g"},
		{"app", "客户端", "手机营业厅", "掌上营业厅"},
		{"营业厅", "门店", "实体店", "营业部", "store", "shop"},
		{"微信", "wechat", "weixin"},
		{"支付宝", "alipay"},

		// Actions.
		{"移机", "搬家", "迁移", "搬到", "搬去", "搬过去", "move house", "moving house", "relocate",
			"move home", "moving home", "move to a new", "moving to a new", "new apartment",
			"new address", "new flat"},
		{"安装", "装机", "报装", "新装", "装", "install", "installation"},
		{"报修", "报障", "维修", "修理", "修", "repair", "fix", "report problem",
			"report fault", "report issue"},
		{"上门", "来人", "home visit", "technician"},
		{"多久", "多长时间", "多少天", "要多久", "几天", "几个小时", "多少小时", "how long",
			"how many days", "how many hours", "how soon"},
		{"关闭", "关掉", "switch off", "turn off", "disable"},
		{"开通", "开启", "打开", "activate", "turn on", "enable"},
		{"修改", "更改", "变更", "改", "change"},
		{"查询", "查看", "查", "check", "look up"},
		{"忘记", "忘了", "不记得", "forgot", "forget"},
		{"取消", "cancel"},
		{"失败", "不成功", "没成功", "fail", "failed", "failure", "unsuccessful"},
		// Used up quickly, in everyday words.
		{"消耗快", "消耗特别快", "消耗很快", "消耗太快", "消耗得快", "用得快", "用得很快", "用得太快",
			"用得这么快", "用这么快", "跑得快", "跑得很快", "跑得太快", "跑得这么快", "跑这么快",
			"跑得飞快", "用得飞快", "掉得快", "too fast", "so fast"},
		{"用完", "用光", "用尽", "耗尽", "用没了", "run out", "ran out", "used up"},
		{"保号", "keep number", "hold number", "reserve number"},
		{"保留", "留着", "留住", "保住", "keep"},
		{"渠道", "途径", "方式", "办法", "方法", "ways", "channels"},
		// Asking whether a message, a call or an offer is genuine.
		{"真假", "是真的吗", "真的吗", "真的假的", "是不是真的", "是假的吗", "靠谱吗", "可信吗",
			"可靠吗", "正规吗", "is it real", "is this real", "legit", "genuine"},
		// Negations worded more than one way.
		{"没", "没有"},
		{"不能", "不可以", "没法", "无法", "cannot", "can't", "unable to"},
		{"营业时间", "上班时间", "opening hours", "business hours"},
		// What something holds.
		{"内容", "包含", "包括", "含有", "included", "include"},

		// Time.
		{"本月", "这个月", "当月", "this month"},
		{"上月", "上个月", "last month"},
		{"下月", "下个月", "次月", "next month"},
	}
}

// builtinStopPhrases returns words that carry little meaning in a question:
// politeness, question frames, pronouns and particles. Features made only
// of them are dropped and a bigram with one of them weighs half, so a
// message made only of them matches nothing.
func builtinStopPhrases() []string {
	return append([]string{
		// Chinese question frames, pronouns and particles.
		"请问", "问一下", "问下", "想问", "我想", "我要", "想要", "我们", "你们", "您好", "你好",
		"您", "你", "我", "他", "她", "的", "了", "吗", "呢", "啊", "吧", "呀", "哦", "嗯", "嘛",
		"么", "是", "就", "都", "也", "很", "太", "把", "给",
		"怎么", "怎样", "怎么样", "如何", "咋", "咋办", "怎么办", "怎么回事", "什么", "啥",
		"干嘛", "干什么", "哪里", "哪儿", "在哪", "在哪里", "哪个", "哪些", "为什么", "为啥",
		"是不是", "有没有", "能不能", "可不可以", "可以", "能否", "会不会", "要不要",
		"一下", "一个", "这个", "那个", "这种", "那种", "这样", "那样", "现在", "目前",
		"请", "麻烦", "帮我", "帮忙", "谢谢", "一般", "到底", "然后", "但是", "可是", "就是",
		"因为", "所以", "如果", "已经", "自己", "知道", "告诉", "来着", "的话", "一直",
		"总是", "老是", "还是", "或者", "而且", "其实", "非常", "特别", "比较", "有点",
		"好像", "应该", "一些", "有些", "需要", "能够",
		// Chatter around a question: when it happened, how the subscriber
		// feels about it. It sets the scene but names no service.
		"今天", "昨天", "前天", "明天", "刚才", "刚刚", "早上", "上午", "中午", "下午", "晚上",
		"白天", "半天", "一会儿", "简直", "居然", "竟然", "根本", "完全", "反正", "真的",
		"急死了", "烦死了", "气死了", "急死", "烦死", "气死", "拜托", "辛苦", "好吗", "行吗",
		// English function words.
		"a", "an", "the", "i", "i'm", "im", "i'd", "i've", "me", "my", "mine", "you", "your",
		"we", "our", "us", "it", "its", "it's", "is", "are", "am", "was", "were", "be", "been",
		"do", "does", "did", "have", "has", "had", "to", "of", "for", "in", "on", "at", "by",
		"with", "from", "about", "as", "and", "or", "but", "if", "so", "than", "then", "this",
		"that", "these", "those", "there", "here", "how", "what", "when", "where", "which",
		"who", "why", "can", "could", "would", "should", "will", "may", "might", "must",
		"please", "pls", "plz", "hi", "hello", "thanks", "thank", "just", "now", "any", "some",
		"get", "got", "want", "wanna", "like", "know", "tell", "let", "much", "many",
		"very", "really", "too", "also", "still", "again", "ever", "don't", "doesn't",
		"didn't", "can't", "cannot", "not", "no", "yes", "ok", "okay", "one", "way", "what's",
		"how's", "where's", "who's", "there's", "that's", "i'll", "you're", "we're", "today",
	}, genericEnglish...)
}
