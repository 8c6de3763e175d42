// Package kb loads the knowledge base of questions and answers and matches
// a subscriber's message against it.
//
// The matcher needs no word segmenter. Text is normalised (package
// textnorm), cut into Chinese characters and Latin words, rewritten through
// a lexicon of synonyms and stop phrases, and turned into features: Chinese
// unigrams and bigrams and stemmed words. Each entry is scored twice: how
// well the message matches its best single phrasing (the question or one
// alternate), and how much of the message the entry as a whole (phrasings,
// tags, answer) covers. Both use inverse document frequency weights, so
// words that tell entries apart count more than words they share. The
// closest entries are then re-ranked by the part of the message that only
// one of them explains, which is what separates sibling entries. Options
// turn the best score into a Verdict: Answer, Suggest or Unknown. Lint
// finds entries the matcher confuses.
//
// A Base is immutable once built and safe for concurrent use; Match
// reuses pooled scratch space and allocates little.
package kb
