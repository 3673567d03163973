-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- 0002: natural keys, so that `lers import` (LersImporter) finds what an
-- earlier import stored and importing the same file twice changes nothing.
--
--   nodes        number                         (nodes_number_key)
--   devices      coalesce(model, '') + serial   (devices_model_serial_key)
--   connections  kind + host + port             (connections_address_key)
--
-- Rows without a key (a NULL or empty number, serial or host) are allowed,
-- any number of them: objects made by hand or over the API need not have
-- one.  The indexes are partial, so such rows never collide, and import never
-- matches them; import itself requires every node's number, every device's
-- serial and every connection's host.  A device without a model is keyed by
-- its serial with an empty model.
--
-- Databases filled by the old, non-idempotent import may already hold
-- duplicates of a key, which would stop the unique index from being built.
-- They describe the same node, meter or link, so they are merged into the
-- oldest row (the lowest id): references move to it, and each removed row is
-- kept, whole, as JSON in import_merged_rows, so nothing stored is lost.
--
-- Measure points are keyed, within their node, by device and channel
-- (measure_points_device_channel_key; points without a device are not
-- keyed).  Merging nodes and devices can leave two points of one node on
-- the same device and channel: they are merged into the lowest id too.
-- The removed point's archive rows move to the kept point, except where the
-- kept point already has a row of that kind and time (its own reading is
-- kept); such a row is kept, whole, in import_merged_rows as well.

CREATE TABLE import_merged_rows (
  table_name text NOT NULL,
  kept_id bigint NOT NULL,
  row_data jsonb NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now()
);

-- connections: kind + host + port
CREATE TEMPORARY TABLE merge_connections ON COMMIT DROP AS
SELECT id, kept FROM (
  SELECT id, min(id) OVER (PARTITION BY kind, host, port) AS kept
  FROM connections WHERE host IS NOT NULL AND host <> '') AS s
WHERE id <> kept;
INSERT INTO import_merged_rows (table_name, kept_id, row_data)
SELECT 'connections', m.kept, to_jsonb(c) FROM connections c JOIN merge_connections m USING (id);
UPDATE devices d SET connection_id = m.kept FROM merge_connections m WHERE d.connection_id = m.id;
DELETE FROM connections c USING merge_connections m WHERE c.id = m.id;
CREATE UNIQUE INDEX connections_address_key ON connections (kind, host, port)
  WHERE host IS NOT NULL AND host <> '';

-- devices: model + serial number
CREATE TEMPORARY TABLE merge_devices ON COMMIT DROP AS
SELECT id, kept FROM (
  SELECT id, min(id) OVER (PARTITION BY coalesce(model, ''), serial_number) AS kept
  FROM devices WHERE serial_number IS NOT NULL AND serial_number <> '') AS s
WHERE id <> kept;
INSERT INTO import_merged_rows (table_name, kept_id, row_data)
SELECT 'devices', m.kept, to_jsonb(d) FROM devices d JOIN merge_devices m USING (id);
UPDATE measure_points p SET device_id = m.kept FROM merge_devices m WHERE p.device_id = m.id;
DELETE FROM devices d USING merge_devices m WHERE d.id = m.id;
CREATE UNIQUE INDEX devices_model_serial_key ON devices ((coalesce(model, '')), serial_number)
  WHERE serial_number IS NOT NULL AND serial_number <> '';

-- nodes: number
CREATE TEMPORARY TABLE merge_nodes ON COMMIT DROP AS
SELECT id, kept FROM (
  SELECT id, min(id) OVER (PARTITION BY number) AS kept
  FROM nodes WHERE number IS NOT NULL AND number <> '') AS s
WHERE id <> kept;
INSERT INTO import_merged_rows (table_name, kept_id, row_data)
SELECT 'nodes', m.kept, to_jsonb(n) FROM nodes n JOIN merge_nodes m USING (id);
UPDATE measure_points p SET node_id = m.kept FROM merge_nodes m WHERE p.node_id = m.id;
DELETE FROM nodes n USING merge_nodes m WHERE n.id = m.id;
CREATE UNIQUE INDEX nodes_number_key ON nodes (number) WHERE number IS NOT NULL AND number <> '';

-- measure points: node + device + channel (after the merges above, which
-- moved points onto the kept nodes and devices)
CREATE TEMPORARY TABLE merge_points ON COMMIT DROP AS
SELECT id, kept FROM (
  SELECT id, min(id) OVER (PARTITION BY node_id, device_id, channel) AS kept
  FROM measure_points WHERE node_id IS NOT NULL AND device_id IS NOT NULL) AS s
WHERE id <> kept;
INSERT INTO import_merged_rows (table_name, kept_id, row_data)
SELECT 'measure_points', m.kept, to_jsonb(p) FROM measure_points p JOIN merge_points m USING (id);
INSERT INTO import_merged_rows (table_name, kept_id, row_data)
SELECT 'archive', m.kept, to_jsonb(a) FROM archive a JOIN merge_points m ON a.point_id = m.id
WHERE EXISTS (SELECT FROM archive k WHERE k.point_id = m.kept AND k.kind = a.kind AND k.ts = a.ts);
INSERT INTO archive (point_id, kind, channel, ts, data)
SELECT m.kept, a.kind, a.channel, a.ts, a.data FROM archive a JOIN merge_points m ON a.point_id = m.id
ON CONFLICT DO NOTHING;
DELETE FROM archive a USING merge_points m WHERE a.point_id = m.id;
DELETE FROM measure_points p USING merge_points m WHERE p.id = m.id;
CREATE UNIQUE INDEX measure_points_device_channel_key ON measure_points (node_id, device_id, channel)
  WHERE device_id IS NOT NULL;
