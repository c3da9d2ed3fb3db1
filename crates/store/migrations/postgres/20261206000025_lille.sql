-- A city outside the UK (issue 20 item 4, Lille): a programme's currency
-- and language, and organisations placed by coordinates where there is no
-- postcode look-up (an address's IRIS is the polygon that contains it).
ALTER TABLE programmes ADD COLUMN currency TEXT NOT NULL DEFAULT 'GBP';
ALTER TABLE programmes ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE organisations ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE organisations ADD COLUMN lon DOUBLE PRECISION;
