package textnorm

import (
	"strings"
	"unicode/utf8"
)

// homophoneGroups lists common characters that share a reading (ignoring
// tone), one group per space-separated word. Pinyin input methods make
// subscribers pick the wrong character of a group (刘量 for 流量, 慢游 for
// 漫游). A group may also hold a character one pinyin letter away that
// input methods often offer instead (浪 lang for 量 liang: 流浪 for 流量).
// No character belongs to two groups.
const homophoneGroups = "" +
	"流刘留琉硫浏 量两亮辆谅晾浪 漫慢曼蔓谩 充冲 账帐仗胀涨丈障章张掌 " +
	"费废沸肺飞非 话画化划华滑 宽款 带代待袋贷戴 户护互沪糊虎呼乎忽湖壶胡 " +
	"号好耗浩豪毫 码马吗妈骂麻玛 销消宵萧硝 套涛讨逃淘桃 餐参残惨蚕 " +
	"额恶饿鹅俄讹 余鱼于与愉娱渔 查茶察差搽 询寻循旬巡训迅讯 办半伴扮拌版板 " +
	"理里李礼 信心新欣辛薪 机鸡基积激击 网往忘王望旺 速素诉塑宿 修休羞秀袖绣 " +
	"报包保抱宝饱爆暴 投头透偷 补不步布部捕 转专砖赚 移一已以依衣医仪宜遗 " +
	"续序绪叙需虚许 约月越阅乐悦跃 游由邮油有友又右尤犹 停听庭挺亭婷厅 密秘蜜觅 " +
	"注住主助驻著柱祝 退推腿颓 订定顶丁钉 短断段锻端 光广逛 猫毛帽冒貌茂贸 " +
	"红洪宏虹鸿轰哄 灯登等蹬邓凳 拨波播博伯泊薄 通同铜童桶统痛 资姿滋紫子字自 " +
	"票漂飘 发法乏罚伐阀 彩菜采踩财才材裁 铃零灵领令龄玲凌岭另 扣寇口叩 " +
	"钱前潜浅欠 卡咖 分份粉奋纷 送宋颂诵 视是事市式试世势适示实时十识使始失施师诗湿 " +
	"频品贫拼 路陆录鹿露 营赢迎盈影应 业页夜叶液 单担丹耽胆 " +
	"服福付复副负富夫扶浮府附 务物误悟雾无五午舞 收手守首受授售兽寿 入如儒乳辱 " +
	"线现县限先鲜显险闲 换还环欢缓患幻 交叫较教焦胶角脚缴 值直职植执纸指 " +
	"程成城乘诚承呈 升生声胜省剩盛 故固顾估姑孤 国过果锅郭 港岗刚纲钢 澳奥傲 " +
	"台太态抬泰 兑对队堆 名明鸣铭命 证正政整症郑争征蒸 件见建健键间剑监检减简 " +
	"恢辉灰挥回会汇惠慧 诈炸榨乍 骗片偏篇 骚扫嫂 扰绕饶 举据聚巨句具剧拒局 " +
	"隐引银饮印因音阴 详想享 合和盒核 租组族足阻 到道倒导 结接节借解界届 私思司斯丝四寺 泄写谢些鞋携协斜 炫选旋悬玄宣 掉调吊钓"

// Homophones returns the group of characters that read like r, r included,
// or "" when r is in no group. The result is a substring of a constant, so
// calling it does not allocate.
func Homophones(r rune) string {
	if !IsHan(r) {
		return ""
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	at := strings.Index(homophoneGroups, string(buf[:n]))
	if at < 0 {
		return ""
	}
	start := strings.LastIndexByte(homophoneGroups[:at], ' ') + 1
	end := strings.IndexByte(homophoneGroups[at:], ' ')
	if end < 0 {
		return homophoneGroups[start:]
	}
	return homophoneGroups[start : at+end]
}
