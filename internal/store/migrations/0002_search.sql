-- Full-text search, one index per language. The indexed text is folded by
-- the program (lowercase, Polish letters without marks, ł → l, which
-- Unicode does not decompose); unicode61 folds anything else. The indexes
-- hold no copy of the text (content=''): results are shown from docs, and
-- snippets cut from there by the program.
--
-- Rowids follow the documents' dates (newest highest; pages and bodies
-- above all), so a query that matches very many documents can stop after
-- the newest few hundred and rank those (see store.Search).
CREATE VIRTUAL TABLE search_pl USING fts5(title, summary, body, facets, content = '', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_en USING fts5(title, summary, body, facets, content = '', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_pl_vocab USING fts5vocab(search_pl, 'col');
CREATE VIRTUAL TABLE search_en_vocab USING fts5vocab(search_en, 'col');

-- Which document each rowid of the indexes is, and when it is visible
-- (copied from docs, so that ranking reads no long rows).
CREATE TABLE search_docs (
  rowid      INTEGER PRIMARY KEY,
  record_id  TEXT NOT NULL,
  lang       TEXT NOT NULL,
  draft      INTEGER NOT NULL,
  publish_at TEXT,
  expires_at TEXT
) STRICT;

-- Every indexed word and in how many documents it is: prefix queries are
-- expanded to the commonest words they match, and "did you mean"
-- suggestions are drawn from here.
CREATE TABLE terms (
  lang TEXT NOT NULL,
  term TEXT NOT NULL,
  docs INTEGER NOT NULL,
  PRIMARY KEY (lang, term)
) STRICT, WITHOUT ROWID;

-- What search results are filtered by and show: type, body, year and date
-- of each record.
CREATE TABLE facets (
  record_id TEXT PRIMARY KEY REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
  type      TEXT NOT NULL,
  body_id   TEXT NOT NULL DEFAULT '',
  year      INTEGER NOT NULL DEFAULT 0,
  date      TEXT NOT NULL DEFAULT '' -- the record's date or range, ISO 8601
) STRICT;
