-- The facts a few pages carry besides their text (content's pagefacts.go),
-- as JSON (store.PageFacts), NULL for a page with none: a recording in
-- Polish Sign Language, what the City has confirmed about re-use, and what
-- the open-data catalogue says of every dataset.
ALTER TABLE pages ADD COLUMN facts TEXT;
