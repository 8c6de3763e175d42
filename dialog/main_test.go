package dialog_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestMain runs the tests with the engine, outbox and sweeper logging at
// debug level into a buffer, then fails the run if a log line holds a
// phone, identity card or bank card number, an address, or a text the
// tests send as a subscriber.
func TestMain(m *testing.M) {
	logs := &lockedBuffer{}
	discard = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	code := m.Run()
	texts := testTexts()
	var leaks []string
	lines := strings.Split(logs.String(), "\n")
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "log scan: %d lines, %d subscriber texts\n", len(lines), len(texts))
	}
	for i, line := range lines {
		if what := leakIn(line, texts); what != "" {
			leaks = append(leaks, fmt.Sprintf("log line %d: %s: %s", i+1, what, line))
		}
	}
	if len(leaks) > 0 {
		fmt.Fprintf(os.Stderr, "personal data in the dialog tests' logs (%d lines):\n  %s\n",
			len(leaks), strings.Join(leaks, "\n  "))
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// lockedBuffer collects logs from concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// leakPatterns are personal data as a log line would show it; a number
// glued to letters or digits is part of an id.
var leakPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	{"mobile number", regexp.MustCompile(`(?:^|[^0-9A-Za-z_])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?:$|[^0-9A-Za-z_])`)},
	{"id card number", regexp.MustCompile(`(?:^|[^0-9A-Za-z_])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?:$|[^0-9A-Za-z_])`)},
	{"bank card number", regexp.MustCompile(`(?:^|[^0-9A-Za-z_])(?:62|4[0-9]|5[1-5])[0-9]{14,17}(?:$|[^0-9A-Za-z_])`)},
	{"address", regexp.MustCompile(`\p{Han}{2,}(?:路|街|大道|巷|弄)[0-9]+号|[0-9]+(?:号楼|栋)[0-9]+单元`)},
	{"full-width digits", regexp.MustCompile(`[０-９]{7,}`)},
}

func leakIn(line string, texts []string) string {
	for _, p := range leakPatterns {
		if p.re.MatchString(line) {
			return p.name
		}
	}
	for _, t := range texts {
		if strings.Contains(line, t) {
			return "subscriber text " + strconv.Quote(t)
		}
	}
	return ""
}

// testTexts are the texts the tests send as subscribers or agents: the
// scripts' say and agent_says lines and the tests' string literals with
// Chinese in them, four characters or longer, leaving out what the
// shipped settings hold (the bot's own texts, which may be logged).
func testTexts() []string {
	var shipped strings.Builder
	_ = filepath.WalkDir("../configs", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			shipped.Write(b)
		}
		return nil
	})
	seen := map[string]bool{}
	var out []string
	scripts, _ := filepath.Glob("testdata/scripts/*.yaml")
	for _, f := range scripts {
		b, _ := os.ReadFile(f)
		for _, m := range scriptSay.FindAllStringSubmatch(string(b), -1) {
			s := strings.Trim(strings.TrimSpace(m[1]), `"'`)
			if !seen[s] && utf8.RuneCountInString(s) >= 4 && !strings.Contains(shipped.String(), s) {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	files, _ := filepath.Glob("*_test.go")
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err == nil && !seen[s] && utf8.RuneCountInString(s) >= 4 && strings.IndexFunc(s, isHan) >= 0 &&
					!strings.Contains(shipped.String(), s) {
					seen[s] = true
					out = append(out, s)
				}
			}
			return true
		})
	}
	return out
}

// scriptSay is a script's line of what a subscriber or an agent says.
var scriptSay = regexp.MustCompile(`(?m)^\s*-?\s*(?:say|agent_says): *(.+)$`)

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
