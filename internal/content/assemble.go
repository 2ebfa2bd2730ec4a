package content

import (
	"fmt"
	"slices"
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
	auth := l.reg.Authoritative()
	for _, k := range order {
		g := groups[k]
		orig := g[auth.Tag]
		if orig == nil {
			if l.broken[k.id] {
				continue
			}
			for _, tag := range l.reg.Tags() {
				if f := g[tag]; f != nil {
					l.ps.add(f.path, pos{1, 1}, "no %s file for %q: the %s text is authoritative, so add %s", englishName(auth.Tag), k.id, englishName(auth.Tag), k.typ.Folder()+"/"+k.id+"."+auth.Tag+".md")
					break
				}
			}
			continue
		}
		untranslated := orig.meta.Interface().(interface{ base() *commonMeta }).base().Untranslated
		rec := Record{ID: k.id, Type: k.typ, Untranslated: untranslated, Docs: map[string]*Doc{}}
		for _, lg := range l.reg.All() {
			f := g[lg.Tag]
			switch {
			case f == nil && lg.Complete && !untranslated.Has(lg.Tag) && !l.brokenLang[k.id+"."+lg.Tag]:
				l.ps.add(orig.path, pos{1, 1}, "no %s translation: add %s, or list %s under untranslated", englishName(lg.Tag), k.typ.Folder()+"/"+k.id+"."+lg.Tag+".md", lg.Tag)
				l.brokenLang[k.id+"."+lg.Tag] = true // reported: no page stands in for it
			case f != nil && !lg.Authoritative && untranslated.Has(lg.Tag):
				l.ps.add(orig.path, orig.dec.at["untranslated"], "untranslated names %s, but %s exists: remove one of them", lg.Tag, f.path)
			}
			if f != nil {
				rec.Docs[lg.Tag] = f.doc
			}
		}
		l.translationStatus(site, &rec)
		scheduleWithOriginal(&rec, l.reg.Authoritative().Tag)
		l.fallbacks(&rec)
		l.build(site, rec, orig)
	}
	sortRecords(site)
	return site
}

// translationStatus compares each translation of r with the version of the
// authoritative text it says it translates: an outdated one is a warning,
// not a problem (the translation is still better than none).
func (l *loader) translationStatus(site *Site, r *Record) {
	orig := r.Docs[l.reg.Authoritative().Tag]
	for _, lg := range l.reg.All() {
		d := r.Docs[lg.Tag]
		if d == nil || lg.Authoritative {
			continue
		}
		switch d.TranslationOf {
		case "":
			d.Status = Unverified
		case orig.SourceHash:
			d.Status = Current
		default:
			d.Status = Outdated
			site.Warnings = append(site.Warnings, Problem{File: d.File, Line: d.meta.at["translation_of"].Line, Col: d.meta.at["translation_of"].Col,
				Msg: fmt.Sprintf("this translation is of an earlier version of %s (%s; the text is now %s): update it, then run make translated FILE=%s", orig.File, d.TranslationOf, orig.SourceHash, "content/"+d.File)})
		}
	}
}

// scheduleWithOriginal keeps every translation of r off the site while its
// original is: a draft original makes its translations drafts, and a
// translation is published no sooner and withdrawn no later than the
// original (a text withdrawn in Polish is withdrawn in every language).
func scheduleWithOriginal(r *Record, auth string) {
	orig := r.Docs[auth]
	if orig == nil {
		return
	}
	for tag, d := range r.Docs {
		if tag == auth {
			continue
		}
		d.Draft = d.Draft || orig.Draft
		if orig.Publish.After(d.Publish) {
			d.Publish = orig.Publish
		}
		if !orig.Expires.IsZero() && (d.Expires.IsZero() || orig.Expires.Before(d.Expires)) {
			d.Expires = orig.Expires
		}
	}
}

// fallbacks gives r a document in every language it has no file in: the
// page of that language showing the text of the first language of its
// fallback chain that has one.
func (l *loader) fallbacks(r *Record) {
	for _, lg := range l.reg.All() {
		// A translation whose file is refused has a problem already: no
		// page stands in for it (nor is its address asked for).
		if r.Docs[lg.Tag] != nil || l.brokenLang[r.ID+"."+lg.Tag] {
			continue
		}
		for _, from := range l.reg.Chain(lg.Tag)[1:] {
			src := r.Docs[from]
			if src == nil || src.Fallback != "" {
				continue
			}
			d := *src
			d.Lang, d.Fallback, d.Status = lg.Tag, from, Fallback
			d.Aliases, d.Changes = nil, nil
			d.links = nil // checked in the document they come from
			r.Docs[lg.Tag] = &d
			break
		}
	}
}

// build adds the record to site with the language-independent facts from
// its Polish file.
func (l *loader) build(site *Site, rec Record, orig *file) {
	switch m := orig.meta.Interface().(type) {
	case *pageMeta:
		layout := Layout(m.Layout)
		if layout == "" {
			layout = LayoutPage
		}
		page := &Page{Record: rec, Layout: layout, Menu: m.Menu, Footer: m.Footer, EasyRead: m.EasyRead}
		l.checkEasyRead(rec, m.EasyRead)
		l.pageFacts(page, m, orig)
		if st := m.Statement; st != nil {
			page.Statement = &Statement{
				Entity: st.Entity, SitePublished: st.SitePublished, SiteUpdated: st.SiteUpdated, Status: st.Status,
				Problems: st.Problems, Prepared: st.Prepared, Reviewed: st.Reviewed, Method: st.Method, Contact: st.Contact,
				Email: st.Email, Phone: st.Phone, Confirmed: st.Confirmed, Architecture: st.Architecture, Communication: st.Communication,
			}
		}
		switch {
		case layout == LayoutAccessibility && page.Statement == nil:
			l.ps.add(orig.path, pos{1, 1}, "missing field \"statement\": the accessibility statement needs its facts (see the editors' reference)")
		case layout != LayoutAccessibility && page.Statement != nil:
			l.ps.add(orig.path, orig.dec.at["statement"], "statement belongs only on the page with layout: accessibility")
		case page.Statement != nil && page.Statement.Status != "compliant" && len(page.Statement.Problems) == 0:
			l.ps.add(orig.path, orig.dec.at["statement.status"], "a site that is not fully compliant must list its problems under statement.problems")
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

// Docs returns every document of s, for each record in the order of the
// registry's languages, fallback pages included.
func (s *Site) Docs() []*Doc {
	if s.docs != nil {
		return s.docs
	}
	var ds []*Doc
	for _, r := range s.Records() {
		for _, tag := range s.Languages.Tags() {
			if d := r.Docs[tag]; d != nil {
				ds = append(ds, d)
			}
		}
	}
	return ds
}

// Section returns the page with layout in lang's language, or nil.
func (s *Site) Section(layout Layout) *Page {
	i := slices.IndexFunc(s.Pages, func(p *Page) bool { return p.Layout == layout })
	if i < 0 {
		return nil
	}
	return s.Pages[i]
}
