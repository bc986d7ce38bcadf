//! Coverage: how many independent documents give each year of the core series.
//!
//! `data/coverage.toml` lists the targets (a series, how its value is dated, the years it should
//! cover). For each year the report counts the documents behind the reconciled printed value:
//! witnesses of one document (`[[witnesses]]` in `data/reconcile.toml`) count once, excluded
//! witnesses not at all, and values derived by the pipeline never. Spans of several years do not
//! cover a single year.

use crate::diag::{kind, nth_table_line, read_toml, Diagnostic};
use crate::ingest::Catalog;
use crate::model::{Date, Period};
use crate::pipeline::Analysis;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    target: Vec<Target>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub series: String,
    /// "1 January" or "31 December" (a stock at that day of each year) or "year" (a flow over the
    /// calendar year).
    pub dated: String,
    pub from: i32,
    pub to: i32,
}

impl Target {
    /// The period of the value for year `y`, or None when `dated` is not one of the three forms.
    pub fn period(&self, y: i32) -> Option<Period> {
        match self.dated.as_str() {
            "1 January" => Some(Period::instant(Date::jan1(y))),
            "31 December" => Some(Period::instant(Date::dec31(y))),
            "year" => Some(Period::year(y)),
            _ => None,
        }
    }
}

/// Read the targets; problems become diagnostics with the line of the target. A missing file means
/// no targets.
pub fn load(data_dir: &Path, catalog: &Catalog, diags: &mut Vec<Diagnostic>) -> Vec<Target> {
    let path = data_dir.join("coverage.toml");
    let rel = crate::ingest::rel_path(data_dir, &path);
    let (file, text): (File, String) = read_toml(&path, &rel, diags);
    let mut ok = vec![];
    for (i, t) in file.target.into_iter().enumerate() {
        let line = nth_table_line(&text, "target", i);
        let mut bad = |k: &'static str, msg: String| diags.push(Diagnostic::error(&rel, line, 1, k, msg));
        if !catalog.series_known(&t.series) {
            bad(kind::UNKNOWN_SERIES, format!("coverage target: unknown series '{}'", t.series));
        } else if t.period(t.from).is_none() {
            bad(kind::CONFIG_ERROR, format!("coverage target {}: dated must be \"1 January\", \"31 December\" or \"year\", not '{}'", t.series, t.dated));
        } else if t.from > t.to {
            bad(kind::CONFIG_ERROR, format!("coverage target {}: from {} is after to {}", t.series, t.from, t.to));
        } else if t.from < 1800 || t.to > 2100 {
            bad(kind::CONFIG_ERROR, format!("coverage target {}: years {}-{} lie outside 1800-2100", t.series, t.from, t.to));
        } else if catalog.series.get(&t.series).is_some_and(|d| (d.kind == "flow") != (t.dated == "year")) {
            let k = &catalog.series[&t.series].kind;
            bad(kind::CONFIG_ERROR, format!("coverage target {}: a {k} is dated {}, but \"year\" is for flows and \"1 January\" or \"31 December\" for stocks", t.series, t.dated));
        } else {
            ok.push(t);
        }
    }
    ok
}

/// One year of one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub series: String,
    pub dated: String,
    pub year: i32,
    pub period: Period,
    /// The documents (witness groups counted once), sorted.
    pub documents: Vec<String>,
    /// The copies that print the value (source ids, witnesses of one document each counted;
    /// witnesses left out of reconciliation not), sorted.
    pub sources: Vec<String>,
    /// Whether the documents disagree beyond printed precision (two documents that contradict each
    /// other attest the year less than two that agree).
    pub documents_disagree: bool,
    /// The copies whose table prints a mark instead of a figure where the value would stand (a dash,
    /// "no data": a missing marker of the manifest other than an empty cell and `unread`), sorted.
    pub no_figure_sources: Vec<String>,
    /// The documents of those copies (witness groups counted once), sorted.
    pub no_figure_documents: Vec<String>,
    /// The marks they print, as typed ("–", "no data"), sorted.
    pub no_figure_marks: Vec<String>,
}

