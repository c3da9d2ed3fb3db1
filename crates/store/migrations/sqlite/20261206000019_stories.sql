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
    id                   BLOB PRIMARY KEY,
    programme_id         BLOB NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title                TEXT NOT NULL,
    shown_as             TEXT NOT NULL,
    body                 TEXT NOT NULL,
    told_on              TEXT NOT NULL,
    subject_kind         TEXT NOT NULL CHECK (subject_kind IN ('person', 'researcher', 'organisation')),
    person_id            BLOB,
    researcher_id        BLOB,
    organisation_id      BLOB,
    consent_given_on     TEXT NOT NULL,
    consent_method       TEXT NOT NULL,
    consent_note         TEXT NOT NULL,
    consent_recorded_by  TEXT NOT NULL,
    consent_recorder_id  BLOB REFERENCES users(id) ON DELETE SET NULL,
    consent_withdrawn_on TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (programme_id, id),
    CHECK ((subject_kind = 'person') = (person_id IS NOT NULL)),
    CHECK ((subject_kind = 'researcher') = (researcher_id IS NOT NULL)),
    CHECK ((subject_kind = 'organisation') = (organisation_id IS NOT NULL)),
    FOREIGN KEY (programme_id, person_id) REFERENCES talent_people(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, researcher_id) REFERENCES research_researchers(programme_id, id) ON DELETE CASCADE,
    FOREIGN KEY (programme_id, organisation_id) REFERENCES organisations(programme_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX programme_stories_told ON programme_stories(programme_id, told_on);

CREATE TABLE programme_report_texts (
    programme_id  BLOB PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    challenge     TEXT NOT NULL,
    solution      TEXT NOT NULL,
    what_worked   TEXT NOT NULL,
    what_did_not  TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
