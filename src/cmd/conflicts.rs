use crate::error::{Error, Result};
use std::path::PathBuf;

/// List every reconciled row whose sources disagree, with each source's value and the recorded
/// explanation.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// text (for people) or csv (one row per source value)
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Only these series
    pub series: Vec<String>,
}

pub fn run(a: &Args) -> Result<i32> {
    if a.format != "text" && a.format != "csv" {
        return Err(Error::Usage(format!("--format must be text or csv, not '{}'", a.format)));
    }
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    if let Some(s) = a.series.iter().find(|s| !an.loaded.catalog.series_known(s)) {
        return Err(Error::Usage(format!("unknown series '{s}'")));
    }
    let ds = crate::conflicts::find(&an, &a.series);
    crate::output::stdout(&if a.format == "csv" { crate::conflicts::render_csv(&ds)? } else { crate::conflicts::render_text(&ds) })?;
    Ok(0)
}
