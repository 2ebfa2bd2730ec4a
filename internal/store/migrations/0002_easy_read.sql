-- Easy-to-read text (ETR). The page in easy-to-read text, which the header
-- of every page links to, and the easy-to-read summary of a body or a
-- declaration (content's easy_read_summary), rendered (easy_html) and as
-- plain text (easy_text), in the language of its document.
ALTER TABLE pages ADD COLUMN easy_read INTEGER NOT NULL DEFAULT 0;
ALTER TABLE doc_texts ADD COLUMN easy_text TEXT NOT NULL DEFAULT '';
ALTER TABLE doc_texts ADD COLUMN easy_html TEXT NOT NULL DEFAULT '';
