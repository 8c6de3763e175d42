package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// runCmd runs the command line and returns the exit code and outputs.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// testFiles are flags that point at testdata only.
var testFiles = []string{"-kb", "testdata/kb.yaml", "-intents", "testdata/intents.yaml"}

func TestRun_Usage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no command prints usage", nil, "usage:"},
		{"unknown command is named", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"ask without a question", append([]string{"ask"}, testFiles...), "ask needs a question"},
		{"eval without cases", append([]string{"eval"}, testFiles...), "eval needs -cases"},
		{"unknown flag", []string{"lint", "-nope"}, "flag provided but not defined"},
		{"missing knowledge base", []string{"lint", "-kb", "testdata/missing.yaml"}, "missing.yaml"},
		{"missing config", []string{"lint", "-config", "testdata/missing-gateway.yaml"}, "missing-gateway.yaml"},
		{"case with an unknown label", append([]string{"eval", "-cases", "testdata/bad-cases.yaml"}, testFiles...),
			`expect "no_such_entry"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("run(%q) = %d, stderr %q; want %d containing %q", tt.args, code, stderr, exitUsage, tt.stderr)
			}
		})
	}
}

func TestRun_Ask(t *testing.T) {
	tests := []struct {
		name     string
		question string
		want     []string
	}{
		{"answers from the base", "流量还剩多少", []string{"verdict: answer", "1. ", "data_left", "label: data_left"}},
		{"shows the intent", "家里宽带断了", []string{"intent: fault", "label: fault"}},
		{"unknown question", "今天天气怎么样", []string{"verdict: unknown", "label: none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(append(append([]string{"ask"}, testFiles...), tt.question)...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout %q lacks %q", stdout, w)
				}
			}
		})
	}
}

func TestRun_Ask_FilesFromConfig(t *testing.T) {
	code, stdout, stderr := runCmd("ask", "-config", "testdata/gateway.yaml", "转人工")
	if code != exitOK || !strings.Contains(stdout, "intent: agent") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the config's intents to route agent", code, stdout, stderr)
	}
}

func TestRun_Eval(t *testing.T) {
	code, stdout, stderr := runCmd(append([]string{"eval", "-cases", "testdata/cases.yaml"}, testFiles...)...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, w := range []string{"accuracy: 71.4% (5/7)", "wrong answers: 28.6% (2/7)", "宽带断了\n    expected balance, got fault"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout %q lacks %q", stdout, w)
		}
	}
}

func TestRun_Eval_JSON(t *testing.T) {
	code, stdout, stderr := runCmd(append([]string{"eval", "-json", "-cases", "testdata/cases.yaml"}, testFiles...)...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
	}
	if rep.Total != 7 || rep.Correct != 5 || rep.WrongAnswers != 2 || len(rep.Misses) != 2 {
		t.Errorf("report = %+v, want 7 total, 5 correct, 2 wrong answers, 2 misses", rep)
	}
	if rep.Accuracy < 0.714 || rep.Accuracy > 0.715 || rep.WrongAnswerRate < 0.285 || rep.WrongAnswerRate > 0.286 {
		t.Errorf("accuracy %v and wrong answer rate %v, want 5/7 and 2/7", rep.Accuracy, rep.WrongAnswerRate)
	}
	for _, key := range []string{`"accuracy"`, `"total"`, `"correct"`, `"wrong_answer_rate"`, `"misses"`, `"expect"`, `"got"`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("JSON lacks key %s", key)
		}
	}
}

func TestRun_Lint(t *testing.T) {
	t.Run("problems exit 1", func(t *testing.T) {
		code, stdout, _ := runCmd("lint", "-kb", "testdata/kb.yaml")
		if code != exitProblems || !strings.Contains(stdout, "tiny: answer is very short") {
			t.Errorf("exit %d, stdout %q; want 1 and the short answer of tiny", code, stdout)
		}
	})
	t.Run("clean base exits 0", func(t *testing.T) {
		code, stdout, _ := runCmd("lint", "-kb", "testdata/clean.yaml")
		if code != exitOK || !strings.Contains(stdout, "no problems in 2 entries") {
			t.Errorf("exit %d, stdout %q; want 0 and no problems", code, stdout)
		}
	})
}
