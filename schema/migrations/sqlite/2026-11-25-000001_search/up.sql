-- Search (issue 8). The tantivy index is derived from the database: every change to a page or
-- an entry writes a row here in the same transaction, and the indexer of each process applies
-- the rows after the last one its index has committed (kept in the index's commit payload).
-- Rows are pruned once old; a rebuilt index starts from the newest row.
CREATE TABLE index_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 'page', 'entry' or 'synonyms'
    source TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX index_outbox_created ON index_outbox (created_at);

-- Groups of words and phrases that mean the same to a resident ("caf", "allocations
-- familiales"), one group per row, phrases separated by commas. Agents edit them.
CREATE TABLE synonyms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    terms TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Searches that found nothing, without personal data: the normalized text, the day, how many
-- times. Kept 90 days.
CREATE TABLE search_misses (
    query TEXT NOT NULL,
    day TEXT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (query, day)
);
CREATE INDEX search_misses_day ON search_misses (day);

-- A starter list: the acronyms of French public services that residents type at the desk.
INSERT INTO synonyms (terms, updated_at) VALUES
    ('caf, caisse d''allocations familiales, allocations familiales', CURRENT_TIMESTAMP),
    ('apl, aide personnalisée au logement, aide au logement, allocation logement', CURRENT_TIMESTAMP),
    ('rsa, revenu de solidarité active', CURRENT_TIMESTAMP),
    ('cpam, caisse primaire d''assurance maladie, assurance maladie, sécurité sociale, sécu', CURRENT_TIMESTAMP),
    ('msa, mutualité sociale agricole', CURRENT_TIMESTAMP),
    ('ants, agence nationale des titres sécurisés, titres sécurisés', CURRENT_TIMESTAMP),
    ('cmi, carte mobilité inclusion', CURRENT_TIMESTAMP),
    ('mdph, maison départementale des personnes handicapées', CURRENT_TIMESTAMP),
    ('aah, allocation aux adultes handicapés', CURRENT_TIMESTAMP),
    ('france travail, pôle emploi', CURRENT_TIMESTAMP),
    ('carsat, caisse d''assurance retraite et de la santé au travail, assurance retraite', CURRENT_TIMESTAMP),
    ('dgfip, impôts, finances publiques', CURRENT_TIMESTAMP),
    ('cni, carte nationale d''identité, carte d''identité', CURRENT_TIMESTAMP),
    ('css, complémentaire santé solidaire, cmu', CURRENT_TIMESTAMP),
    ('ccas, centre communal d''action sociale', CURRENT_TIMESTAMP),
    ('paje, prestation d''accueil du jeune enfant', CURRENT_TIMESTAMP),
    ('rpe, relais petite enfance, relais assistantes maternelles, ram', CURRENT_TIMESTAMP),
    ('crèche, multi-accueil, halte-garderie', CURRENT_TIMESTAMP),
    ('ehpad, maison de retraite', CURRENT_TIMESTAMP),
    ('cv, curriculum vitae', CURRENT_TIMESTAMP);
