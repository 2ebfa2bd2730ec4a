package catalog

import "strings"

// DataFormats lists the formats the data page documents, in its order,
// each with the fields it documents: a catalogue gives, for each format F,
// its name (Data.F), what it is (Data.F.about) and each field's meaning
// (Data.F.field). Field paths are written as on the page — "body.id",
// "signatories[].name", "versions.{tag}.url" — and keyed without the
// brackets and braces (DataKey). The web package's tests check that these
// are exactly the fields its files have.
var DataFormats = []DataFormat{
	{"json-declarations", []string{"id", "type", "kind", "date", "body", "body.id", "body.name", "title", "summary", "author", "event",
		"place", "language", "text", "signatory_count", "signatories", "signatories[].name", "signatories[].role", "refers_to",
		"referred_by", "url", "permalink", "source", "source.title", "source.url", "published", "updated", "versions",
		"versions.{tag}.url", "versions.{tag}.title", "versions.{tag}.summary", "versions.{tag}.published", "versions.{tag}.updated",
		"versions.{tag}.translation", "versions.{tag}.fallback", "paragraphs", "paragraphs.{tag}[].anchor", "paragraphs.{tag}[].number",
		"paragraphs.{tag}[].text"}},
	{"json-meetings", []string{"id", "type", "date", "body", "body.id", "body.name", "title", "summary", "place", "mode", "topics",
		"participants", "documents", "documents[].title", "documents[].url", "url", "permalink", "published", "updated", "versions",
		"versions.{tag}.url", "versions.{tag}.title", "versions.{tag}.summary", "versions.{tag}.published", "versions.{tag}.updated",
		"versions.{tag}.translation", "versions.{tag}.fallback"}},
	{"json-bodies", []string{"id", "type", "kind", "abbr", "name", "summary", "parent", "founded", "founded_in_connection_with",
		"supported_by", "url", "published", "updated", "versions", "versions.{tag}.url", "versions.{tag}.title", "versions.{tag}.summary",
		"versions.{tag}.published", "versions.{tag}.updated", "versions.{tag}.translation", "versions.{tag}.fallback"}},
	{"csv-declarations", []string{"id", "kind", "date", "body", "title_{tag}", "author_{tag}", "event_{tag}", "place_{tag}", "language",
		"text", "signatory_count", "signatories_{tag}", "refers_to", "url_{tag}", "translation_{tag}", "permalink", "published", "updated"}},
	{"csv-meetings", []string{"id", "date", "body", "title_{tag}", "place_{tag}", "mode", "topics_{tag}", "url_{tag}", "translation_{tag}",
		"permalink", "published", "updated"}},
	{"atom", []string{"entry/id", "entry/title", "entry/summary", "entry/link", "entry/published", "entry/updated", "entry/category/@term"}},
	{"ical", []string{"UID", "SUMMARY", "DTSTART", "DTEND", "LOCATION", "DESCRIPTION", "URL", "DTSTAMP"}},
	{"citations", nil},
	{"permalinks", nil},
	{"sitemap", nil},
	{"dcat", nil},
}

// DataFormat is a format of the data page and its documented fields.
type DataFormat struct {
	ID     string
	Fields []string
}

// DataKey is the catalogue key of a format's field: "Data.json-declarations.versions.tag.url".
func DataKey(format, field string) string {
	f := strings.NewReplacer("[]", "", "{tag}", "tag", "/", ".", "@", "").Replace(field)
	return "Data." + format + "." + f
}

// dataKeys lists every key of the data page.
func dataKeys() []string {
	var out []string
	for _, f := range DataFormats {
		out = append(out, "Data."+f.ID, "Data."+f.ID+".about")
		for _, field := range f.Fields {
			out = append(out, DataKey(f.ID, field))
		}
	}
	return out
}

// Data returns the catalogue's text of key (a DataKey, or Data.F,
// Data.F.about).
func (l *Labels) Data(key string) string {
	if s := l.family[key]; s != "" {
		return s
	}
	return key
}
