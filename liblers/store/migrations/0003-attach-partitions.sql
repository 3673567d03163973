-- A month's partition is made as a table of its own and then attached.
--
-- CREATE TABLE … PARTITION OF archive takes ACCESS EXCLUSIVE on archive:
-- it waits for every open transaction that has read or written the archive,
-- a LersTransaction that wrote one month and now needs the next among them
-- (the partition is made on another connection, so it waited for its own
-- transaction until the lock timeout).  ALTER TABLE … ATTACH PARTITION takes
-- only SHARE UPDATE EXCLUSIVE on archive (PostgreSQL 12 and later; see
-- "Partition Maintenance" in the manual), which does not conflict with the
-- ROW EXCLUSIVE and ACCESS SHARE locks of writers and readers; ACCESS
-- EXCLUSIVE is taken only on the new, empty table.  archive has no DEFAULT
-- partition, so no other partition is locked or scanned.
CREATE OR REPLACE FUNCTION lers_archive_ensure_partition (at timestamptz)
  RETURNS text
  LANGUAGE plpgsql
  AS $$
DECLARE
  month_start timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  month_end timestamptz := (date_trunc('month', at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  part text := 'archive_' || to_char(at AT TIME ZONE 'UTC', 'YYYY"m"MM');
BEGIN
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN part;
  END IF;
  -- Serialise creators of the same month; the lock goes with the transaction.
  -- Taking it does not refresh the catalogue caches, so a session that waited
  -- may still not see the table the other one made: that is the exception.
  PERFORM pg_advisory_xact_lock(hashtext('lers_archive_partition'), hashtext(part));
  BEGIN
    -- the columns, NOT NULLs and defaults of archive; ATTACH makes the
    -- primary key's index (empty table: nothing to build, nothing to scan)
    EXECUTE format('CREATE TABLE %I (LIKE archive INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                   ' INCLUDING STORAGE INCLUDING COMPRESSION)', part);
    EXECUTE format('ALTER TABLE archive ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   part, month_start, month_end);
  EXCEPTION WHEN duplicate_table THEN
    NULL;
  END;
  RETURN part;
END
$$;
