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

/// A usage error for a series name the data do not know (a series of `data/series.csv`, an
/// `estimate.*` or a series the pipeline derives), with the nearest known name as a hint.
pub fn check_series(an: &crate::pipeline::Analysis, name: &str) -> crate::error::Result<()> {
    let cat = &an.loaded.catalog;
    if cat.series_known(name) || crate::claims::DERIVED_SERIES.contains(&name) {
        return Ok(());
    }
    let hint = cat.nearest_series(name, crate::claims::DERIVED_SERIES).map(|s| format!(" (did you mean {s}?)")).unwrap_or_default();
    Err(crate::error::Error::Usage(format!("unknown series '{name}'{hint}; the series are listed in docs/series.md and {}", crate::diag::shown_path(&cat.data_dir, "series.csv"))))
}

/// Whether a name is named by a pattern: the name itself, or a prefix followed by '*' (claim ids in
/// `check`, series in `show`).
pub fn named_by(name: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}

/// A usage error for a source id that `data/sources.csv` does not list, with the nearest id as a hint
/// (`sources`, `check --source`).
pub fn check_sources(an: &crate::pipeline::Analysis, ids: &[String]) -> crate::error::Result<()> {
    let cat = &an.loaded.catalog;
    match ids.iter().find(|s| !cat.sources.contains_key(s.as_str())) {
        None => Ok(()),
        Some(s) => {
            let hint = cat.nearest_source(s).map(|n| format!("; did you mean {n}?")).unwrap_or_default();
            Err(crate::error::Error::Usage(format!("unknown source '{s}' (see {}){hint}", crate::diag::shown_path(&cat.data_dir, "sources.csv"))))
        }
    }
}

/// The data folder a command reads (`--data`, default `data`); the terminal shows its files' paths
/// from the current folder (`crate::diag::shown`).
pub fn data_dir(d: &Option<PathBuf>) -> PathBuf {
    let dir = d.clone().unwrap_or_else(|| PathBuf::from("data"));
    crate::diag::set_data_folder(&dir);
    dir
}

/// Hand-entered data is never written over: an output folder that is the data folder, or lies
/// inside it anywhere but under `clean/` (where `build` writes), is a usage error.
pub fn check_out(out: &std::path::Path, data: &std::path::Path) -> crate::error::Result<()> {
    let canon = |p: &std::path::Path| {
        // the output folder may not exist yet: resolve its nearest existing ancestor
        let mut base = p.to_path_buf();
        let mut rest = Vec::new();
        while !base.exists() {
            match (base.file_name().map(|n| n.to_os_string()), base.parent()) {
                (Some(n), Some(parent)) => {
                    rest.push(n);
                    base = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() };
                }
                _ => break,
            }
        }
        let mut c = std::fs::canonicalize(&base).unwrap_or(base);
        c.extend(rest.iter().rev());
        c
    };
    let (o, d) = (canon(out), canon(data));
    if o.starts_with(&d) && !o.starts_with(d.join("clean")) {
        return Err(crate::error::Error::Usage(format!("--out {} is inside the data folder {}: hand-entered data is never written over (write to another folder, or under its clean/)", out.display(), data.display())));
    }
    Ok(())
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
