package form

import (
	"unicode/utf8"

	"hotline/dialog/textnorm"
)

// Flows are the forms of the flows file. They are read-only after Parse
// and safe for concurrent use.
type Flows struct {
	flows  []*Flow
	byName map[string]*Flow
	menu   Text
	texts  []namedText
}

// Flow returns the flow with the given name.
func (fs *Flows) Flow(name string) (*Flow, bool) {
	f, ok := fs.byName[name]
	return f, ok
}

// Faults returns the fault flows in file order, to offer as a menu when the
// category is unclear.
func (fs *Flows) Faults() []*Flow {
	var out []*Flow
	for _, f := range fs.flows {
		if f.Kind == KindFault {
			out = append(out, f)
		}
	}
	return out
}

// Complaint returns the complaint flow, or nil when the file has none.
func (fs *Flows) Complaint() *Flow {
	for _, f := range fs.flows {
		if f.Kind == KindComplaint {
			return f
		}
	}
	return nil
}

// Detect finds the flow a message is about, the complaint included, from
// the flows' keywords; request flows are never detected. The flow whose keywords cover the most characters of
// the message wins (手机网速太慢 is mobile data: 手机网速 and 慢 cover more
// than 网速太慢; so is 4G网速太慢); on a tie, the flow with the longest
// keyword found. It returns false when no keyword is
// found or two flows stay tied, so the engine can offer the menu.
func (fs *Flows) Detect(text string) (*Flow, bool) {
	return detect(fs.detectable(), textnorm.Normalize(text))
}

// detectable are the fault and complaint flows.
func (fs *Flows) detectable() []*Flow {
	out := make([]*Flow, 0, len(fs.flows))
	for _, f := range fs.flows {
		if f.Kind != KindRequest {
			out = append(out, f)
		}
	}
	return out
}

func detect(flows []*Flow, norm string) (*Flow, bool) {
	var best *Flow
	bestCover, bestLong, tie := 0, 0, false
	covered := make([]bool, len(norm))
	for _, f := range flows {
		cover, long := f.score(norm, covered)
		switch {
		case cover == 0:
		case cover > bestCover || cover == bestCover && long > bestLong:
			best, bestCover, bestLong, tie = f, cover, long, false
		case cover == bestCover && long == bestLong:
			tie = true
		}
	}
	return best, best != nil && !tie
}

// score returns how many characters of the normalised text the flow's
// keywords cover, and the size of the longest keyword found. Characters,
// not bytes: a Latin letter or digit (4g, wifi) counts as much as a Chinese
// character. covered is scratch space as long as norm.
func (f *Flow) score(norm string, covered []bool) (cover, long int) {
	clear(covered)
	for _, k := range f.keywords {
		if k.mark(norm, covered) {
			long = max(long, k.size())
		}
	}
	for i, c := range covered {
		if c && utf8.RuneStart(norm[i]) {
			cover++
		}
	}
	return cover, long
}

// Menu is the question asking which kind of fault it is, with one quick
// reply per fault flow.
func (fs *Flows) Menu(lang string) Prompt {
	p := Prompt{Text: fs.menu.In(lang)}
	for _, f := range fs.Faults() {
		c := Choice{Label: f.Title.In(lang), Payload: payload(payloadFlow, f.Name)}
		p.Choices = append(p.Choices, c)
	}
	return p
}

// Choose reads the answer to the Menu: a tapped quick reply, the number of
// an item, a title, or a message whose keywords point to one fault flow.
func (fs *Flows) Choose(text, pl string) (*Flow, bool) {
	faults := fs.Faults()
	if kind, name, _, ok := parsePayload(pl); ok && kind == payloadFlow {
		if f, ok := fs.byName[name]; ok && f.Kind == KindFault {
			return f, true
		}
	}

	norm := textnorm.Normalize(text)
	if i, ok := listIndex(norm); ok && i <= len(faults) {
		return faults[i-1], true
	}
	for _, f := range faults {
		for _, t := range f.Title {
			if textnorm.Normalize(t) == norm {
				return f, true
			}
		}
	}
	return detect(faults, norm)
}
