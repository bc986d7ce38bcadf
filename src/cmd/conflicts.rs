use crate::error::{Error, Result};
use std::path::PathBuf;

/// List every reconciled row whose sources disagree, with each source's value and the recorded
/// explanation.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// text (for people) or csv (one row per source value)
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::Report,
    /// Only these series
    pub series: Vec<String>,
}

pub fn run(a: &Args) -> Result<i32> {
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    if let Some(s) = a.series.iter().find(|s| !an.loaded.catalog.series_known(s)) {
        return Err(Error::Usage(format!("unknown series '{s}'")));
    }
    let ds = crate::conflicts::find(&an, &a.series);
    a.format.print(|| crate::conflicts::render_text(&an.rules, &ds), || crate::conflicts::render_csv(&ds))
}
