-- The long texts of documents in a table of their own. Lists, feeds, the
-- sitemap and every visibility check read docs; with the texts inline,
-- each of them read about a kilobyte of every row (the part of a long row
-- kept in the b-tree), which on 40,000 documents is most of the file.
-- Now docs rows are a few hundred bytes, and a text is read only for the
-- page that shows it.
CREATE TABLE doc_texts (
  record_id    TEXT NOT NULL,
  lang         TEXT NOT NULL,
  context_text TEXT NOT NULL DEFAULT '', -- plain text, for search snippets
  text         TEXT NOT NULL,
  context_html TEXT NOT NULL DEFAULT '',
  html         TEXT NOT NULL,
  UNIQUE (record_id, lang),
  FOREIGN KEY (record_id, lang) REFERENCES docs (record_id, lang) DEFERRABLE INITIALLY DEFERRED
) STRICT;

ALTER TABLE docs DROP COLUMN html;
ALTER TABLE docs DROP COLUMN context_html;
ALTER TABLE docs DROP COLUMN text;
ALTER TABLE docs DROP COLUMN context_text;