impl Row {
    /// A year no document gives a figure for, where a table prints a dash or "no data" instead:
    /// left blank on purpose or marked as unknown, not a year no copy has been found for.
    pub fn no_figure_printed(&self) -> bool {
        self.documents.is_empty() && !self.no_figure_documents.is_empty()
    }
}

/// Whether a missing marker says that the printed table has no figure in that cell (a dash, "no
/// data"), as opposed to an empty cell or the project's `unread` (a cell no copy let us read).
fn printed_no_figure(cell: &str) -> bool {
    let c = cell.trim();
    !c.is_empty() && c != "unread"
}

/// (series, period, source, mark) of every cell of a whole series (no category) where a table
/// prints a mark instead of a figure (`coverage` and `show` report them).
pub fn no_figure_cells(tables: &[crate::validate::TypedTable]) -> BTreeSet<(String, Period, String, String)> {
    let mut out = BTreeSet::new();
    for t in tables.iter().filter(|t| !t.long) {
        for r in &t.rows {
            for (pi, p) in t.plans.iter().enumerate() {
                let (None, Some(period)) = (r.values[pi], r.periods[pi]) else { continue };
                let category = match p.category_from {
                    Some(ci) => r.cells[ci].as_str(),
                    None => p.category.as_str(),
                };
                if category.is_empty() && printed_no_figure(&r.cells[p.index]) {
                    out.insert((r.series[pi].clone(), period, p.source_id.clone(), r.cells[p.index].trim().to_string()));
                }
            }
        }
    }
    out
}

pub fn rows(targets: &[Target], an: &Analysis) -> Vec<Row> {
    let derived: BTreeSet<(&str, Period, &str)> = an.derived.iter().map(|r| (r.series.as_str(), r.period, r.category.as_str())).collect();
    let marks = no_figure_cells(&an.loaded.tables);
    let mut out = vec![];
    for t in targets {
        for year in t.from..=t.to {
            let Some(period) = t.period(year) else { continue };
            let row = an
                .reconciled
                .iter()
                .find(|r| r.series == t.series && r.period == period && r.category.is_empty())
                .filter(|r| !derived.contains(&(r.series.as_str(), r.period, r.category.as_str())));
            let sources: BTreeSet<String> = row.iter().flat_map(|r| r.sources.iter().cloned()).collect();
            let documents: BTreeSet<String> = sources.iter().map(|s| an.rules.document_of(s)).collect();
            let documents_disagree = row.is_some_and(|r| {
                let printed: Vec<&crate::model::Observation> = an.rules.observations_of(&an.observations, r).into_iter().filter(|o| o.evidence == crate::model::Evidence::Printed).collect();
                an.rules.documents_disagree(&printed)
            });
            let here: Vec<_> = marks.iter().filter(|(s, p, _, _)| s == &t.series && *p == period).collect();
            let no_figure_sources: BTreeSet<String> = here.iter().map(|(_, _, src, _)| src.clone()).collect();
            let no_figure_marks: BTreeSet<String> = here.iter().map(|(_, _, _, m)| m.clone()).collect();
            let no_figure_documents: BTreeSet<String> = no_figure_sources.iter().map(|s| an.rules.document_of(s)).collect();
            out.push(Row {
                series: t.series.clone(),
                dated: t.dated.clone(),
                year,
                period,
                documents: documents.into_iter().collect(),
                sources: sources.into_iter().collect(),
                documents_disagree,
                no_figure_sources: no_figure_sources.into_iter().collect(),
                no_figure_documents: no_figure_documents.into_iter().collect(),
                no_figure_marks: no_figure_marks.into_iter().collect(),
            });
        }
    }
    out
}

/// Years as compact ranges: 1934-1938, 1940, 1942-1953.
fn ranges(years: &[i32]) -> String {
    let mut parts = vec![];
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { years[i].to_string() } else { format!("{}-{}", years[i], years[j]) });
        i = j + 1;
    }
    parts.join(", ")
}

