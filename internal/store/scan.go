package store

import (
	"github.com/krakow/wspolpraca/internal/content"
)

// The content's records as the database holds them: each is read into its
// content type in one place, whichever view it is for (a page's, open
// data's).

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// declarationColumns are the columns scanDeclaration reads, of the
// declarations table as x.
const declarationColumns = `x.id, x.kind, x.body_id, x.date_from, x.date_to, x.author, x.event, x.place, x.language,
	x.text_scope, x.signatory_count, x.source_title, x.source_url`

// scanDeclaration reads declarationColumns, then extra, into d. A stored
// value that does not read back is an error naming the record and column;
// sql.ErrNoRows is returned as it is.
func scanDeclaration(row scanner, d *content.Declaration, extra ...any) error {
	d.Type = content.TypeDeclaration
	var from, to, author, event, place, source, sourceURL string
	dest := append([]any{&d.ID, &d.Kind, &d.Body, &from, &to, &author, &event, &place, &d.Language,
		&d.TextScope, &d.SignatoryCount, &source, &sourceURL}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	var sourceTitle Text
	for _, t := range []struct {
		column, raw string
		dst         *Text
	}{{"author", author, &d.Author}, {"event", event, &d.Event}, {"place", place, &d.Place}, {"source_title", source, &sourceTitle}} {
		if err := storedText(d.ID, "declarations."+t.column, t.raw, t.dst); err != nil {
			return err
		}
	}
	if !sourceTitle.IsZero() || sourceURL != "" {
		d.Source = &content.Source{Title: sourceTitle, URL: sourceURL}
	}
	var err error
	d.Date, err = storedRange(d.ID, "declarations", from, to)
	return err
}

// meetingColumns are the columns scanMeeting reads, of the meetings table
// as x.
const meetingColumns = `x.id, x.body_id, x.date_from, x.date_to, x.place, x.mode`

// scanMeeting reads meetingColumns, then extra, into m (its items are
// added with addMeetingItem).
func scanMeeting(row scanner, m *content.Meeting, extra ...any) error {
	m.Type = content.TypeMeeting
	var from, to, place string
	if err := row.Scan(append([]any{&m.ID, &m.Body, &from, &to, &place, &m.Mode}, extra...)...); err != nil {
		return err
	}
	if err := storedText(m.ID, "meetings.place", place, &m.Place); err != nil {
		return err
	}
	var err error
	m.Date, err = storedRange(m.ID, "meetings", from, to)
	return err
}

// addMeetingItem adds a row of meeting_items (kind topic, participant or
// document) to m.
func addMeetingItem(m *content.Meeting, kind, raw, url string) error {
	var t Text
	if err := storedText(m.ID, "meeting_items.text ("+kind+")", raw, &t); err != nil {
		return err
	}
	switch kind {
	case "topic":
		m.Topics = append(m.Topics, t)
	case "participant":
		m.Participants = append(m.Participants, t)
	case "document":
		m.Documents = append(m.Documents, content.Document{Title: t, URL: url})
	}
	return nil
}
