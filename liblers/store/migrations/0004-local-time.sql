-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- 0004: local time.  Meters and operators keep local time: a territory
-- names an IANA time zone (territories.timezone, from 0001; NULL or '' for
-- its parent's, or the server's at the top), a node belongs to a territory,
-- a device's clock keeps its node's zone unless devices.clock_zone names
-- another, and a measure point's day and month archives begin at its
-- reporting hour (0-23) and reporting day (1-28), local time.  Timestamps
-- stay UTC timestamptz everywhere.

ALTER TABLE devices ADD COLUMN clock_zone text;

ALTER TABLE measure_points
  ADD COLUMN reporting_hour smallint NOT NULL DEFAULT 0
    CHECK (reporting_hour BETWEEN 0 AND 23),
  ADD COLUMN reporting_day smallint NOT NULL DEFAULT 1
    CHECK (reporting_day BETWEEN 1 AND 28);

CREATE INDEX nodes_territory_id_idx ON nodes (territory_id);
CREATE INDEX territories_parent_id_idx ON territories (parent_id);

-- The zone of a territory: its own, or the nearest parent's that names one;
-- NULL when none does (the server's zone).  At most 32 levels, so a cycle
-- of parents made by hand ends.
CREATE FUNCTION lers_territory_time_zone (territory bigint)
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
  WITH RECURSIVE up (id, parent_id, timezone, depth) AS (
    SELECT id, parent_id, timezone, 0 FROM territories WHERE id = territory
    UNION ALL
    SELECT t.id, t.parent_id, t.timezone, up.depth + 1
      FROM territories t JOIN up ON t.id = up.parent_id
     WHERE up.depth < 32 AND coalesce(up.timezone, '') = ''
  )
  SELECT timezone FROM up WHERE coalesce(timezone, '') <> '' ORDER BY depth LIMIT 1
$$;
