package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// The shipped settings open the agent desk from 08:00 to 22:00 in
// Shanghai, so a test that hands a subscriber to an agent would fail
// whenever the suite runs at night there. The tests run on a copy of
// configs/ whose desk is open around the clock; a test about opening
// hours puts the shipped hours back (shippedHours). The copy also has no
// limits per client address: every test client writes from the loopback
// address, many at once; the limits' own tests set them.
const (
	shippedDayHours     = `all: ["08:00-22:00"]`
	shippedHolidayHours = `holiday_hours: ["09:00-18:00"]`
	allDayHours         = `all: ["00:00-24:00"]`
	allDayHolidayHours  = `holiday_hours: ["00:00-24:00"]`
	shippedAddrRate     = "rate_per_address: 100 "
	shippedAddrRefusals = "refusals_per_address: 30 "
)

// settings is the folder of the tests' copy of configs/, made once.
var settings struct {
	once sync.Once
	dir  string
	err  error
}

// testConfig returns the absolute path of the tests' gateway.yaml, beside
// copies of the files it names.
func testConfig(t testing.TB) string {
	t.Helper()
	settings.once.Do(func() { settings.dir, settings.err = makeTestSettings() })
	if settings.err != nil {
		t.Fatalf("test settings: %v", settings.err)
	}
	return filepath.Join(settings.dir, "gateway.yaml")
}

// testConfigText returns the text of the tests' gateway.yaml.
func testConfigText(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// removeTestSettings deletes the copy when the tests are over.
func removeTestSettings() {
	if settings.dir != "" {
		_ = os.RemoveAll(settings.dir)
	}
}

func makeTestSettings() (string, error) {
	dir, err := os.MkdirTemp("", "hotline-settings-")
	if err != nil {
		return "", err
	}
	files, err := filepath.Glob("../../configs/*.yaml")
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no settings in ../../configs: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		if filepath.Base(f) == "gateway.yaml" {
			if b, err = openAllDay(b); err != nil {
				return "", err
			}
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// openAllDay replaces the shipped desk hours with the whole day, and
// turns the limits per client address off.
func openAllDay(b []byte) ([]byte, error) {
	for _, r := range [][2]string{{shippedDayHours, allDayHours}, {shippedHolidayHours, allDayHolidayHours},
		{shippedAddrRate, "rate_per_address: 0 "}, {shippedAddrRefusals, "refusals_per_address: 0 "}} {
		if !bytes.Contains(b, []byte(r[0])) {
			return nil, fmt.Errorf("configs/gateway.yaml has no %s to change for the tests", r[0])
		}
		b = bytes.Replace(b, []byte(r[0]), []byte(r[1]), 1)
	}
	return b, nil
}

// shippedHours puts the shipped desk hours back into a settings file
// written from the tests' copy.
func shippedHours(t testing.TB, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]string{{allDayHours, shippedDayHours}, {allDayHolidayHours, shippedHolidayHours}} {
		if !bytes.Contains(b, []byte(r[0])) {
			t.Fatalf("%s has no %s", path, r[0])
		}
		b = bytes.Replace(b, []byte(r[0]), []byte(r[1]), 1)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
