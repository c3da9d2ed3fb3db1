//! Talent: overseas-qualified professionals into NHS jobs. So far the
//! matching solver that places people in vacancies without over-filling
//! posts; pathways, casework and results build on it.

pub mod assignment;
