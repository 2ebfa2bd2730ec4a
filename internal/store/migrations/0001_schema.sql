-- The records of the content folder. The database is a build artefact of the
-- content and of the program that built it: deleting it loses nothing, and
-- import rebuilds it in one transaction. Texts that differ by language are
-- JSON objects by language tag ({"pl": …, "en": …, "uk": …}): the languages
-- are the content's (content/languages.yaml, kept in meta), not the schema's.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY, -- version, built, build, languages
  value TEXT NOT NULL
) STRICT;

-- Each language's message catalogue (catalog.Catalogue, as JSON).
CREATE TABLE catalogues (
  lang TEXT PRIMARY KEY,
  body TEXT NOT NULL
) STRICT;

-- Every record, whatever its type, with the id that never changes.
CREATE TABLE records (
  id           TEXT PRIMARY KEY,
  type         TEXT NOT NULL CHECK (type IN ('page', 'body', 'meeting', 'declaration')),
  untranslated TEXT NOT NULL DEFAULT '[]' -- JSON list of language tags
) STRICT;

-- One language version of a record: one content file, or the page of a
-- language the record has no file in, which shows its fallback's text
-- (fallback names that language; its texts are the fallback's rows). Small
-- columns first; the long texts are in doc_texts.
CREATE TABLE docs (
  record_id      TEXT NOT NULL REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  lang           TEXT NOT NULL,
  fallback       TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL, -- content.TranslationStatus
  source_hash    TEXT NOT NULL DEFAULT '', -- of an authoritative text
  translation_of TEXT NOT NULL DEFAULT '', -- the version a translation translates
  draft          INTEGER NOT NULL DEFAULT 0,
  publish_at     TEXT, -- UTC, 2006-01-02T15:04:05Z; NULL: always
  expires_at     TEXT, -- UTC; NULL: never
  published      TEXT NOT NULL, -- partial ISO date
  updated        TEXT NOT NULL,
  path           TEXT NOT NULL UNIQUE,
  slug           TEXT NOT NULL DEFAULT '',
  file           TEXT NOT NULL,
  title          TEXT NOT NULL,
  summary        TEXT NOT NULL,
  title_note     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (record_id, lang)
) STRICT, WITHOUT ROWID;
CREATE INDEX docs_publish_at ON docs (publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX docs_expires_at ON docs (expires_at) WHERE expires_at IS NOT NULL;

-- The long texts of the documents that have a file of their own. Lists,
-- feeds, the sitemap and every visibility check read docs; a text is read
-- only for the page that shows it.
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

-- The numbered, citable blocks of a declaration's text.
CREATE TABLE paragraphs (
  record_id TEXT NOT NULL,
  lang      TEXT NOT NULL,
  pos       INTEGER NOT NULL,
  anchor    TEXT NOT NULL,
  number    TEXT NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (record_id, lang, pos),
  FOREIGN KEY (record_id, lang) REFERENCES docs (record_id, lang) DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;

-- Notes on major changes to a document.
CREATE TABLE changes (
  record_id TEXT NOT NULL,
  lang      TEXT NOT NULL,
  pos       INTEGER NOT NULL,
  date      TEXT NOT NULL,
  note      TEXT NOT NULL,
  PRIMARY KEY (record_id, lang, pos),
  FOREIGN KEY (record_id, lang) REFERENCES docs (record_id, lang) DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;

-- Old URLs that answer 301 to a document's current path.
CREATE TABLE aliases (
  path      TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  lang      TEXT NOT NULL,
  FOREIGN KEY (record_id, lang) REFERENCES docs (record_id, lang) DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;

CREATE TABLE pages (
  id        TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  layout    TEXT NOT NULL,
  menu      INTEGER NOT NULL DEFAULT 0,
  footer    INTEGER NOT NULL DEFAULT 0,
  statement TEXT -- the accessibility statement's facts, as JSON (content.Statement)
) STRICT;

CREATE TABLE bodies (
  id            TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  kind          TEXT NOT NULL,
  abbr          TEXT NOT NULL DEFAULT '',
  name          TEXT NOT NULL, -- JSON text
  founded       TEXT NOT NULL DEFAULT '', -- partial ISO date; '' when unknown
  founded_label TEXT NOT NULL DEFAULT '{}' -- JSON text
) STRICT;

CREATE TABLE meetings (
  id        TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  body_id   TEXT NOT NULL REFERENCES bodies (id) DEFERRABLE INITIALLY DEFERRED,
  date_from TEXT NOT NULL,
  date_to   TEXT NOT NULL DEFAULT '',
  place     TEXT NOT NULL, -- JSON text
  mode      TEXT NOT NULL DEFAULT ''
) STRICT;
-- Lists are newest first, ties by id: in this order a page of a list is
-- read from the index and stops after its rows, however long the list.
CREATE INDEX meetings_date ON meetings (date_from DESC, id);
CREATE INDEX meetings_body ON meetings (body_id, date_from DESC);

-- Topics, participants and documents of a meeting, each a JSON text.
CREATE TABLE meeting_items (
  meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
  kind       TEXT NOT NULL CHECK (kind IN ('topic', 'participant', 'document')),
  pos        INTEGER NOT NULL,
  text       TEXT NOT NULL,
  url        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, kind, pos)
) STRICT, WITHOUT ROWID;

CREATE TABLE declarations (
  id              TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  kind            TEXT NOT NULL,
  body_id         TEXT NOT NULL REFERENCES bodies (id) DEFERRABLE INITIALLY DEFERRED,
  date_from       TEXT NOT NULL,
  date_to         TEXT NOT NULL DEFAULT '',
  author          TEXT NOT NULL DEFAULT '{}', -- JSON texts
  event           TEXT NOT NULL DEFAULT '{}',
  place           TEXT NOT NULL DEFAULT '{}',
  language        TEXT NOT NULL DEFAULT '',
  text_scope      TEXT NOT NULL,
  signatory_count INTEGER NOT NULL DEFAULT 0,
  source_title    TEXT NOT NULL DEFAULT '{}',
  source_url      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX declarations_date ON declarations (date_from DESC, id);
CREATE INDEX declarations_body ON declarations (body_id, date_from DESC);

CREATE TABLE signatories (
  declaration_id TEXT NOT NULL REFERENCES declarations (id) DEFERRABLE INITIALLY DEFERRED,
  pos            INTEGER NOT NULL,
  name           TEXT NOT NULL,
  role           TEXT NOT NULL, -- JSON text
  PRIMARY KEY (declaration_id, pos)
) STRICT, WITHOUT ROWID;

-- Typed relations between records, read both ways: refers_to, part_of,
-- founded_in_connection_with, supported_by.
CREATE TABLE relations (
  from_id TEXT NOT NULL REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  type    TEXT NOT NULL,
  to_id   TEXT NOT NULL REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  pos     INTEGER NOT NULL,
  PRIMARY KEY (from_id, type, to_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX relations_to ON relations (to_id, type);

-- Full-text search: one FTS5 index per language, made by import from the
-- registry (store.searchTable). The indexed text is folded by the program;
-- the indexes hold no copy of it (content=''). Rowids follow the documents'
-- dates, newest highest, pages and bodies above all, so that a query of
-- very common words can stop early.
--
-- Which document each rowid is, and when it is visible.
CREATE TABLE search_docs (
  rowid      INTEGER PRIMARY KEY,
  record_id  TEXT NOT NULL,
  lang       TEXT NOT NULL,
  draft      INTEGER NOT NULL,
  publish_at TEXT,
  expires_at TEXT
) STRICT;

-- Every indexed word and in how many documents it is, by language.
CREATE TABLE terms (
  lang TEXT NOT NULL,
  term TEXT NOT NULL,
  docs INTEGER NOT NULL,
  PRIMARY KEY (lang, term)
) STRICT, WITHOUT ROWID;

-- What search results are filtered by and show.
CREATE TABLE facets (
  record_id TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  type      TEXT NOT NULL,
  body_id   TEXT NOT NULL DEFAULT '',
  year      INTEGER NOT NULL DEFAULT 0,
  date      TEXT NOT NULL DEFAULT ''
) STRICT;
