package web

import (
	"net/http"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
)

// words are a content version's languages, address scheme and interface
// words: read from its store (the content's languages.yaml and message
// catalogues), so that a reload can add a language.
type words struct {
	reg    *lang.Registry
	scheme *urls.Scheme
	labels map[string]*catalog.Labels
}

func newWords(st *store.Store) *words {
	w := &words{reg: st.Languages(), scheme: urls.New(st.Languages()), labels: map[string]*catalog.Labels{}}
	for _, tag := range w.reg.Tags() {
		w.labels[tag] = catalog.NewLabels(st.Catalogue(tag))
	}
	return w
}

// L returns the labels of language tag (the authoritative language's for a
// tag the registry lacks, which no request reaches).
func (w *words) L(tag string) *catalog.Labels {
	if l, ok := w.labels[tag]; ok {
		return l
	}
	return w.labels[w.reg.Authoritative().Tag]
}

// reg returns the language registry of the request's content version.
func reg(r *http.Request) *lang.Registry { return snap(r).words.reg }

// scheme returns the address scheme of the request's content version.
func scheme(r *http.Request) *urls.Scheme { return snap(r).words.scheme }

// labels returns the interface words of tag for the request.
func labels(r *http.Request, tag string) *catalog.Labels { return snap(r).words.L(tag) }
