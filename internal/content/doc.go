// Package content reads the site's content folder: Markdown files with YAML
// front matter, checked and rendered into a typed Site.
//
// This comment is the specification of the content format; the editors'
// reference (docs/content-reference.md) is generated from the same schema.
package content
