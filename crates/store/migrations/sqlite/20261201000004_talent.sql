-- Talent: residents with overseas health qualifications, their pathway
-- records, barriers, support and case notes (personal data: every read and
-- change is audited), the anchors' vacancies, placements and the
-- programme's targets and savings inputs. All programme-owned.

CREATE TABLE talent_people (
    id                    BLOB PRIMARY KEY,
    programme_id          BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    caseworker_id         BLOB REFERENCES users(id) ON DELETE SET NULL,
    full_name             TEXT,
    email                 TEXT,
    phone                 TEXT,
    postcode              TEXT,
    area_code             TEXT,
    lat                   REAL,
    lon                   REAL,
    profession            TEXT NOT NULL,
    qualification_country TEXT,
    qualification_year    INTEGER,
    qualifications        TEXT,
    experience_years      INTEGER NOT NULL DEFAULT 0,
    right_to_work         TEXT,
    available_from        TEXT,
    lawful_basis          TEXT NOT NULL,
    consent_given_on      TEXT,
    consent_withdrawn_on  TEXT,
    stage                 TEXT NOT NULL DEFAULT 'engaged',
    work                  TEXT NOT NULL DEFAULT 'none',
    work_on               TEXT,
    erased_at             TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    UNIQUE (programme_id, id)
) STRICT;
CREATE INDEX talent_people_caseworker ON talent_people(programme_id, caseworker_id);

CREATE TABLE talent_language_results (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    person_id    BLOB NOT NULL,
    test         TEXT NOT NULL CHECK (test IN ('ielts', 'oet')),
    taken_on     TEXT NOT NULL,
    overall      INTEGER,
    listening    INTEGER NOT NULL,
    reading      INTEGER NOT NULL,
    writing      INTEGER NOT NULL,
    speaking     INTEGER NOT NULL,
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE talent_steps (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    person_id    BLOB NOT NULL,
    step         TEXT NOT NULL,
    passed_on    TEXT NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, step, passed_on),
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE talent_barriers (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    person_id    BLOB NOT NULL,
    barrier      TEXT NOT NULL,
    rule         TEXT,
    raised_on    TEXT NOT NULL,
    resolved_on  TEXT,
    note         TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE talent_support (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    person_id    BLOB NOT NULL,
    kind         TEXT NOT NULL,
    given_on     TEXT NOT NULL,
    cost_pence   INTEGER NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE talent_notes (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    person_id    BLOB NOT NULL,
    author       TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE talent_vacancies (
    id            BLOB PRIMARY KEY,
    programme_id  BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    reference     TEXT NOT NULL,
    anchor_slug   TEXT,
    title         TEXT NOT NULL,
    role          TEXT NOT NULL,
    band          TEXT NOT NULL,
    site_postcode TEXT,
    posts         INTEGER NOT NULL CHECK (posts > 0),
    opens_on      TEXT NOT NULL,
    closes_on     TEXT,
    requirements  TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (programme_id, reference),
    UNIQUE (programme_id, id)
) STRICT;

CREATE TABLE talent_placements (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL,
    person_id    BLOB NOT NULL,
    vacancy_id   BLOB NOT NULL,
    status       TEXT NOT NULL,
    score        INTEGER NOT NULL,
    reasons      TEXT NOT NULL,
    started_on   TEXT,
    left_on      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (programme_id, person_id, vacancy_id),
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, vacancy_id) REFERENCES talent_vacancies(programme_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE talent_settings (
    programme_id        BLOB PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    target_engaged      INTEGER NOT NULL,
    target_into_work    INTEGER NOT NULL,
    on_cost_bp          INTEGER NOT NULL,
    cap_premium_bp      INTEGER NOT NULL,
    observed_premium_bp INTEGER NOT NULL
) STRICT;
