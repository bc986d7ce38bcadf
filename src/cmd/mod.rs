//! One module per subcommand: each has its arguments and a `run` returning the exit status.

pub mod bench;
pub mod build;
pub mod check;
pub mod conflicts;
pub mod coverage;
pub mod export;
pub mod plot;
pub mod rebuild;
pub mod register;
pub mod show;
pub mod validate;

use std::path::PathBuf;

pub fn data_dir(d: &Option<PathBuf>) -> PathBuf {
    d.clone().unwrap_or_else(|| PathBuf::from("data"))
}
