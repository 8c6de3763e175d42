package form

import (
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	f, p := filled(t)

	want := strings.Join([]string{
		"宽带断网报修",
		"宽带账号：ad12345678",
		"所在区域：朝阳区",
		"详细地址：建国路88号3号楼501",
		"故障现象：完全断网",
		"开始时间：今天",
		"联系电话：13812345678",
		"方便联系时间：随时",
	}, "\n")
	if got := f.Summary(p, LangZh, false); got != want {
		t.Errorf("Summary zh:\n%s\nwant\n%s", got, want)
	}

	masked := f.Summary(p, LangEn, true)
	for _, s := range []string{"Broadband outage", "Broadband account: ad1****5678",
		"District: Chaoyang",
		"Address: 建国路8***", "Contact number: 138****5678", "Problem: No connection at all"} {
		if !strings.Contains(masked, s) {
			t.Errorf("masked summary lacks %q:\n%s", s, masked)
		}
	}
	for _, secret := range []string{"13812345678", "ad12345678", "88号"} {
		if strings.Contains(masked, secret) {
			t.Errorf("masked summary shows %q:\n%s", secret, masked)
		}
	}
}

func TestSummary_SkippedAndFreeText(t *testing.T) {
	f, p := startAt(t, "other_fault", "description")
	for _, a := range []string{"短信收不到验证码", "上周三开始", "13812345678", "跳过"} {
		f.Answer(&p, a, "", LangZh)
	}
	got := f.Summary(p, LangZh, true)
	if !strings.Contains(got, "开始时间：上周三开始") || strings.Contains(got, "方便联系时间") {
		t.Errorf("summary:\n%s", got)
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, number, text string }{
		{"13812345678", "138****5678", "138***"},
		{"01012345678", "010****5678", "010***"},
		{"12345", "1****", "1***"},
		{"12", "****", "***"},
		{"", "****", "***"},
		{"北京市朝阳区建国路88号3号楼", "北京市****号3号楼", "北京市朝阳***"},
	}
	for _, tt := range tests {
		if got := maskNumber(tt.in); got != tt.number {
			t.Errorf("maskNumber(%q) = %q, want %q", tt.in, got, tt.number)
		}
		if got := maskText(tt.in); got != tt.text {
			t.Errorf("maskText(%q) = %q, want %q", tt.in, got, tt.text)
		}
	}
}

func TestByRole(t *testing.T) {
	f, p := filled(t)
	tests := map[Role]string{
		RoleServiceNumber: "ad12345678", RoleContact: "13812345678", RoleArea: "chaoyang",
		RoleAddress: "建国路88号3号楼501", Role("nothing"): "",
	}
	for r, want := range tests {
		if got := f.ByRole(p, r); got != want {
			t.Errorf("ByRole(%s) = %q, want %q", r, got, want)
		}
	}
}
