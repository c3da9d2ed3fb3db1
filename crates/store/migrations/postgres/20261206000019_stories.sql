-- Stories (case studies) with the consent of the person, researcher or
-- organisation they are about: when consent was given, how, and the
-- account that recorded it. A withdrawn consent blanks the story's text
-- and keeps only the day it was withdrawn, so it can never be shown again.
-- The story points at its subject through keys that carry the programme,
-- so it cannot name another programme's rows; erasing the person or
-- researcher deletes the stories about them in the same transaction.
-- Also the report's own texts the programme manager writes (challenge,
-- solution, what worked and what did not when no workshop says it).

CREATE TABLE programme_stories (
    id                   uuid PRIMARY KEY,
    programme_id         uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title                text NOT NULL,
    shown_as             text NOT NULL,
    body                 text NOT NULL,
    told_on              date NOT NULL,
    subject_kind         text NOT NULL CHECK (subject_kind IN ('person', 'researcher', 'organisation')),
    person_id            uuid,
    researcher_id        uuid,
    organisation_id      uuid,
    consent_given_on     date NOT NULL,
    consent_method       text NOT NULL,
    consent_note         text NOT NULL,
    consent_recorded_by  text NOT NULL,
    consent_recorder_id  uuid REFERENCES users(id) ON DELETE SET NULL,
    consent_withdrawn_on date,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (programme_id, id),
    CHECK ((subject_kind = 'person') = (person_id IS NOT NULL)),
    CHECK ((subject_kind = 'researcher') = (researcher_id IS NOT NULL)),
    CHECK ((subject_kind = 'organisation') = (organisation_id IS NOT NULL)),
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, researcher_id) REFERENCES research_researchers(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
);
CREATE INDEX programme_stories_told ON programme_stories(programme_id, told_on);

CREATE TABLE programme_report_texts (
    programme_id  uuid PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    challenge     text NOT NULL,
    solution      text NOT NULL,
    what_worked   text NOT NULL,
    what_did_not  text NOT NULL,
    updated_at    timestamptz NOT NULL
);
