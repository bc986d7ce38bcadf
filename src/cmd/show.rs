use crate::error::{Error, Result};
use crate::model::{Date, Period};
use std::path::PathBuf;

/// Print each source's value, the reconciled value, its range and the method, for a series.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Series name, e.g. camps.population
    pub series: String,
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// First date (YYYY or YYYY-MM-DD): periods that end on or after it are shown, so a total over
    /// several years that reaches into the range is shown too
    #[arg(long)]
    pub from: Option<String>,
    /// Last date (YYYY or YYYY-MM-DD): periods that start on or before it are shown
    #[arg(long)]
    pub to: Option<String>,
}

fn bound(s: &Option<String>, start: bool) -> Result<Option<Date>> {
    match s {
        None => Ok(None),
        Some(s) => {
            let p = Period::parse(s).ok_or_else(|| Error::Usage(format!("'{s}' is not a date or a year")))?;
            Ok(Some(if start { p.start } else { p.end }))
        }
    }
}

pub fn run(a: &Args) -> Result<i32> {
    let (from, to) = (bound(&a.from, true)?, bound(&a.to, false)?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(Error::Usage(format!("--from {f} is after --to {t}")));
        }
    }
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    let inside = |p: &Period| from.is_none_or(|f| p.end >= f) && to.is_none_or(|t| p.start <= t);
    let rows: Vec<_> = an.reconciled.iter().filter(|r| r.series == a.series && inside(&r.period)).collect();
    if rows.is_empty() {
        let known = an.loaded.catalog.series_known(&a.series) || crate::claims::DERIVED_SERIES.contains(&a.series.as_str());
        if !known {
            let hint = an.loaded.catalog.nearest_series(&a.series, crate::claims::DERIVED_SERIES).map(|s| format!(" (did you mean {s}?)")).unwrap_or_default();
            return Err(Error::Usage(format!("unknown series '{}'{hint}; the series are listed in docs/series.md and data/series.csv", a.series)));
        }
        // a known series with nothing in the range: an empty answer, not a mistake of usage
        let range = if a.from.is_some() || a.to.is_some() { "in that range" } else { "in the data" };
        return Err(Error::Failed(format!("no values of {} {range}", a.series)));
    }
    // only categories in the range (a region, a kind of sentence): say that the whole is missing,
    // so that a part is not read as the answer
    let mut out = String::new();
    // (an estimate's rows are categorised by author: nothing is missing there)
    if !a.series.starts_with("estimate.") && rows.iter().all(|r| !r.category.is_empty()) {
        out.push_str(&format!("(no value of {} as a whole {}; only its categories)\n", a.series, if a.from.is_some() || a.to.is_some() { "in that range" } else { "in the data" }));
    }
    out.extend(rows.into_iter().map(|r| crate::conflicts::row_block(&an, r)));
    crate::output::stdout(&out)?;
    Ok(0)
}
