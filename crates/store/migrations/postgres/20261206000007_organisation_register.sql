-- What the national registers say of an organisation besides its name and
-- address (issue 14): its legal form (a CIC, a charitable company, a
-- registered society…), its charity number when it is also a charity, its
-- SIC codes (comma-separated, e.g. '86101,86900') and whether the register
-- says it is still active.
ALTER TABLE organisations ADD COLUMN legal_form TEXT;
ALTER TABLE organisations ADD COLUMN charity_number TEXT;
ALTER TABLE organisations ADD COLUMN sic_codes TEXT;
ALTER TABLE organisations ADD COLUMN register_status TEXT;
