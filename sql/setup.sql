-- Install the oldest released version and walk every upgrade in order;
-- every later test runs against the upgraded extension.
CREATE EXTENSION custjourney VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'custjourney';
ALTER EXTENSION custjourney UPDATE TO '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'custjourney';
ALTER EXTENSION custjourney UPDATE TO '1.2';
SELECT extversion FROM pg_extension WHERE extname = 'custjourney';
-- the upgrade graph has no unexpected path
SELECT source, target, path FROM pg_extension_update_paths('custjourney')
WHERE path IS NOT NULL ORDER BY source, target;
