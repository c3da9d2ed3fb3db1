-- Research: community researchers (personal data: every read and change is
-- audited; erasure blanks the personal columns and keeps channel, decile,
-- accreditation and hours), research projects, timesheet entries the
-- coordinator approves, and the programme's pay rule. All programme-owned.

CREATE TABLE research_researchers (
    id               uuid PRIMARY KEY,
    programme_id     uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    user_id          uuid REFERENCES users(id) ON DELETE SET NULL,
    full_name        text,
    email            text,
    postcode         text,
    area_code        text,
    decile           bigint,
    channel          text NOT NULL,
    recruited_on     date NOT NULL,
    languages        text,
    lawful_basis     text NOT NULL,
    consent_given_on date,
    training         text NOT NULL DEFAULT '',
    qualification    text,
    level            text,
    awarding_body    text,
    accredited_on    date,
    account_email    text,
    erased_at        timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (programme_id, id)
);
CREATE INDEX research_researchers_user ON research_researchers(programme_id, user_id);

CREATE TABLE research_projects (
    id                uuid PRIMARY KEY,
    programme_id      uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title             text NOT NULL,
    commissioner_kind text NOT NULL,
    commissioner      text NOT NULL DEFAULT '',
    question          text NOT NULL,
    method            text NOT NULL DEFAULT '',
    status            text NOT NULL,
    budget            bigint,
    findings          text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    UNIQUE (programme_id, title)
);

CREATE TABLE research_time (
    id            uuid PRIMARY KEY,
    programme_id  uuid NOT NULL,
    researcher_id uuid NOT NULL,
    project_id    uuid NOT NULL,
    worked_on     date NOT NULL,
    minutes       bigint NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    note          text NOT NULL DEFAULT '',
    status        text NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
    decided_at    timestamptz,
    created_at    timestamptz NOT NULL,
    UNIQUE (researcher_id, project_id, worked_on),
    FOREIGN KEY (programme_id, researcher_id) REFERENCES research_researchers(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, project_id) REFERENCES research_projects(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX research_time_programme ON research_time(programme_id, worked_on);

CREATE TABLE research_settings (
    programme_id uuid PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    scheme       text NOT NULL,
    pay_from     text NOT NULL,
    from_day     text NOT NULL DEFAULT ''
);
