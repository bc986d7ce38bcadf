use crate::error::{Error, Result};

/// What the data takes from each source: its record, the document it witnesses, and per series the
/// figures it gives.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub report: super::ReportArgs,
    /// Only these sources (source_id of data/sources.csv)
    pub sources: Vec<String>,
}

pub fn run(a: &Args) -> Result<i32> {
    let an = a.report.analyse()?;
    if let Some(s) = a.sources.iter().find(|s| !an.loaded.catalog.sources.contains_key(*s)) {
        let hint = an.loaded.catalog.nearest_source(s).map(|n| format!("; did you mean {n}?")).unwrap_or_default();
        return Err(Error::Usage(format!("unknown source '{s}' (see {}){hint}", crate::diag::shown_path(&an.loaded.catalog.data_dir, "sources.csv"))));
    }
    let us = crate::sources::uses(&an, &a.sources);
    a.report.format.print(|| crate::sources::render_text(&us), || crate::sources::render_csv(&us))
}
