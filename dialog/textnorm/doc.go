// Package textnorm folds subscriber text into one canonical form before the
// knowledge base matcher and the intent router look at it.
//
// Subscribers type on phones with Chinese input methods, in traditional or
// simplified characters, sometimes in full-width Latin letters; they often
// read phone numbers out as words (九六幺幺零) and write the function words
// of their region or of the internet (咋个, 木有, 晓得). Normalize removes
// those differences; IsHan, Simplify and Homophones are the building
// blocks the matcher uses for its own tokenisation and typo tolerance. Everything here
// is a pure function over constant tables, safe for concurrent use.
package textnorm
