use crate::error::Result;

/// List every reconciled row whose sources disagree, with each source's value and the recorded
/// explanation.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub report: super::ReportArgs,
    /// Only these series
    pub series: Vec<String>,
}

pub fn run(a: &Args) -> Result<i32> {
    let an = a.report.analyse()?;
    for s in &a.series {
        super::check_series(&an, s)?;
    }
    let ds = crate::conflicts::find(&an, &a.series);
    let left = crate::conflicts::left_out(&an, |o| a.series.is_empty() || a.series.contains(&o.series));
    a.report.format.print(|| crate::conflicts::render_text(&an.rules, &ds, &left, &crate::diag::shown_path(&super::data_dir(&a.report.data), "reconcile.toml")), || crate::conflicts::render_csv(&ds, &left))
}
