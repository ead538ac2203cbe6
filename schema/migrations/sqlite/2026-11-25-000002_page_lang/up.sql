-- The language of a page's text (BCP 47: 'fr', 'en'): the page is marked with it, and the search
-- index analyses it in that language. Set from the content files' front matter (lang = "en").
ALTER TABLE pages ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
