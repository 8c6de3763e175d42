package dialog

import (
	"fmt"
	"strings"
	"time"
)

var testNow = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// minimalTexts is a messages file whose texts are "zh:<key>" and
// "en:<key>", so tests can see which text was chosen.
func minimalTexts() []byte {
	var b strings.Builder
	for _, k := range append(requiredTexts, ticketTexts...) {
		fmt.Fprintf(&b, "%s:\n  zh: \"zh:%s\"\n  en: \"en:%s\"\n", k, k, k)
	}
	return []byte(b.String())
}
