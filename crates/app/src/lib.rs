//! useit's use cases, one function per workflow: import a spend file,
//! compute the measures, import people, propose matches… Each takes the
//! store, the [`Caller`] (whose programme, for whom, with what role) and a
//! typed input, and returns a typed outcome or an [`Error`]. The web pages,
//! the JSON API, the CLI and the demo are thin adapters over these
//! functions, so a rule is decided once and every surface gives the same
//! answer.
//!
//! A use case reads from the store, decides in pure `useit-core` code and
//! commits with one store call that writes (that call is the transaction).

pub mod anchors;
pub mod audit;
pub mod auth;
mod caller;
pub mod community;
pub mod enterprise;
mod error;
pub mod kept;
pub mod place;
pub mod programme;
pub mod research;
pub mod talent;
pub mod workshops;

pub use caller::Caller;
pub use error::{Error, Imported};

/// The store every use case works on.
pub use useit_store::Store;

pub type Result<T, E = Error> = std::result::Result<T, E>;
