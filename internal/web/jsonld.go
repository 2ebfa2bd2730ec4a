package web

import (
	"net/http"

	"github.com/krakow/wspolpraca/internal/store"
)

// Structured data (schema.org, as JSON-LD) for search engines and tools:
// declarations as DigitalDocument, meetings as Event, bodies as
// Organization. Nothing is added that the record does not say.

type ldObject = map[string]any

// ldOrganization describes body id, linked as l. Its @id is the address
// of its page in the authoritative language, whatever the language of the
// page describing it: one organisation, one identifier.
func (s *Server) ldOrganization(r *http.Request, id string, l store.Link) ldObject {
	o := ldObject{"@type": "Organization", "name": l.Title}
	if l.Path != "" {
		o["url"] = s.abs(l.Path)
		o["@id"] = s.abs(l.Path) + "#organization"
		if orig, err := st(r).DocByID(r.Context(), id, reg(r).Authoritative().Tag, s.vis()); err == nil {
			o["@id"] = s.abs(orig.Path) + "#organization"
		}
	}
	return o
}

// ldDeclaration describes a declaration page: the work, who made it, when,
// in what language, its translation, and the texts it cites.
func (s *Server) ldDeclaration(r *http.Request, doc *store.Doc, d *store.Declaration, permalink string) ldObject {
	ld := ldObject{
		"@context":      "https://schema.org",
		"@type":         []string{"DigitalDocument", "CreativeWork"},
		"@id":           s.abs(doc.Path),
		"url":           s.abs(doc.Path),
		"identifier":    permalink,
		"name":          doc.Title,
		"headline":      doc.Title,
		"description":   doc.Summary,
		"genre":         labels(r, doc.Lang).KindName(d.Kind),
		"inLanguage":    doc.TextLang(),
		"creator":       s.ldOrganization(r, d.Body, d.BodyLink),
		"dateModified":  doc.Updated.String(),
		"datePublished": doc.Published.String(),
	}
	// schema.org dates take no range: the month of a two-day conference.
	if created, ok := d.Date.Within(); ok {
		ld["dateCreated"] = created.String()
	}
	if author := d.In(d.Author); author != "" {
		ld["author"] = ldObject{"@type": "Organization", "name": author}
	}
	if len(d.Signatories) > 0 {
		var people []ldObject
		for _, sg := range d.Signatories {
			people = append(people, ldObject{"@type": "Role", "roleName": d.In(sg.Role),
				"contributor": ldObject{"@type": "Person", "name": sg.Name}})
		}
		ld["contributor"] = people
	}
	if place := d.In(d.Place); place != "" {
		ld["locationCreated"] = ldObject{"@type": "Place", "name": place}
	}
	orig := reg(r).Authoritative().Tag
	var translations []ldObject
	for _, a := range doc.Alternates {
		other := ldObject{"@type": "DigitalDocument", "@id": s.abs(a.Path), "url": s.abs(a.Path), "inLanguage": a.Lang, "name": a.Title}
		if doc.TextLang() == orig {
			translations = append(translations, other)
		} else if a.Lang == orig {
			ld["translationOfWork"] = other
		}
	}
	if len(translations) > 0 {
		ld["workTranslation"] = translations
	}
	var cites []ldObject
	for _, r := range d.References {
		cites = append(cites, ldObject{"@type": "CreativeWork", "@id": s.abs(r.Path), "url": s.abs(r.Path), "name": r.Title})
	}
	if len(cites) > 0 {
		ld["citation"] = cites
	}
	return ld
}

var attendance = map[string]string{
	"in_person": "https://schema.org/OfflineEventAttendanceMode",
	"online":    "https://schema.org/OnlineEventAttendanceMode",
	"hybrid":    "https://schema.org/MixedEventAttendanceMode",
}

// ldMeeting describes a meeting page as an Event.
func (s *Server) ldMeeting(r *http.Request, doc *store.Doc, m *store.Meeting) ldObject {
	ld := ldObject{
		"@context":    "https://schema.org",
		"@type":       "Event",
		"@id":         s.abs(doc.Path),
		"url":         s.abs(doc.Path),
		"name":        doc.Title,
		"description": doc.Summary,
		"startDate":   m.Date.From.String(),
		"endDate":     m.Date.End().String(),
		"inLanguage":  doc.TextLang(),
		"organizer":   s.ldOrganization(r, m.Body, m.BodyLink),
		"location":    ldObject{"@type": "Place", "name": m.In(m.Place), "address": m.In(m.Place)},
		"eventStatus": "https://schema.org/EventScheduled",
	}
	if mode, ok := attendance[m.Mode]; ok {
		ld["eventAttendanceMode"] = mode
	}
	if len(m.Topics) > 0 {
		ld["about"] = m.InAll(m.Topics)
	}
	return ld
}

// ldBody describes a body page as an Organization.
func (s *Server) ldBody(r *http.Request, doc *store.Doc, b *store.Body) ldObject {
	ld := s.ldOrganization(r, b.ID, store.Link{Path: doc.Path, Title: b.In(b.Name)})
	ld["@context"] = "https://schema.org"
	ld["description"] = doc.Summary
	if b.Abbr != "" {
		ld["alternateName"] = b.Abbr
	}
	if !b.Founded.IsZero() {
		ld["foundingDate"] = b.Founded.String()
	}
	if b.ParentLink != nil {
		parent := s.ldOrganization(r, b.Parent, *b.ParentLink)
		ld["memberOf"] = parent
		ld["parentOrganization"] = parent
	}
	return ld
}
