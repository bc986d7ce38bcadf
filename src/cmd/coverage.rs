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
    let file = crate::diag::shown_path(&super::data_dir(&a.report.data), "coverage.toml");
    // every series asked for must be a series, and have a target: a typo is not dropped silently
    for s in &a.series {
        super::check_series(&an, s)?;
        if !an.coverage.is_empty() && !an.coverage.iter().any(|t| &t.series == s) {
            let mut have: Vec<&str> = vec![];
            for t in &an.coverage {
                if !have.contains(&t.series.as_str()) {
                    have.push(&t.series);
                }
            }
            return Err(Error::Usage(format!("no coverage target for {s} in {file} (targets: {})", have.join(", "))));
        }
    }
    if an.coverage.is_empty() {
        // the targets file may be left out (or hold none): nothing to count, said on stderr
        crate::eline!("note: {file} is not there or holds no targets: no coverage targets");
    }
    let targets: Vec<_> = an.coverage.iter().filter(|t| a.series.is_empty() || a.series.contains(&t.series)).cloned().collect();
    let rows = crate::coverage::rows(&targets, &an);
    a.report.format.print(|| crate::coverage::render_text(&targets, &rows, &file), || crate::coverage::render_csv(&rows))
}
