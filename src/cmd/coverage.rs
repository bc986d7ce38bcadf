use crate::error::{Error, Result};

/// Count, for each year of the core series, the independent documents behind its value.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub report: super::ReportArgs,
    /// Only the targets of these series
    pub series: Vec<String>,
}

pub fn run(a: &Args) -> Result<i32> {
    let an = a.report.analyse()?;
    // every series asked for must have a target: a typo beside a known name is not dropped silently
    if let Some(s) = a.series.iter().find(|s| !an.coverage.is_empty() && !an.coverage.iter().any(|t| &t.series == *s)) {
        return Err(Error::Usage(format!("no coverage target for {s} (targets: data/coverage.toml)")));
    }
    let targets: Vec<_> = an.coverage.iter().filter(|t| a.series.is_empty() || a.series.contains(&t.series)).cloned().collect();
    if targets.is_empty() {
        return Err(Error::Usage(if an.coverage.is_empty() {
            let d = super::data_dir(&a.report.data);
            format!("no coverage targets: {} is missing or empty", crate::ingest::rel_path(&d, &d.join("coverage.toml")))
        } else {
            format!("no coverage target for {}", a.series.join(", "))
        }));
    }
    let rows = crate::coverage::rows(&targets, &an);
    a.report.format.print(|| crate::coverage::render_text(&targets, &rows), || crate::coverage::render_csv(&rows))
}
