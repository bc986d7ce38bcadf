//! One module per subcommand: each has its arguments and a `run` returning the exit status.

pub mod bench;
pub mod build;
pub mod check;
pub mod conflicts;
pub mod coverage;
pub mod eval;
pub mod export;
pub mod plot;
pub mod rebuild;
pub mod register;
pub mod show;
pub mod sources;
pub mod validate;

use std::path::PathBuf;

pub fn data_dir(d: &Option<PathBuf>) -> PathBuf {
    d.clone().unwrap_or_else(|| PathBuf::from("data"))
}

/// The options every report command (`coverage`, `conflicts`, `rebuild`, `sources`) takes.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// text (for people) or csv (for programs; for coverage, conflicts and rebuild the same table as its export in data/clean/)
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

impl ReportArgs {
    /// Run the pipeline on the data folder.
    pub fn analyse(&self) -> crate::error::Result<crate::pipeline::Analysis> {
        crate::pipeline::analyse(&data_dir(&self.data))
    }
}

/// The output of the report commands: text for people, CSV (the same table as the export) for
/// programs.
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
