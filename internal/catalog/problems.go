package catalog

// SearchProblem is why a search cannot run. Each is the key of a message of
// the catalogues (the field of Labels of the same name), shown above the
// search form, and the error code of the search API (/api/v1/search.json).
type SearchProblem string

// The search problems: the only list of them.
const (
	SearchInvalid       SearchProblem = "SearchInvalid"       // the query is not UTF-8
	SearchTooLong       SearchProblem = "SearchTooLong"       // longer than search.MaxLength
	SearchPhraseTooLong SearchProblem = "SearchPhraseTooLong" // a quoted phrase of too many words
	SearchBadFilter     SearchProblem = "SearchBadFilter"     // a type, body, year or language the site has not
	SearchBadPage       SearchProblem = "SearchBadPage"       // a page number that is not one
	SearchPageTooFar    SearchProblem = "SearchPageTooFar"    // a page past what is served
	SearchNoWords       SearchProblem = "SearchNoWords"       // nothing to search for
	SearchTooBroad      SearchProblem = "SearchTooBroad"      // matches too much to rank
)

// Problem returns the text of p in l's language (p itself, for a value
// that is not one of the constants).
func (l *Labels) Problem(p SearchProblem) string {
	switch p {
	case SearchInvalid:
		return l.SearchInvalid
	case SearchTooLong:
		return l.SearchTooLong
	case SearchPhraseTooLong:
		return l.SearchPhraseTooLong
	case SearchBadFilter:
		return l.SearchBadFilter
	case SearchBadPage:
		return l.SearchBadPage
	case SearchPageTooFar:
		return l.SearchPageTooFar
	case SearchNoWords:
		return l.SearchNoWords
	case SearchTooBroad:
		return l.SearchTooBroad
	}
	return string(p)
}
