-- The scheduled documents, for NextChange (asked on the first request after
-- every reload and schedule change): without these it reads all of docs.
CREATE INDEX docs_publish_at ON docs (publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX docs_expires_at ON docs (expires_at) WHERE expires_at IS NOT NULL;

-- Lists are newest first, ties by id: in this order a page of a list is
-- read from the index and stops after its rows, however long the list.
DROP INDEX declarations_date;
DROP INDEX meetings_date;
CREATE INDEX declarations_date ON declarations (date_from DESC, id);
CREATE INDEX meetings_date ON meetings (date_from DESC, id);
