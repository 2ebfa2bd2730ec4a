package content

import (
	"slices"
	"strconv"
	"strings"
)

// The facts a few pages carry besides their text: a recording in Polish
// Sign Language (any free page), the conditions of re-use (the page with
// layout reuse) and what the open-data catalogue says of its datasets
// (the page with layout data). Each is written once, in the authoritative
// file. Whatever the City must decide is published only once the content
// lists it under confirmed, as the accessibility statement's contact
// details are.

// signVideoMeta is a self-hosted recording in Polish Sign Language.
type signVideoMeta struct {
	File       string `yaml:"file" fm:"required" doc:"The recording: an MP4 file (H.264 video, which every browser plays) in static/video/, written /static/video/….mp4; at most 64 MB. Its duration and size are read from the file." example:"/static/video/informacje-pjm.mp4"`
	Captions   string `yaml:"captions" fm:"required" doc:"Captions of what is signed, in the authoritative language, as a WebVTT file (.vtt, at most 256 KB) in static/video/. The check reads every cue and reports problems at their line and column." example:"/static/video/informacje-pjm.vtt"`
	Poster     string `yaml:"poster" fm:"required" doc:"The still shown before the video plays: a JPEG, PNG or WebP image in static/, at most 512 KB." example:"/static/video/informacje-pjm.jpg"`
	Transcript string `yaml:"transcript" fm:"required" doc:"Everything the recording says, as text, in the authoritative language: Markdown, after |. The page shows it under the video, for those who cannot watch it." example:"Ta strona jest o udziale Krakowa we współpracy miast."`
}

// reuseMeta is what the page on re-use says the City has decided.
type reuseMeta struct {
	Conditions Text     `yaml:"conditions" doc:"The conditions for re-using the site's information, as the City sets them (the act of 11 August 2021 on open data, Dz.U. 2021 poz. 1641). Published only when listed under confirmed; until then the page says the City will give them." example:"{pl: …, en: …, uk: …}"`
	License    string   `yaml:"license" doc:"The address (URI) of the licence under which the City makes the data available. Published only when listed under confirmed, on the page and in the data catalogue (dct:license)." example:"https://creativecommons.org/licenses/by/4.0/"`
	Confirmed  []string `yaml:"confirmed" enum:"conditions|license" doc:"What the City has confirmed: only these are published. Never write conditions or a licence that no source gives." example:"[conditions, license]"`
}

// catalogMeta is what the DCAT-AP catalogue of the open data says of its
// datasets that the records themselves do not.
type catalogMeta struct {
	Spatial   string   `yaml:"spatial" fm:"required" doc:"The place the datasets are about, as the URI of an entry of GeoNames or of the EU's table of places (DCAT-AP: dct:spatial)." example:"http://sws.geonames.org/3094802/"`
	Contact   Text     `yaml:"contact" doc:"Who answers questions about the data (a unit, as the City gives it): the datasets' contact point. Published only when listed under confirmed."`
	Email     string   `yaml:"email" doc:"Their e-mail address, as the City gives it. Published only when listed under confirmed." example:"dane@example.org"`
	Confirmed []string `yaml:"confirmed" enum:"contact|email" doc:"The contact details the City has confirmed: only these are published. No contact detail may be written that no source gives." example:"[contact, email]"`
}

// SignVideo is a recording in Polish Sign Language shown on a page.
type SignVideo struct {
	File, Captions, Poster string // paths under /static/
	MediaType              string // video/mp4
	Size                   int64  // bytes
	DurationMS             int64  // read from the file
	Lang                   string // of the captions and the transcript: the authoritative language
	TranscriptHTML         string // rendered from the editors' Markdown
}

// Reuse is what the page on re-use may publish: Conditions and License
// are empty until the City confirms them.
type Reuse struct {
	Conditions Text
	License    string
}

