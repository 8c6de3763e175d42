package sms

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	valid := []struct {
		raw, country, want string
	}{
		{"13800138000", "", "+8613800138000"},
		{"13800138000", "86", "+8613800138000"},
		{"13800138000", "+86", "+8613800138000"},
		{"+8613800138000", "", "+8613800138000"},
		{"+86 138 0013 8000", "", "+8613800138000"},
		{"+86-138-0013-8000", "", "+8613800138000"},
		{"(+86) 138.0013.8000", "", "+8613800138000"},
		{"008613800138000", "", "+8613800138000"},
		{"0086 138 0013 8000", "", "+8613800138000"},
		{"8613800138000", "", "+8613800138000"},
		{"86 13800138000", "1", "+8613800138000"},
		{"013800138000", "86", "+8613800138000"},
		{"＋８６１３８００１３８０００", "", "+8613800138000"},
		{"１３８　００１３　８０００", "", "+8613800138000"},
		{"（１３８）－００１３－８０００", "", "+8613800138000"},
		{"  19912345678  ", "", "+8619912345678"},
		{"+1 (202) 555-0123", "", "+12025550123"},
		{"(202) 555-0123", "1", "+12025550123"},
		{"1-202-555-0123", "1", "+12025550123"},
		{"001 202 555 0123", "86", "+12025550123"},
		{"07911 123456", "44", "+447911123456"},
		{"+44 7911 123456", "", "+447911123456"},
		{"06 12345678", "39", "+390612345678"},
		{"8 912 345-67-89", "7", "+79123456789"},
		{"+852 6123 4567", "", "+85261234567"},
		{"+65 9123 4567", "", "+6591234567"},
		{"+123456789012345", "", "+123456789012345"},
		{"13800138000\n", "", "+8613800138000"},
		{"+12345678", "", "+12345678"},
	}
	for _, tt := range valid {
		got, err := NormalizePhone(tt.raw, tt.country)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q", tt.raw, tt.country, got, err, tt.want)
		}
	}

	invalid := []struct {
		raw, country string
	}{
		{"", ""},
		{"   ", ""},
		{"+", ""},
		{"00", ""},
		{"-().", ""},
		{"1380013800", ""},       // 10 digits
		{"138001380001", ""},     // 12 digits
		{"12800138000", ""},      // second digit 2
		{"23800138000", ""},      // does not start with 1
		{"+8602012345678", ""},   // landline
		{"+86 10 1234 5678", ""}, // Beijing landline
		{"010-12345678", "86"},   // landline
		{"1380013800a", ""},
		{"138-0013-8000 ext 12", ""},
		{"tel:+8613800138000", ""},
		{"13800138000+", ""},
		{"+86+13800138000", ""},
		{"++8613800138000", ""},
		{"+0123456789", ""},
		{"000123456789", ""},
		{"+123456", ""},           // 6 digits
		{"+1234567890123456", ""}, // 16 digits
		{"12345", "1"},
		{"2025550123", "1234"},
		{"2025550123", "0"},
		{"2025550123", "x1"},
		{"138\xff00138000", ""},
		{"+1234567", ""}, // 7 digits
		{"138 0013\n8000", ""},
	}
	for _, tt := range invalid {
		got, err := NormalizePhone(tt.raw, tt.country)
		if !errors.Is(err, ErrBadPhone) {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want ErrBadPhone", tt.raw, tt.country, got, err)
			continue
		}
		if got != "" {
			t.Errorf("NormalizePhone(%q, %q) returned %q with an error", tt.raw, tt.country, got)
		}
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, tt.raw)
		if len(digits) >= 4 && strings.Contains(err.Error(), digits) {
			t.Errorf("error %q quotes the input %q", err, tt.raw)
		}
		if tt.raw != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.raw)) && len(strings.TrimSpace(tt.raw)) > 2 {
			t.Errorf("error %q quotes the input %q", err, tt.raw)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+8613800138000", "+86138****8000"},
		{"+8619912345678", "+86199****5678"},
		{"+447911123456", "+44****3456"},      // 10 national digits
		{"+12025550123", "+1****0123"},        // 10 national digits
		{"+6591234567", "+65****4567"},        // 8 national digits
		{"+85261234567", "+852****4567"},      // 8 national digits
		{"+3531234567", "+353****67"},         // 7 national digits
		{"+1234567", "****67"},                // too short for E.164
		{"+35312345", "+353****45"},           // 5 national digits
		{"+123456789012345", "+1234****2345"}, // 14 national digits
		{"13800138000", "****00"},             // not E.164
		{"+86 138 0013 8000", "****00"},       // not E.164
		{"+1234567890123456", "****56"},       // too long for E.164
		{"+0123456789", "****89"},             // calling code 0
		{"user@example.com", "****om"},
		{"手机号码一二三", "****二三"},
		{"12345", "****"},
		{"+12", "****"},
		{"", "****"},
	}
	for _, tt := range tests {
		got := MaskPhone(tt.in)
		if got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.in != "" && strings.Contains(got, tt.in) {
			t.Errorf("MaskPhone(%q) = %q contains the whole input", tt.in, got)
		}
	}
}

func TestMaskPhoneNeverWhole(t *testing.T) {
	inputs := []string{
		"+8613800138000", "+12025550123", "+6591234567", "+1234567",
		"13800138000", "1", "12", "123", "1234", "+1", "+86", "8000",
	}
	for n := 8; n <= 15; n++ {
		inputs = append(inputs, "+"+strings.Repeat("9", n), "+"+"1234567890123456"[:n])
	}
	for _, in := range inputs {
		got := MaskPhone(in)
		digits := strings.TrimPrefix(in, "+")
		if strings.Contains(got, in) || strings.Contains(got, digits) {
			t.Errorf("MaskPhone(%q) = %q reveals the number", in, got)
		}
		if !strings.Contains(got, "****") {
			t.Errorf("MaskPhone(%q) = %q has no mask", in, got)
		}
		// At least 3 digits of an E.164 number stay hidden.
		if strings.HasPrefix(in, "+") && len(digits) >= 8 {
			shown := strings.Count(got, "") - 1 - len("+") - len("****")
			if len(digits)-shown < 3 {
				t.Errorf("MaskPhone(%q) = %q hides only %d digits", in, got, len(digits)-shown)
			}
		}
	}
	// Every normalized number is masked with its calling code kept.
	for _, raw := range []string{"13800138000", "+1 202 555 0123", "+44 7911 123456"} {
		e164, err := NormalizePhone(raw, "")
		if err != nil {
			t.Fatal(err)
		}
		got := MaskPhone(e164)
		if strings.Contains(got, e164[1:]) || !strings.HasPrefix(got, "+") {
			t.Errorf("MaskPhone(%q) = %q", e164, got)
		}
	}
}
