//! Black-box tests: the real application on a random port, spoken to over
//! HTTP as a browser or an API client would. Each story runs on SQLite and,
//! when `USEIT_TEST_PG_URL` is set (always under CI), on PostgreSQL.

mod helpers;

mod interactions;

mod api;
mod assets;
mod attacks;
mod audit_words;
mod authz;
mod bulk;
mod catalogue;
mod community;
mod enterprise_directory;
mod enterprise_merge;
mod findings;
mod guard;
mod indicator_links;
mod kept_lists;
mod kept_sessions;
mod model;
mod pages;
mod partners;
mod place;
mod register_search;
mod registers;
mod research;
mod security;
mod spend;
mod spend_files;
mod stories;
mod talent;
mod tenancy;
mod workforce;
mod workshops;