/// For people: per target, the years with two or more documents, with one, with none.
/// The text report; `targets_file` is the path of the targets file as the terminal shows it.
pub fn render_text(targets: &[Target], rows: &[Row], targets_file: &str) -> String {
    let mut out = format!("Independent documents per year (witnesses of one document count once; targets in {targets_file})\n");
    for t in targets {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.series == t.series && r.dated == t.dated).collect();
        let pick = |f: &dyn Fn(usize) -> bool| -> Vec<i32> { mine.iter().filter(|r| f(r.documents.len())).map(|r| r.year).collect() };
        let (two, one, none) = (pick(&|n| n >= 2), pick(&|n| n == 1), pick(&|n| n == 0));
        out.push_str(&format!("\n{} ({}, {}-{}): {} of {} years from two or more documents\n", t.series, t.dated, t.from, t.to, two.len(), mine.len()));
        // a single document printed in several copies (a reprint, a translation) is better attested
        // than one copy, though not independently
        let copied: Vec<i32> = mine.iter().filter(|r| r.documents.len() == 1 && r.sources.len() >= 2).map(|r| r.year).collect();
        // two documents that contradict each other attest a year less than two that agree
        let disagreeing: Vec<i32> = mine.iter().filter(|r| r.documents.len() >= 2 && r.documents_disagree).map(|r| r.year).collect();
        // a year no document gives a figure for may be one a table prints a mark for: a dash where there
        // was nothing to count (the death sentences of 1948-1949, when there was no death penalty) or
        // "no data"; said so, to tell it from a year no copy has been found for
        let dashed: Vec<&&Row> = mine.iter().filter(|r| r.no_figure_printed()).collect();
        let dashed_years: Vec<i32> = dashed.iter().map(|r| r.year).collect();
        let dashed_docs: BTreeSet<&String> = dashed.iter().flat_map(|r| &r.no_figure_documents).collect();
        let dashed_marks: BTreeSet<String> = dashed.iter().flat_map(|r| r.no_figure_marks.iter().map(|m| format!("'{m}'"))).collect();
        for (label, ys) in [("two or more", &two), ("one", &one), ("none", &none)] {
            if !ys.is_empty() {
                out.push_str(&format!("  {label:<12} {}\n", ranges(ys)));
            }
            if label == "two or more" && !disagreeing.is_empty() {
                out.push_str(&format!("  {:<12} of these, documents that disagree beyond printed precision: {}\n", "", ranges(&disagreeing)));
            }
            if label == "one" && !copied.is_empty() {
                out.push_str(&format!("  {:<12} of these, printed in two or more copies of the one document: {}\n", "", ranges(&copied)));
            }
            if label == "none" && !dashed_years.is_empty() {
                let n = dashed_docs.len();
                let docs = if n == 1 { "1 document".to_string() } else { format!("{n} documents") };
                let marks = dashed_marks.iter().cloned().collect::<Vec<_>>().join(", ");
                out.push_str(&format!("  {:<12} of these, printed as {marks} (no figure) in {docs}: {}\n", "", ranges(&dashed_years)));
            }
        }
    }
    out
}

/// For programs: one row per target year (the `coverage` table of the exports, as CSV).
pub fn render_csv(rows: &[Row]) -> crate::error::Result<String> {
    let bytes = crate::export::csv_bytes(&crate::export::coverage_table(rows))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_mark_is_a_printed_no_figure_but_an_empty_or_unread_cell_is_not() {
        for mark in ["-", "–", "—", "no data", " n.d. "] {
            assert!(super::printed_no_figure(mark), "{mark}");
        }
        // `unread` is the project's marker for a cell no copy let us read: the table may print a figure there
        for cell in ["", "  ", "unread"] {
            assert!(!super::printed_no_figure(cell), "{cell:?}");
        }
    }

    #[test]
    fn ranges_compress_runs_of_years() {
        assert_eq!(super::ranges(&[1934, 1935, 1936, 1940, 1942, 1943]), "1934-1936, 1940, 1942-1943");
        assert_eq!(super::ranges(&[]), "");
    }
}
