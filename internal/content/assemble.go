package content

import (
	"slices"
	"strings"
)

// assemble pairs the files of each record by id and builds the Site.
func (l *loader) assemble() *Site {
	type key struct {
		typ Type
		id  string
	}
	groups := map[key]map[string]*file{}
	var order []key
	firstByID := map[string]*file{}
	for _, f := range l.files {
		if prev, ok := firstByID[f.name]; ok && prev.typ != f.typ {
			l.ps.add(f.path, f.dec.at["id"], "id %q is already used by %s: ids are unique across the whole site", f.name, prev.path)
			continue
		}
		firstByID[f.name] = f
		k := key{f.typ, f.name}
		if groups[k] == nil {
			groups[k] = map[string]*file{}
			order = append(order, k)
		}
		if prev := groups[k][f.lang]; prev != nil {
			l.ps.add(f.path, f.dec.at["id"], "id %q is already used by %s", f.name, prev.path)
			continue
		}
		groups[k][f.lang] = f
	}

	site := &Site{}
	for _, k := range order {
		g := groups[k]
		pl, en := g["pl"], g["en"]
		if pl == nil {
			if l.broken[k.id] {
				continue
			}
			l.ps.add(en.path, pos{1, 1}, "no Polish file for %q: the Polish text is authoritative, so add %s", k.id, strings.TrimSuffix(en.path, ".en.md")+".pl.md")
			continue
		}
		untranslated := pl.meta.Interface().(interface{ base() *commonMeta }).base().Untranslated
		switch {
		case en == nil && !untranslated && !l.brokenLang[k.id+".en"]:
			l.ps.add(pl.path, pos{1, 1}, "no English translation: add %s, or set untranslated: true", strings.TrimSuffix(pl.path, ".pl.md")+".en.md")
		case en != nil && untranslated:
			l.ps.add(pl.path, pl.dec.at["untranslated"], "untranslated is true but %s exists: remove one of them", en.path)
		}
		rec := Record{ID: k.id, Type: k.typ, Untranslated: untranslated, Docs: map[string]*Doc{}}
		for lang, f := range g {
			rec.Docs[lang] = f.doc
		}
		l.build(site, rec, pl)
	}
	sortRecords(site)
	return site
}

// build adds the record to site with the language-independent facts from
// its Polish file.
func (l *loader) build(site *Site, rec Record, pl *file) {
	switch m := pl.meta.Interface().(type) {
	case *pageMeta:
		layout := m.Layout
		if layout == "" {
			layout = "page"
		}
		page := &Page{Record: rec, Layout: layout, Menu: m.Menu, Footer: m.Footer}
		if st := m.Statement; st != nil {
			page.Statement = &Statement{
				Entity: st.Entity, SitePublished: st.SitePublished, SiteUpdated: st.SiteUpdated, Status: st.Status,
				Problems: st.Problems, Prepared: st.Prepared, Reviewed: st.Reviewed, Method: st.Method, Contact: st.Contact,
				Email: st.Email, Phone: st.Phone, Architecture: st.Architecture, Communication: st.Communication,
			}
		}
		switch {
		case layout == "accessibility" && page.Statement == nil:
			l.ps.add(pl.path, pos{1, 1}, "missing field \"statement\": the accessibility statement needs its facts (see the editors' reference)")
		case layout != "accessibility" && page.Statement != nil:
			l.ps.add(pl.path, pl.dec.at["statement"], "statement belongs only on the page with layout: accessibility")
		case page.Statement != nil && page.Statement.Status != "compliant" && len(page.Statement.Problems) == 0:
			l.ps.add(pl.path, pl.dec.at["statement.status"], "a site that is not fully compliant must list its problems under statement.problems")
		}
		site.Pages = append(site.Pages, page)
	case *bodyMeta:
		site.Bodies = append(site.Bodies, &Body{
			Record: rec, Name: m.Name, Abbr: m.Abbr, Kind: m.Kind, Parent: m.Parent,
			Founded: m.Founded, FoundedLabel: m.FoundedLabel, FoundedWith: m.FoundedWith, SupportedBy: m.SupportedBy,
		})
	case *meetingMeta:
		mt := &Meeting{
			Record: rec, Body: m.Body, Date: m.Date, Place: m.Place, Mode: m.Mode,
			Topics: m.Topics, Participants: m.Participants,
		}
		for _, d := range m.Documents {
			mt.Documents = append(mt.Documents, Document(d))
		}
		site.Meetings = append(site.Meetings, mt)
	case *declarationMeta:
		d := &Declaration{
			Record: rec, Kind: m.Kind, Body: m.Body, Date: m.Date, Author: m.Author,
			Event: m.Event, Place: m.Place, Language: m.Language, TextScope: m.Text,
			SignatoryCount: m.SignatoryCount, RefersTo: m.RefersTo,
		}
		for _, s := range m.Signatories {
			d.Signatories = append(d.Signatories, Signatory(s))
		}
		if m.Source != nil {
			d.Source = &Source{Title: m.Source.Title, URL: m.Source.URL}
		}
		site.Declarations = append(site.Declarations, d)
	}
}

// Records returns every record of s, in type order.
func (s *Site) Records() []*Record {
	var rs []*Record
	for _, p := range s.Pages {
		rs = append(rs, &p.Record)
	}
	for _, b := range s.Bodies {
		rs = append(rs, &b.Record)
	}
	for _, m := range s.Meetings {
		rs = append(rs, &m.Record)
	}
	for _, d := range s.Declarations {
		rs = append(rs, &d.Record)
	}
	return rs
}

// Docs returns every document of s, Polish before English for each record.
func (s *Site) Docs() []*Doc {
	var ds []*Doc
	for _, r := range s.Records() {
		for _, lang := range Langs {
			if d := r.Docs[lang]; d != nil {
				ds = append(ds, d)
			}
		}
	}
	return ds
}

// Section returns the page with layout in lang's language, or nil.
func (s *Site) Section(layout string) *Page {
	i := slices.IndexFunc(s.Pages, func(p *Page) bool { return p.Layout == layout })
	if i < 0 {
		return nil
	}
	return s.Pages[i]
}
