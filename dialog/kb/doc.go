// Package kb loads the knowledge base of questions and answers and matches
// a subscriber's message against it.
//
// The matcher needs no word segmenter. Text is normalised (package
// textnorm), cut into Chinese characters and Latin words, rewritten through
// a lexicon of synonyms and stop phrases (an English determiner may stand
// inside a term: forward my calls), and turned into features: Chinese
// unigrams and bigrams, stemmed words, and the question frame of the
// message (why, when, where, how, how much, what it means), which tells
// apart entries that share a subject and differ in what they answer.
// Each entry is scored twice: how
// well the message matches its best single phrasing (the question or one
// alternate), and how much of the message the entry as a whole (phrasings,
// tags, answer) covers. Both use inverse document frequency weights, so
// words that tell entries apart count more than words they share. The
// closest entries are then re-ranked by the part of the message that only
// one of them explains, and by the words that distinguish an entry from
// its siblings (entries whose phrasings share most of their words), which
// is what separates sibling entries. Codes an answer names (CXXZ, 12300)
// count as one more phrasing of its entry.
//
// Precision comes first: a wrong answer is worse than suggestions or an
// honest "I don't know". Each close entry's coverage is the share of the
// message's content (characters and words weighted by idf, characters the
// base has never seen weighing double) that it explains; clauses it does
// not touch count half, so chatter around a question weighs little. The
// coverage is part of the final score. Options turn the best score into a
// Verdict: Answer needs a score, a lead over the second candidate and a
// coverage; a message that names only a topic many entries share (流量)
// is suggested, not answered, and so is one that shares with an entry only
// a question word (几号, 哪里). A long message that is not answered as a
// whole is answered when the clauses that ask its question confirm its
// first candidate: the story around a question dilutes the whole
// message, not the clause that asks it. English question words
// and generic words (meaning, use, thing) weigh nothing, and typo
// tolerance never turns an everyday word (life, night) into another. Lint
// finds entries the matcher confuses.
//
// A Base is immutable once built and safe for concurrent use; Match
// reuses pooled scratch space and allocates little.
package kb
