-- SPDX-License-Identifier: LGPL-2.1-or-later
-- Where the demo's houses stand: the web map and local times. They stand in
-- Ekaterinburg (a territory with its time zone): the M-Bus houses (numbers
-- demo-1 … demo-N) around 56.84, 60.61, the house of Russian meters
-- (demo-ru-1, "Дом на Ленина, 5") in the middle of them. Run by scripts/demo
-- and scripts/demo-house (psql -f) after each import: only nodes without a
-- territory, or without coordinates, are touched, so a second run (or a
-- user's own changes) leaves them as they are.
INSERT INTO territories (title, timezone)
  SELECT 'Свердловская область', 'Asia/Yekaterinburg'
  WHERE NOT EXISTS (SELECT 1 FROM territories WHERE title = 'Свердловская область');
INSERT INTO territories (title, parent_id, timezone)
  SELECT 'Екатеринбург', (SELECT min(id) FROM territories WHERE title = 'Свердловская область'),
         'Asia/Yekaterinburg'
  WHERE NOT EXISTS (SELECT 1 FROM territories WHERE title = 'Екатеринбург');
UPDATE nodes SET territory_id = (SELECT min(id) FROM territories WHERE title = 'Екатеринбург')
  WHERE number ~ '^demo-(ru-)?[0-9]+$' AND territory_id IS NULL;
-- (the CASE keeps the cast away from demo-ru-1: PostgreSQL may test the
-- conditions of a WHERE in any order)
-- lers-sim --config wrote coordinates in Moscow (55.75 + 0.01 (n − 1),
-- 37.62 + 0.01 (n − 1)) until it left them to this file: those count as none
UPDATE nodes SET latitude = 56.84 + 0.011 * (((CASE WHEN number ~ '^demo-[0-9]+$' THEN substr(number, 6)::int END) * 3) % 7 - 3),
                 longitude = 60.61 + 0.019 * (((CASE WHEN number ~ '^demo-[0-9]+$' THEN substr(number, 6)::int END) * 5) % 7 - 3)
  WHERE number ~ '^demo-[0-9]+$'
    AND ((latitude = 0 AND longitude = 0)
         OR (abs(latitude - (55.75 + 0.01 * ((CASE WHEN number ~ '^demo-[0-9]+$' THEN substr(number, 6)::int END) - 1))) < 1e-9
             AND abs(longitude - (37.62 + 0.01 * ((CASE WHEN number ~ '^demo-[0-9]+$' THEN substr(number, 6)::int END) - 1))) < 1e-9));
UPDATE nodes SET latitude = 56.8385, longitude = 60.6055
  WHERE number = 'demo-ru-1' AND latitude = 0 AND longitude = 0;
