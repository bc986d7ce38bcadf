//! gulagstats: archival statistics of the Soviet penal system.
//!
//! Data flows one way: as-printed tables ([`ingest`]) -> typed cells ([`validate`]) -> observations
//! ([`tidy`]) -> reconciled series ([`reconcile`], [`derive`]) -> checks ([`check`]), charts
//! ([`charts`]) and exports ([`export`]). The [`cmd`] modules are the subcommands.

/// `eprintln!` that never panics: a closed or broken stderr (`gulagstats validate 2>&1 | true`) must
/// not turn a report into a crash; the line is dropped and the exit status stays the command's.
#[macro_export]
macro_rules! eline {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

pub mod charts;
pub mod check;
pub mod claims;
pub mod cmd;
pub mod conflicts;
pub mod coverage;
pub mod csvpos;
pub mod derive;
pub mod diag;
pub mod error;
pub mod export;
pub mod glyphs;
pub mod ingest;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod rebuild;
pub mod reconcile;
pub mod register;
pub mod sources;
pub mod tidy;
pub mod validate;
