-- Social enterprises (issue 18). An enterprise is an organisation of the
-- register with a profile (never a second table of organisations); the
-- profile, a lot's requirements are kept as the JSON of their core types
-- (`useit_core::enterprise::profile::Profile`, `lot::LotDraft`), read whole
-- by the eligibility check and the consortium builder.
CREATE TABLE enterprise_profiles (
    programme_id    uuid NOT NULL,
    organisation_id uuid NOT NULL,
    profile         text NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (programme_id, organisation_id),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE enterprise_support (
    id               uuid PRIMARY KEY,
    programme_id     uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    given_on         date NOT NULL,
    kind             text NOT NULL,
    tenths_of_hours  integer NOT NULL,
    outcome          text NOT NULL,
    plan_stage       text NOT NULL,
    adviser          text NOT NULL,
    created_at       timestamptz NOT NULL,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX enterprise_support_org ON enterprise_support(programme_id, organisation_id, given_on);

-- Income by the year a financial year starts in, in pence.
CREATE TABLE enterprise_income (
    programme_id    uuid NOT NULL,
    organisation_id uuid NOT NULL,
    year            integer NOT NULL,
    grants          bigint NOT NULL,
    donations       bigint NOT NULL,
    trading         bigint NOT NULL,
    contracts       bigint NOT NULL,
    PRIMARY KEY (programme_id, organisation_id, year),
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);

CREATE TABLE enterprise_lots (
    id           uuid PRIMARY KEY,
    programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    reference    text NOT NULL,
    lot          text NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (programme_id, reference)
);
