use crate::error::{Error, Result};
use crate::model::{Date, Period};
use std::path::PathBuf;

/// Print each source's value, the reconciled value, its range and the method, for a series.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Series name, e.g. camps.population; a prefix followed by `*` shows every series it begins
    /// (e.g. 'estimate.camp_population*': every author's estimate of the camp population)
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
    /// text (for people) or csv (for programs: one row per source value, with the reconciled value,
    /// range, method and flags of its row)
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::Report,
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
    // a name, or a prefix followed by `*` (every series it begins, in the order of the export)
    let prefix = a.series.strip_suffix('*');
    let rows: Vec<_> = an.reconciled.iter().filter(|r| super::named_by(&r.series, &a.series) && inside(&r.period)).collect();
    // rows whose every value is left out of reconciliation: shown after the reconciled rows
    let left = crate::conflicts::left_out(&an, |o| super::named_by(&o.series, &a.series) && inside(&o.period));
    let range = if a.from.is_some() || a.to.is_some() { "in that range" } else { "in the data" };
    // dates of the whole series that no value covers but where a table prints a dash or "no data"
    // instead of a figure (the death sentences of 1948-1949): said, so that a gap left on purpose
    // is not taken for one not yet filled
    let mut marks: std::collections::BTreeMap<(String, Period), Vec<String>> = Default::default();
    for (series, period, source, mark) in crate::coverage::no_figure_cells(&an.loaded.tables) {
        let covered = an.reconciled.iter().any(|r| r.series == series && r.period == period && r.category.is_empty());
        if super::named_by(&series, &a.series) && inside(&period) && !covered {
            marks.entry((series, period)).or_default().push(format!("{source} '{mark}'"));
        }
    }
    if rows.is_empty() && left.is_empty() && (marks.is_empty() || a.format == super::Report::Csv) {
        match prefix {
            Some(p) if !an.reconciled.iter().any(|r| r.series.starts_with(p)) => {
                return Err(Error::Usage(format!("no series begins with '{p}'; the series are listed in docs/series.md")));
            }
            Some(_) => {}
            None => super::check_series(&an, &a.series)?,
        }
        // a known series with nothing in the range: an empty answer, not a mistake of usage
        return Err(Error::Failed(format!("no values of {} {range}", a.series)));
    }
    if a.format == super::Report::Csv {
        let bytes = crate::export::csv_bytes(&crate::export::show_table(&an, &rows, &left))?;
        crate::output::stdout(&String::from_utf8_lossy(&bytes))?;
        return Ok(0);
    }
    // a date with only categories of a stock or flow (a region, a kind of sentence): say that the
    // whole is missing there, so that a part is not read as the answer (compositions are shares
    // by category, estimates are categorised by author, and a series named `..._by_<what>`
    // (`gulag.population_by_gender`) is split by its name, its whole being another series:
    // nothing is missing there)
    let has_whole = |s: &str| !s.contains("_by_") && matches!(an.loaded.catalog.series.get(s).map(|d| d.kind.as_str()), Some("stock" | "flow" | "change"));
    let mut out = String::new();
    let mut noted = std::collections::BTreeSet::new();
    let mut said = std::collections::BTreeSet::new();
    for r in &rows {
        if has_whole(&r.series) && !r.category.is_empty() && !rows.iter().any(|w| w.series == r.series && w.period == r.period && w.category.is_empty()) && noted.insert((&r.series, r.period)) {
            out.push_str(&format!("(no value of {} as a whole for {}; only its categories)\n", r.series, r.period.label()));
        }
        out.push_str(&crate::conflicts::row_block(&an, r, &mut said));
    }
    for l in &left {
        out.push_str(&crate::conflicts::left_out_block(&an.rules, l, &mut said));
    }
    for ((series, period), by) in &marks {
        out.push_str(&format!("{series} {}: no figure; printed instead: {}\n", period.label(), by.join(", ")));
    }
    crate::output::stdout(&out)?;
    Ok(0)
}
