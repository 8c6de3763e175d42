package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestMain runs the tests, then scans every log the gateways they started
// wrote for personal data: phone, identity card and bank card numbers,
// street addresses, and the subscribers' texts the tests send. A log line
// holding any fails the run, naming the test and the line.
func TestMain(m *testing.M) {
	code := m.Run()
	removeTestSettings()
	leaks := scanCapturedLogs()
	if testing.Verbose() {
		capturedLogs.mu.Lock()
		fmt.Fprintf(os.Stderr, "log scan: %d gateway logs scanned for %d subscriber texts and the patterns\n",
			len(capturedLogs.logs), len(subscriberTexts()))
		capturedLogs.mu.Unlock()
	}
	if len(leaks) > 0 {
		fmt.Fprintf(os.Stderr, "personal data in the gateway logs (%d lines):\n", len(leaks))
		for _, l := range leaks {
			fmt.Fprintln(os.Stderr, "  "+l)
		}
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// capturedLog is one gateway's log and the test that ran it.
type capturedLog struct {
	test string
	buf  *syncBuffer
}

// capturedLogs are every log kept for the scan.
var capturedLogs struct {
	mu   sync.Mutex
	logs []capturedLog
}

// captureLog returns a new log buffer for a gateway the named test runs,
// scanned after the tests.
func captureLog(test string) *syncBuffer {
	b := &syncBuffer{}
	capturedLogs.mu.Lock()
	capturedLogs.logs = append(capturedLogs.logs, capturedLog{test: test, buf: b})
	capturedLogs.mu.Unlock()
	return b
}

// scanLogLevel lets a run log at another level than the settings',
// HOTLINE_SCAN_LOG_LEVEL=debug to scan the debug logs too.
func scanLogLevel(getenv func(string) string) func(string) string {
	level := os.Getenv("HOTLINE_SCAN_LOG_LEVEL")
	if level == "" {
		return getenv
	}
	return func(k string) string {
		if k == "HOTLINE_LOG_LEVEL" {
			return level
		}
		if getenv == nil {
			return ""
		}
		return getenv(k)
	}
}

// Personal data as it would show in a log line. A number glued to letters
// or digits is part of an id (conversation and message ids are hex) and
// does not count.
var logLeakPatterns = map[string]*regexp.Regexp{
	"mobile number": regexp.MustCompile(`(?:^|[^0-9A-Za-z_])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?:$|[^0-9A-Za-z_])`),
	"id card number": regexp.MustCompile(`(?:^|[^0-9A-Za-z_])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])` +
		`(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?:$|[^0-9A-Za-z_])`),
	"bank card number":  regexp.MustCompile(`(?:^|[^0-9A-Za-z_])(?:62|4[0-9]|5[1-5])[0-9]{14,17}(?:$|[^0-9A-Za-z_])`),
	"address":           regexp.MustCompile(`\p{Han}{2,}(?:路|街|大道|巷|弄)[0-9]+号|[0-9]+(?:号楼|栋)[0-9]+单元|[0-9]+ [A-Z][a-z]+ (?:St|Street|Ave|Road)\b`),
	"full-width digits": regexp.MustCompile(`[０-９]{7,}`),
	// The tests' OpenIDs (oWX-…) and ones of WeChat's own form.
	"wechat openid": regexp.MustCompile(`\boWX-[A-Za-z0-9-]+|(?:^|[^0-9A-Za-z_-])o[A-Za-z0-9_-]{27}(?:$|[^0-9A-Za-z_-])`),
}

// scanCapturedLogs returns one line per log line that holds personal data.
func scanCapturedLogs() []string {
	texts := subscriberTexts()
	capturedLogs.mu.Lock()
	logs := append([]capturedLog(nil), capturedLogs.logs...)
	capturedLogs.mu.Unlock()
	var out []string
	for _, l := range logs {
		for i, line := range strings.Split(l.buf.String(), "\n") {
			if what := logLeak(line, texts); what != "" {
				out = append(out, fmt.Sprintf("%s: log line %d: %s: %s", l.test, i+1, what, clip(line)))
			}
		}
	}
	return out
}

// dataDirAttr is the data folder in the start-up line, which the tests
// name after themselves and a random number: "shared-1" and 3759979496
// would read as a mobile number.
var dataDirAttr = regexp.MustCompile(`data_dir=\S*`)

// logLeak names the personal data a log line holds, or returns "".
func logLeak(line string, texts []string) string {
	line = dataDirAttr.ReplaceAllString(line, "data_dir=…")
	names := make([]string, 0, len(logLeakPatterns))
	for name := range logLeakPatterns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if logLeakPatterns[name].MatchString(line) {
			return name
		}
	}
	for _, t := range texts {
		if strings.Contains(line, t) {
			return "subscriber text " + strconv.Quote(t)
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) <= 400 {
		return s
	}
	return s[:400] + "…"
}

// subscriberTexts are the texts this package's tests send as subscribers:
// their string literals with Chinese in them, of four characters or more,
// leaving out those the shipped settings hold (the bot's own texts, the
// knowledge base's wordings and the forms' labels, which may be logged).
func subscriberTexts() []string {
	shipped := shippedTexts()
	files, _ := filepath.Glob("*_test.go")
	seen := map[string]bool{}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && hasHan(s) && utf8.RuneCountInString(s) >= 4 && !seen[s] &&
				!strings.Contains(shipped, s) {
				seen[s] = true
				out = append(out, s)
			}
			return true
		})
	}
	return out
}

// shippedTexts is every settings file of configs/, joined.
func shippedTexts() string {
	var b strings.Builder
	_ = filepath.WalkDir("../../configs", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".go")) {
			data, _ := os.ReadFile(path)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// The scan finds what it should and leaves ids and times alone.
func TestLogLeak(t *testing.T) {
	texts := []string{"我家宽带断了"}
	leaks := []string{
		`level=INFO msg=x phone=13812345678`,
		`level=INFO msg=x to=+8613812345678`,
		`level=WARN msg="send failed" error="to 138 1234 5678: timeout"`,
		`level=INFO msg=x id=11010519491231002X`,
		`level=INFO msg=x card=6222021234567890128`,
		`level=INFO msg=x addr=朝阳区建国路88号`,
		`level=INFO msg=x addr="123 Main St"`,
		`level=INFO msg=x text=我家宽带断了`,
		`level=INFO msg=x text=１３８１２３４５６７８`,
		`level=WARN msg="send failed" to=oWX-answer-0001`,
		`level=WARN msg="send failed" to=oAbCdEfGhIjKlMnOpQrStUvWxYz0`,
	}
	for _, l := range leaks {
		if logLeak(l, texts) == "" {
			t.Errorf("not found: %s", l)
		}
	}
	clean := []string{
		`time=2026-12-03T14:30:00.000+08:00 level=INFO msg="gateway serving" addr=127.0.0.1:38123`,
		`level=INFO msg=x conversation=c_0190a13812345678 message=m_019013812345678aa`,
		`level=INFO msg=x subscriber=sub_3f2a13812345678901 ticket=TK20261203-000001`,
		`level=INFO msg=x phone=+86138****5678 at=1733212345678901234`,
	}
	for _, l := range clean {
		if what := logLeak(l, texts); what != "" {
			t.Errorf("%s found in: %s", what, l)
		}
	}
}
