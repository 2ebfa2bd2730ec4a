-- The facts of the accessibility statement, as JSON (content.Statement), on
-- the page with layout accessibility.
ALTER TABLE pages ADD COLUMN statement TEXT;
