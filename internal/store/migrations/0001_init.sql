-- The records of the content folder. The database is a build artefact of the
-- content: deleting it loses nothing, and import rebuilds it in one transaction.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Every record, whatever its type, with the id that never changes.
CREATE TABLE records (
  id           TEXT PRIMARY KEY,
  type         TEXT NOT NULL CHECK (type IN ('page', 'body', 'meeting', 'declaration')),
  untranslated INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One language version of a record: one content file. Small columns come
-- first: SQLite reads a row's columns in order, and the long texts at the
-- end spill into overflow pages that a query of the others never touches.
CREATE TABLE docs (
  record_id    TEXT NOT NULL REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  lang         TEXT NOT NULL CHECK (lang IN ('pl', 'en')),
  draft        INTEGER NOT NULL DEFAULT 0,
  publish_at   TEXT, -- UTC, 2006-01-02T15:04:05Z; NULL: always
  expires_at   TEXT, -- UTC; NULL: never
  published    TEXT NOT NULL, -- partial ISO date
  updated      TEXT NOT NULL,
  path         TEXT NOT NULL UNIQUE,
  slug         TEXT NOT NULL DEFAULT '',
  file         TEXT NOT NULL,
  title        TEXT NOT NULL,
  summary      TEXT NOT NULL,
  title_note   TEXT NOT NULL DEFAULT '',
  context_text TEXT NOT NULL DEFAULT '', -- plain text, for search snippets
  text         TEXT NOT NULL,
  context_html TEXT NOT NULL DEFAULT '',
  html         TEXT NOT NULL, -- the longest, last
  PRIMARY KEY (record_id, lang)
) STRICT, WITHOUT ROWID;

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
  id     TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  layout TEXT NOT NULL,
  menu   INTEGER NOT NULL DEFAULT 0,
  footer INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE bodies (
  id           TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  kind         TEXT NOT NULL,
  abbr         TEXT NOT NULL DEFAULT '',
  name_pl      TEXT NOT NULL,
  name_en      TEXT NOT NULL,
  founded      TEXT NOT NULL DEFAULT '' -- partial ISO date; '' when unknown
) STRICT;

CREATE TABLE meetings (
  id        TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  body_id   TEXT NOT NULL REFERENCES bodies (id) DEFERRABLE INITIALLY DEFERRED,
  date_from TEXT NOT NULL,
  date_to   TEXT NOT NULL DEFAULT '',
  place_pl  TEXT NOT NULL,
  place_en  TEXT NOT NULL,
  mode      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX meetings_date ON meetings (date_from DESC);
CREATE INDEX meetings_body ON meetings (body_id, date_from DESC);

-- Topics, participants and documents of a meeting, each in both languages.
CREATE TABLE meeting_items (
  meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
  kind       TEXT NOT NULL CHECK (kind IN ('topic', 'participant', 'document')),
  pos        INTEGER NOT NULL,
  pl         TEXT NOT NULL,
  en         TEXT NOT NULL,
  url        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, kind, pos)
) STRICT, WITHOUT ROWID;

CREATE TABLE declarations (
  id              TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  kind            TEXT NOT NULL,
  body_id         TEXT NOT NULL REFERENCES bodies (id) DEFERRABLE INITIALLY DEFERRED,
  date_from       TEXT NOT NULL,
  date_to         TEXT NOT NULL DEFAULT '',
  author_pl       TEXT NOT NULL,
  author_en       TEXT NOT NULL,
  event_pl        TEXT NOT NULL DEFAULT '',
  event_en        TEXT NOT NULL DEFAULT '',
  place_pl        TEXT NOT NULL DEFAULT '',
  place_en        TEXT NOT NULL DEFAULT '',
  language        TEXT NOT NULL DEFAULT '',
  text_scope      TEXT NOT NULL,
  signatory_count INTEGER NOT NULL DEFAULT 0,
  source_title_pl TEXT NOT NULL DEFAULT '',
  source_title_en TEXT NOT NULL DEFAULT '',
  source_url      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX declarations_date ON declarations (date_from DESC);
CREATE INDEX declarations_body ON declarations (body_id, date_from DESC);

CREATE TABLE signatories (
  declaration_id TEXT NOT NULL REFERENCES declarations (id) DEFERRABLE INITIALLY DEFERRED,
  pos            INTEGER NOT NULL,
  name           TEXT NOT NULL,
  role_pl        TEXT NOT NULL,
  role_en        TEXT NOT NULL,
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
