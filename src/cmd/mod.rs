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

/// The output of the report commands (`coverage`, `conflicts`, `rebuild`): text for people, CSV
/// (the same table as the export) for programs.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    Text,
    Csv,
}

impl Report {
    /// Print the report in this format.
    pub fn print(self, text: impl FnOnce() -> String, csv: impl FnOnce() -> crate::error::Result<String>) -> crate::error::Result<i32> {
        crate::output::stdout(&match self {
            Report::Text => text(),
            Report::Csv => csv()?,
        })?;
        Ok(0)
    }
}
