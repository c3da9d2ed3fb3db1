-- Talent: residents with overseas health qualifications, their pathway
-- records, barriers, support and case notes (personal data: every read and
-- change is audited), the anchors' vacancies, placements and the
-- programme's targets and savings inputs. All programme-owned.

CREATE TABLE talent_people (
    id                    uuid PRIMARY KEY,
    programme_id          uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    caseworker_id         uuid REFERENCES users(id) ON DELETE SET NULL,
    full_name             text,
    email                 text,
    phone                 text,
    postcode              text,
    area_code             text,
    lat                   double precision,
    lon                   double precision,
    profession            text NOT NULL,
    qualification_country text,
    qualification_year    bigint,
    qualifications        text,
    experience_years      bigint NOT NULL DEFAULT 0,
    right_to_work         text,
    available_from        date,
    lawful_basis          text NOT NULL,
    consent_given_on      date,
    consent_withdrawn_on  date,
    stage                 text NOT NULL DEFAULT 'engaged',
    work                  text NOT NULL DEFAULT 'none',
    work_on               date,
    erased_at             timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    UNIQUE (programme_id, id)
);
CREATE INDEX talent_people_caseworker ON talent_people(programme_id, caseworker_id);

CREATE TABLE talent_language_results (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    person_id    uuid NOT NULL,
    test         text NOT NULL CHECK (test IN ('ielts', 'oet')),
    taken_on     date NOT NULL,
    overall      bigint,
    listening    bigint NOT NULL,
    reading      bigint NOT NULL,
    writing      bigint NOT NULL,
    speaking     bigint NOT NULL,
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE talent_steps (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    person_id    uuid NOT NULL,
    step         text NOT NULL,
    passed_on    date NOT NULL,
    evidence     text NOT NULL DEFAULT '',
    UNIQUE (person_id, step, passed_on),
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE talent_barriers (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    person_id    uuid NOT NULL,
    barrier      text NOT NULL,
    rule         text,
    raised_on    date NOT NULL,
    resolved_on  date,
    note         text NOT NULL DEFAULT '',
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE talent_support (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    person_id    uuid NOT NULL,
    kind         text NOT NULL,
    given_on     date NOT NULL,
    cost_pence   bigint NOT NULL DEFAULT 0,
    note         text NOT NULL DEFAULT '',
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE talent_notes (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    person_id    uuid NOT NULL,
    author       text NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL,
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE talent_vacancies (
    id            uuid PRIMARY KEY,
    programme_id  uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    reference     text NOT NULL,
    anchor_slug   text,
    title         text NOT NULL,
    role          text NOT NULL,
    band          text NOT NULL,
    site_postcode text,
    posts         bigint NOT NULL CHECK (posts > 0),
    opens_on      date NOT NULL,
    closes_on     date,
    requirements  text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (programme_id, reference),
    UNIQUE (programme_id, id)
);

CREATE TABLE talent_placements (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL,
    person_id    uuid NOT NULL,
    vacancy_id   uuid NOT NULL,
    status       text NOT NULL,
    score        bigint NOT NULL,
    reasons      text NOT NULL,
    started_on   date,
    left_on      date,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (programme_id, person_id, vacancy_id),
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, vacancy_id) REFERENCES talent_vacancies(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE talent_settings (
    programme_id        uuid PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    target_engaged      bigint NOT NULL,
    target_into_work    bigint NOT NULL,
    on_cost_bp          bigint NOT NULL,
    cap_premium_bp      bigint NOT NULL,
    observed_premium_bp bigint NOT NULL
);
