DROP INDEX pages_renderer_version;
ALTER TABLE pages DROP COLUMN renderer_version;
