package form

import (
	"errors"
	"fmt"
	"strings"
)

// lintLangs are the languages every text should have.
var lintLangs = []string{LangZh, LangEn}

// Lint reports every text of the flows file that lacks one of the
// languages zh and en, each named by where it is. Parse already rejects a
// missing Chinese text; a missing English one only makes English
// conversations fall back to Chinese, so it is reported here instead.
func (fs *Flows) Lint() error {
	var errs []error
	for _, nt := range fs.texts {
		var missing []string
		for _, lang := range lintLangs {
			if strings.TrimSpace(nt.text[lang]) == "" {
				missing = append(missing, lang)
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("%s: no %s text", nt.where, strings.Join(missing, ", ")))
		}
	}
	return errors.Join(errs...)
}
