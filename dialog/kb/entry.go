package kb

// Entry is one question of the knowledge base with its answer. Entries are
// shared by the Base that holds them and must not be modified.
type Entry struct {
	// ID names the entry uniquely; conversations and reports refer to it.
	ID string `yaml:"id"`
	// Question is the canonical wording of the question.
	Question string `yaml:"question"`
	// Alternates are other ways subscribers ask the same thing.
	Alternates []string `yaml:"alternates"`
	// Answer is the reply the bot sends.
	Answer string `yaml:"answer"`
	// Tags group entries for reports; they also help English questions match.
	Tags []string `yaml:"tags"`
}

// phrasings returns the question followed by the alternates.
func (e *Entry) phrasings() []string {
	out := make([]string, 0, 1+len(e.Alternates))
	out = append(out, e.Question)
	return append(out, e.Alternates...)
}

// file is the YAML layout of a knowledge base file.
type file struct {
	Synonyms [][]string `yaml:"synonyms"`
	Entries  []*Entry   `yaml:"entries"`
}
