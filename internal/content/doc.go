// Package content reads the site's content folder: Markdown files with YAML
// front matter, checked and rendered into a typed Site.
//
// This comment is the specification of the content format; the editors'
// reference (docs/content-reference.md) is generated from the same schema.
//
// It owns the content format: reading, checking (every problem at its
// file:line:col), rendering Markdown to HTML and the domain types the other
// packages share (Site, Declaration, Text…). It must not read or write the
// database nor serve anything: store imports a Site, web serves the store.
package content
