use crate::error::Result;

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
    super::check_sources(&an, &a.sources)?;
    let us = crate::sources::uses(&an, &a.sources);
    a.report.format.print(|| crate::sources::render_text(&us), || crate::sources::render_csv(&us))
}