// CatalogFacts is what the open-data catalogue says of every dataset:
// Contact and Email are empty until the City confirms them.
type CatalogFacts struct {
	Spatial string
	Contact Text
	Email   string
}

// The bounds of a recording's files.
const (
	MaxVideoBytes    = 64 << 20
	MaxCaptionsBytes = 256 << 10
	MaxPosterBytes   = 512 << 10
)

// pageFacts checks and keeps the facts of page m (its authoritative file
// orig).
func (l *loader) pageFacts(page *Page, m *pageMeta, orig *file) {
	at := orig.dec.at
	only := func(field string, layout Layout) {
		l.ps.add(orig.path, at[field], "%s belongs only on a page with layout: %s", field, layout)
	}
	if m.SignVideo != nil {
		if page.Layout != LayoutPage {
			only("sign_language_video", LayoutPage)
		}
		page.SignVideo = l.signVideo(m.SignVideo, orig)
	}
	if r := m.Reuse; r != nil {
		if page.Layout != LayoutReuse {
			only("reuse", LayoutReuse)
		}
		ok := l.confirmedList(orig, "reuse", r.Confirmed, []string{"conditions", "license"})
		page.Reuse = &Reuse{}
		if ok["conditions"] {
			page.Reuse.Conditions = r.Conditions
		}
		if ok["license"] {
			page.Reuse.License = r.License
		}
		l.confirmedGiven(orig, "reuse.conditions", ok["conditions"], !r.Conditions.IsZero())
		l.confirmedGiven(orig, "reuse.license", ok["license"], r.License != "")
		if r.License != "" && !absoluteURI(r.License) {
			l.ps.add(orig.path, at["reuse.license"], "reuse.license: write the licence's address in full, like https://creativecommons.org/licenses/by/4.0/")
		}
	} else if page.Layout == LayoutReuse {
		l.ps.add(orig.path, pos{1, 1}, "missing field \"reuse\": the page on re-use says what the City has confirmed (write reuse: {confirmed: []} until it has)")
	}
	if c := m.Catalog; c != nil {
		if page.Layout != LayoutData {
			only("catalog", LayoutData)
		}
		ok := l.confirmedList(orig, "catalog", c.Confirmed, []string{"contact", "email"})
		page.Catalog = &CatalogFacts{Spatial: c.Spatial}
		if ok["contact"] {
			page.Catalog.Contact = c.Contact
		}
		if ok["email"] {
			page.Catalog.Email = c.Email
		}
		l.confirmedGiven(orig, "catalog.contact", ok["contact"], !c.Contact.IsZero())
		l.confirmedGiven(orig, "catalog.email", ok["email"], c.Email != "")
		if c.Spatial != "" && !absoluteURI(c.Spatial) {
			l.ps.add(orig.path, at["catalog.spatial"], "catalog.spatial: write the place's URI in full, like http://sws.geonames.org/3094802/")
		}
	}
}

// confirmedList checks the values of field.confirmed and returns them as a set.
func (l *loader) confirmedList(orig *file, field string, list, allowed []string) map[string]bool {
	out := map[string]bool{}
	for i, v := range list {
		if !slices.Contains(allowed, v) {
			l.ps.add(orig.path, orig.dec.at[field+".confirmed."+strconv.Itoa(i)], "%s.confirmed: %q is not allowed; use one of %v", field, v, allowed)
			continue
		}
		out[v] = true
	}
	return out
}

// confirmedGiven reports a detail listed as confirmed but not written.
func (l *loader) confirmedGiven(orig *file, field string, confirmed, given bool) {
	if confirmed && !given {
		parent, _, _ := strings.Cut(field, ".")
		l.ps.add(orig.path, orig.dec.at[parent+".confirmed"], "%s is listed as confirmed but not given: write it, or take it off the list", field)
	}
}

func absoluteURI(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "http://")
	}
	return ok && rest != "" && !strings.ContainsAny(s, " <>\"{}|^`")
}
