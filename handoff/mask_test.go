package handoff

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		// Mobile numbers, in the forms subscribers type them.
		{"我的手机13812345678没信号", "我的手机138****5678没信号"},
		{"手机+86 13912345678", "手机+86 139****5678"},
		{"+8613912345678", "+86139****5678"},
		{"008613912345678", "0086139****5678"},
		{"电话 139-1234-5678 或 139 1234 5678", "电话 139-****-5678 或 139 **** 5678"},
		{"号码：+86-150-0123-4567", "号码：+86-150-****-4567"},
		{"手机１３８１２３４５６７８", "手机１３８****５６７８"},
		{"两个号码13812345678和13912345678", "两个号码138****5678和139****5678"},
		{"call me on 17612345678.", "call me on 176****5678."},
		// Landlines.
		{"座机010-62345678", "座机010-****5678"},
		{"座机0571-88886666转分机", "座机057*-****6666转分机"},
		{"(010) 6234 5678", "(010) **** 5678"},
		{"家里电话02162345678", "家里电话021****5678"},
		// Identity card numbers, with a right check character or not.
		{"身份证11010519491231002X", "身份证110***********002X"},
		{"身份证11010519491231002x也行", "身份证110***********002x也行"},
		{"身份证号110105194912310021", "身份证号110***********0021"},
		{"身份证４４０３０１１９９００３０７１２３４", "身份证４４０***********１２３４"},
		{"老身份证110105491231002", "老身份证110********1002"},
		// Bank cards: a Luhn-valid 13 to 15 digits, or any 16 to 19.
		{"卡号6222021234567890128", "卡号622************0128"},
		{"卡号 6222 0212 3456 7890 128", "卡号 622* **** **** ***0 128"},
		{"visa 4111 1111 1111 1111", "visa 411* **** **** 1111"},
		{"卡号4111111111111111", "卡号411*********1111"},
		{"扣款卡6225880112345679", "扣款卡622*********5679"},
		// Chinese addresses: the district stays, the street on goes.
		{"地址是北京市朝阳区建国路88号", "地址是北京市朝阳区******"},
		{"我家住在朝阳区建国路88号院3号楼2单元501室", "我家住在朝阳区*****************"},
		{"上海市浦东新区世纪大道100号", "上海市浦东新区********"},
		{"杭州西湖区文三路478号华星时代广场", "杭州西湖区*******华星时代广场"},
		{"我在中关村大街1号", "我在*******"},
		{"寄到海淀区阳光小区3栋2单元501室", "寄到海淀区*************"},
		{"南京市鼓楼区中山北路2-8号", "南京市鼓楼区*****-**"},
		{"5号楼1单元302需要上门", "*********需要上门"},
		{"天通苑二期7号楼", "********"},
		{"北京东城区南锣鼓巷12号", "北京东城区*******"},
		// English addresses.
		{"I live at 123 Main St, Springfield", "I live at *** **** **, Springfield"},
		{"ship to 4500 North Lake Shore Drive, Apt 12B", "ship to **** ***** **** ***** *****, *** ***"},
		{"42 Baker Street", "** ***** ******"},
		// Several kinds in one message.
		{"我叫李华，电话13812345678，住朝阳区建国路88号", "我叫李华，电话138****5678，住朝阳区******"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// Texts that hold numbers or places but nothing personal stay as they
// are.
func TestMaskLeavesAlone(t *testing.T) {
	for _, in := range []string{
		"工单TK20261203-000123",
		"工单号 TK20261203-000001 进度如何",
		"TK20261203000001",
		"故障单OG20261201-000042",
		"流水号2138123456789",
		"宽带账号ad12345678",
		"套餐128元每月，流量30GB",
		"价格¥1299.00，优惠￥200",
		"2026-12-03 14:30 上门",
		"2026年12月3日前办好",
		"20261203",
		"订了3000件，单价12.5元",
		"请拨打10086或10010",
		"400-810-8888",
		"验证码 482913",
		"宽带100M升级到1000M",
		"订单号 1234567890",
		"我的路由器坏了",
		"5G套餐",
		"朝阳区今天停电了吗",
		"路上堵车，晚到10分钟",
		"第3号线路",
		"v2.1.10版本",
		"IMSI 46000",
		"order 1234 of 12 items at 3 Main",
	} {
		if got := Mask(in); got != in {
			t.Errorf("Mask(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestFindSensitive(t *testing.T) {
	text := "电话13812345678，身份证11010519491231002X，座机0571-88886666，卡6222021234567890128，住建国路88号"
	got := FindSensitive(text)
	want := []string{KindMobile, KindIDCard, KindLandline, KindBankCard, KindAddress}
	if len(got) != len(want) {
		t.Fatalf("found %+v, want kinds %v", got, want)
	}
	for i, s := range got {
		if s.Kind != want[i] {
			t.Errorf("finding %d is %s (%q), want %s", i, s.Kind, text[s.Start:s.End], want[i])
		}
	}
	spans := map[int]string{1: "11010519491231002X", 4: "建国路88号"}
	for i, w := range spans {
		if n := text[got[i].Start:got[i].End]; n != w {
			t.Errorf("finding %d span = %q, want %q", i, n, w)
		}
	}
}

// The offsets are those of the original text, full-width digits and all.
func TestFindSensitiveFullWidthOffsets(t *testing.T) {
	text := "号码＋８６　１３８１２３４５６７８。"
	got := FindSensitive(text)
	if len(got) != 1 || text[got[0].Start:got[0].End] != "１３８１２３４５６７８" {
		t.Fatalf("found %+v in %q", got, text)
	}
}

// FuzzMask masks any text: what comes out holds no phone, ID or card
// number the finder can still see.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"13812345678", "11010519491231002X", "010-62345678",
		"TK20261203-000123", "朝阳区建国路88号", "１３８１２３４５６７８", "6222 0212 3456 7890 128",
		"123 Main St", "\xff13812345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		for _, f := range FindSensitive(m) {
			if f.Kind != KindAddress { // a masked address may leave a shorter one
				t.Fatalf("a masked text still holds a number %q: %q", m[f.Start:f.End], m)
			}
		}
		if strings.Count(m, "") < strings.Count(s, "")/3 {
			t.Fatalf("Mask lost most of the text: %q → %q", s, m)
		}
	})
}
