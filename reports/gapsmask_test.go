package reports

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hotline/dialog"
)

// The gaps report, as JSON and as CSV, shows no personal data of the
// questions it groups: numbers of every kind and street addresses are
// masked.
func TestAPI_GapsMaskPersonalData(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, shanghai)
	asked := now.Add(-time.Hour)
	secrets := []string{"13812345678", "13912345678", "11010519491231002X", "6222021234567890128",
		"62345678", "建国路88号", "中关村大街1号", "123 Main St"}
	var qs unanswered
	for i, text := range []string{
		"宽带怎么装 我的手机13812345678", "宽带怎么装 手机+86 139 1234 5678",
		"身份证11010519491231002X怎么补卡", "银行卡6222021234567890128扣费失败",
		"座机010-62345678没声音", "宽带装到朝阳区建国路88号", "宽带装到海淀区中关村大街1号",
		"broadband install at 123 Main St",
	} {
		qs = append(qs, dialog.Unanswered{ConversationID: string(rune('a' + i)), Text: text, At: asked})
	}
	api := NewAPI(Config{
		Days: NewDays(&memSource{}, shanghai, func() time.Time { return now }),
		Live: noLive{}, Access: headerAccess{}, Names: names{}, Unanswered: qs,
		Now: func() time.Time { return now },
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	for _, path := range []string{PathPrefix + "gaps", PathPrefix + "gaps?format=csv"} {
		resp, body := get(t, srv, path, "supervisor")
		if resp.StatusCode != 200 || !strings.Contains(body, "宽带") {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("%s shows %q:\n%s", path, s, body)
			}
		}
	}
}
