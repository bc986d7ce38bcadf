//! gulagstats: archival statistics of the Soviet penal system.
//!
//! Data flows one way: as-printed tables ([`ingest`]) -> typed cells ([`validate`]) -> observations
//! ([`tidy`]) -> reconciled series ([`reconcile`], [`derive`]) -> checks ([`check`]), charts
//! ([`charts`]) and exports ([`export`]). The [`cmd`] modules are the subcommands.

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
