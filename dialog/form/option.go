package form

import (
	"strconv"
	"strings"

	"hotline/dialog/textnorm"
)

// option is one answer of a choice slot. The subscriber picks it by its
// quick reply, its label in any language, one of its aliases, or its
// number in the list.
type option struct {
	value string
	label Text
	terms []phrase // labels and aliases, normalised
	code  string   // the value, normalised, matched as the whole answer only
}

// newOption builds an option from its spec.
func newOption(spec optionSpec) option {
	list := append([]string(nil), spec.Aliases...)
	for _, s := range spec.Label {
		list = append(list, s)
	}
	code := textnorm.Normalize(spec.Value)
	return option{value: spec.Value, label: spec.Label, terms: phrases(list...), code: code}
}

// pickOption finds the option a typed answer means: the whole answer is an
// option's number, label or alias, or else the answer contains a label or
// alias of exactly one option more specific than any other's.
func pickOption(opts []option, text string) (option, bool) {
	norm := textnorm.Normalize(text)
	if norm == "" {
		return option{}, false
	}
	if i, ok := listIndex(norm); ok && i <= len(opts) {
		return opts[i-1], true
	}
	for _, o := range opts {
		if o.code == norm || whole(o.terms, norm) {
			return o, true
		}
	}
	return mentionedOption(opts, norm)
}

// mentionedOption returns the option whose longest label or alias found in
// the normalised text is longer than any other option's. It is also how
// options are taken from a subscriber's opening message.
func mentionedOption(opts []option, norm string) (option, bool) {
	best, bestSize, tie := -1, 0, false
	for i, o := range opts {
		size := longest(o.terms, norm)
		switch {
		case size > bestSize:
			best, bestSize, tie = i, size, false
		case size == bestSize && size > 0:
			tie = true
		}
	}
	if best < 0 || tie {
		return option{}, false
	}
	return opts[best], true
}

// findOption returns the option with the given value.
func findOption(opts []option, value string) (option, bool) {
	for _, o := range opts {
		if o.value == value {
			return o, true
		}
	}
	return option{}, false
}

// chineseNumbers are the numbers a subscriber may type for an item of a
// short list.
var chineseNumbers = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// listIndex reads an answer that picks an item by its number: 2, 第2个,
// 二, 第二项, no. 2. It returns the 1-based index.
func listIndex(norm string) (int, bool) {
	s := strings.TrimPrefix(norm, "第")
	s = strings.TrimPrefix(s, "no ")
	for _, suffix := range []string{"个", "项", "种", "条"} {
		s = strings.TrimSuffix(s, suffix)
	}
	if n, err := strconv.Atoi(s); err == nil && len(s) <= 3 && n >= 1 {
		return n, true
	}
	for i, c := range chineseNumbers {
		if s == c {
			return i + 1, true
		}
	}
	return 0, false
}
