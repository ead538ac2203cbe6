-- Which version of the Markdown renderer and sanitizer produced the stored HTML of a page
-- (lieu_markdown::RENDERER_VERSION). Pages rendered by an older version are rendered again
-- from their Markdown at start or with `lieu rerender`. Existing rows are of unknown version: 0.
ALTER TABLE pages ADD COLUMN renderer_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX pages_renderer_version ON pages (renderer_version);
