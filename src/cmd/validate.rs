use crate::error::{Error, Result};
use std::path::PathBuf;

/// Parse and validate every table, manifest, source and claim; report every problem.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Do not list findings (printed totals that do not add up etc.), only errors
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> Result<i32> {
    let dir = super::data_dir(&a.data);
    let mut l = crate::pipeline::load(&dir)?;
    let mut extra = Vec::new();
    let _ = crate::pipeline::load_config(&dir, &l.catalog, &l.observations, !l.has_errors(), &mut extra);
    l.diagnostics.extend(extra);
    crate::pipeline::settle(&dir, &l.catalog, &mut l.diagnostics);
    crate::pipeline::report(&l.diagnostics, !a.quiet);
    for n in crate::pipeline::missing_optional(&dir) {
        crate::eline!("{n}");
    }
    let errors = l.diagnostics.iter().filter(|d| d.is_error()).count();
    let findings = l.diagnostics.len() - errors;
    crate::eline!("{} table(s), {} observation(s): {errors} error(s), {findings} finding(s)", l.catalog.tables.len(), l.observations.len());
    if errors > 0 {
        return Err(Error::Failed(format!("the data is invalid: {errors} error(s)")));
    }
    Ok(0)
}
