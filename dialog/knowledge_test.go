package dialog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/dialog"
)

const kbV1 = `entries:
  - id: opening_hours
    question: 营业厅几点开门？
    alternates: [营业时间是几点]
    answer: 第一版：每天九点开门。
`

const kbV2 = `entries:
  - id: opening_hours
    question: 营业厅几点开门？
    alternates: [营业时间是几点]
    answer: 第二版：每天八点半开门。
`

func writeKB(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func answerOf(k *dialog.Knowledge, q string) string {
	d := k.Decide(q)
	if len(d.Match.Candidates) == 0 {
		return ""
	}
	return d.Match.Candidates[0].Entry.Answer
}

func TestKnowledge_ReloadSwapsAndRejectsBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "faq.yaml")
	writeKB(t, path, kbV1)
	k, err := dialog.LoadKnowledge(path, "../configs/intents.yaml", discard)
	if err != nil {
		t.Fatal(err)
	}
	if a := answerOf(k, "营业厅几点开门"); !strings.HasPrefix(a, "第一版") {
		t.Fatalf("answer %q, want the first version", a)
	}

	writeKB(t, path, kbV2)
	if err := k.Reload(); err != nil {
		t.Fatal(err)
	}
	if a := answerOf(k, "营业厅几点开门"); !strings.HasPrefix(a, "第二版") {
		t.Fatalf("after reload: %q, want the second version", a)
	}

	writeKB(t, path, "entries:\n  - id: broken\n    question: 没有答案\n")
	err = k.Reload()
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("broken file: %v, want an error naming the entry", err)
	}
	if a := answerOf(k, "营业厅几点开门"); !strings.HasPrefix(a, "第二版") {
		t.Fatalf("a broken file replaced the base: %q", a)
	}
}

func TestKnowledge_WatchReloadsChangedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "faq.yaml")
	writeKB(t, path, kbV1)
	k, err := dialog.LoadKnowledge(path, "../configs/intents.yaml", discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	go k.Watch(ctx, 20*time.Millisecond)

	// Make sure the modification time differs even on coarse clocks.
	time.Sleep(20 * time.Millisecond)
	writeKB(t, path, kbV2+"\n")
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if strings.HasPrefix(answerOf(k, "营业厅几点开门"), "第二版") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the watcher did not pick up the changed file")
}

func TestLoadKnowledge_NamesTheBadFile(t *testing.T) {
	_, err := dialog.LoadKnowledge("testdata/does-not-exist.yaml", "../configs/intents.yaml", discard)
	if err == nil || !strings.Contains(err.Error(), "does-not-exist.yaml") {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}

func TestParseTexts_RequiresChinese(t *testing.T) {
	_, err := dialog.ParseTexts([]byte("unknown:\n  en: Sorry\n"))
	if err == nil || !strings.Contains(err.Error(), "unknown: the Chinese text") {
		t.Fatalf("err = %v, want one naming the missing Chinese text", err)
	}
}
