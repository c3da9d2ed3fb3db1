//! Talent: residents with overseas health qualifications on their way into
//! NHS jobs, their caseworkers, vacancies and placements.
