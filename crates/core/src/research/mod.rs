//! Research and community: paid community researchers, the Social Lab, the
//! asset map and Community Economic Development plans (issue 19).

pub mod pay;
