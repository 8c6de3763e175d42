package kb

import "sync"

// Base is a parsed knowledge base with its search index. It is immutable
// once built and safe for concurrent use.
type Base struct {
	entries  []*Entry
	byID     map[string]int
	synonyms [][]string // the file's synonym groups, kept for WithOptions
	opts     Options
	idx      *index
	scratch  *sync.Pool // of *scratch, sized for this base
}

// build indexes entries with the options.
func build(entries []*Entry, synonyms [][]string, o Options) *Base {
	b := &Base{
		entries:  entries,
		byID:     make(map[string]int, len(entries)),
		synonyms: synonyms,
		opts:     o,
	}
	for i, e := range entries {
		b.byID[e.ID] = i
	}
	b.idx = newIndex(entries, newLexicon(synonyms, o))
	units, n := b.idx.units(), len(entries)
	b.scratch = &sync.Pool{New: func() any { return newScratch(units, n) }}
	return b
}

// WithOptions returns a Base over the same entries matched with o. The
// receiver is unchanged.
func (b *Base) WithOptions(o Options) *Base {
	return build(b.entries, b.synonyms, o)
}

// Options returns the options the base matches with.
func (b *Base) Options() Options { return b.opts }

// Len returns the number of entries.
func (b *Base) Len() int { return len(b.entries) }

// Entry returns the entry with the id, or false when there is none.
func (b *Base) Entry(id string) (*Entry, bool) {
	i, ok := b.byID[id]
	if !ok {
		return nil, false
	}
	return b.entries[i], true
}

// Entries returns the entries in file order. The slice is a copy; the
// entries themselves are shared and must not be modified.
func (b *Base) Entries() []*Entry {
	out := make([]*Entry, len(b.entries))
	copy(out, b.entries)
	return out
}
