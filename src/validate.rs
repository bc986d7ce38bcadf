//! Validate: check every manifest against its table and type every cell. Produces typed tables
//! (ready to be melted by `tidy`) and a diagnostic for every problem, plus findings for printed
//! totals and shares that do not add up.

use crate::diag::{kind, Diagnostic};
use crate::ingest::{Catalog, RawTable};
use crate::model::{parse_figure, parse_year, Bound, Date, Evidence, Observation, Period, Unit};

/// Where a row's period comes from.
#[derive(Debug, Clone)]
pub enum PeriodRule {
    Fixed(Period),
    FromKey { col: usize, kind: String },
}

#[derive(Debug, Clone)]
pub struct ColumnPlan {
    pub index: usize,
    pub name: String,
    pub series: String,
    pub unit: Unit,
    pub category: String,
    pub category_from: Option<usize>,
    pub period: PeriodRule,
    pub sum_of: Vec<usize>,
    pub note: String,
    /// The source the column's figures belong to (the table's own unless the manifest says otherwise).
    pub source_id: String,
}

#[derive(Debug, Clone)]
pub struct TypedRow {
    pub line: usize,
    pub labels: Vec<String>,
    /// The row's raw cells, as typed.
    pub cells: Vec<String>,
    /// Printed total row: with the period it is emitted under, if any.
    pub total: Option<Option<Period>>,
    /// One entry per column plan: the figure and its printed decimals, or None for a missing marker.
    pub values: Vec<Option<(f64, usize)>>,
    /// The row's period per column plan (None where it could not be read).
    pub periods: Vec<Option<Period>>,
    /// The series of each cell: the column plan's, unless a `[[cells]]` rule says otherwise.
    pub series: Vec<String>,
    /// For a cell a `[[cells]]` rule retypes: what it says and why.
    pub cell_notes: Vec<Option<String>>,
}

#[derive(Debug, Clone)]
pub struct TypedTable {
    pub source_id: String,
    pub table_id: String,
    pub csv_file: String,
    pub location: String,
    pub long: bool,
    pub plans: Vec<ColumnPlan>,
    pub rows: Vec<TypedRow>,
    /// For long tables: one observation per row, typed here.
    pub long_rows: Vec<Observation>,
}

fn period_from_label(label: &str, kind_: &str) -> Option<Period> {
    match kind_ {
        "jan1" => parse_year(label).map(|y| Period::instant(Date::jan1(y))),
        "dec31" => parse_year(label).map(|y| Period::instant(Date::dec31(y))),
        "year" => parse_year(label).map(Period::year),
        "date" => Date::parse(label.trim()).map(Period::instant),
        "span" => Period::parse(label),
        _ => None,
    }
}

const PERIOD_KINDS: &[&str] = &["jan1", "dec31", "year", "date", "span"];

/// Check a value's range for its unit; returns a diagnostic kind and message when out of range.
pub fn range_problem(v: f64, unit: Unit) -> Option<(&'static str, String)> {
    match unit {
        Unit::Persons | Unit::Count if v < 0.0 => Some((kind::NEGATIVE_COUNT, format!("a count cannot be negative: {v}"))),
        Unit::Percent if !(0.0..=100.0).contains(&v) => Some((kind::PERCENT_OUT_OF_RANGE, format!("a percent must lie between 0 and 100: {v}"))),
        Unit::Per1000 if !(0.0..=1000.0).contains(&v) => Some((kind::PERCENT_OUT_OF_RANGE, format!("a rate per 1,000 must lie between 0 and 1000: {v}"))),
        _ => None,
    }
}

pub fn validate(cat: &Catalog, diags: &mut Vec<Diagnostic>) -> Vec<TypedTable> {
    let mut out = Vec::new();
    for t in &cat.tables {
        if t.manifest.is_long() {
            out.push(validate_long(cat, t, diags));
        } else if let Some(tt) = validate_wide(cat, t, diags) {
            check_totals(&tt, diags);
            if t.manifest.shares_sum_to_100 {
                check_shares(&tt, diags);
            }
            out.push(tt);
        }
    }
    out
}

fn unit_of(t: &RawTable, spec: Option<&toml::Spanned<String>>, diags: &mut Vec<Diagnostic>) -> Option<Unit> {
    let s = spec.or(t.manifest.unit.as_ref());
    match s {
        None => {
            diags.push(Diagnostic::error(&t.manifest_file, 1, 1, kind::MANIFEST_ERROR, "no unit: set `unit` for the table or the column"));
            None
        }
        Some(s) => match Unit::parse(s.get_ref()) {
            Some(u) => Some(u),
            None => {
                let (l, c) = t.mpos(s.span());
                diags.push(Diagnostic::error(&t.manifest_file, l, c, kind::BAD_UNIT, format!("unit '{}' is not persons, percent, per_1000 or count", s.get_ref())));
                None
            }
        },
    }
}

/// The header index of a column a manifest names, or a manifest-error at that place in the manifest.
fn column_ref(t: &RawTable, name: &toml::Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>) -> Option<usize> {
    let i = t.col_index(name.get_ref());
    if i.is_none() {
        let (l, c) = t.mpos(name.span());
        diags.push(Diagnostic::error(&t.manifest_file, l, c, kind::MANIFEST_ERROR, format!("{what} '{}' is not in the header of {}", name.get_ref(), t.csv_file)));
    }
    i
}

/// A period a manifest writes literally, or a bad-period error at that place in the manifest.
fn period_ref(t: &RawTable, p: &toml::Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<Period> {
    let per = Period::parse(p.get_ref());
    if per.is_none() {
        let (l, c) = t.mpos(p.span());
        diags.push(Diagnostic::error(&t.manifest_file, l, c, kind::BAD_PERIOD, format!("'{}' is not a date YYYY-MM-DD or a span", p.get_ref())));
    }
    per
}

/// A cell of a wide table that must hold a figure: its value and printed decimals, `None` for a
/// declared missing marker, or a missing-cell / not-a-number error at the cell.
fn figure_cell(t: &RawTable, missing: &[String], line: usize, index: usize, column: &str, raw: &str, diags: &mut Vec<Diagnostic>) -> Option<(f64, usize)> {
    if missing.iter().any(|mk| mk.trim() == raw.trim()) {
        return None;
    }
    if raw.trim().is_empty() {
        diags.push(Diagnostic::error(&t.csv_file, line, index + 1, kind::MISSING_CELL, format!("empty cell in column '{column}' (declare a missing marker in the manifest if the page prints none)")));
        return None;
    }
    let v = parse_figure(raw);
    if v.is_none() {
        diags.push(Diagnostic::error(&t.csv_file, line, index + 1, kind::NOT_A_NUMBER, format!("'{}' in column '{column}' is not a number (digits, optional '-' and '.', no thousands separators, at most 15 digits)", crate::diag::cell_text(raw, 60))));
    }
    v
}

/// Manifest settings that would silently do nothing, or drop figures: each an error at its place.
fn manifest_consistency(t: &RawTable, plans: &[ColumnPlan], diags: &mut Vec<Diagnostic>) {
    let m = &t.manifest;
    let mfile = &t.manifest_file;
    let err = |diags: &mut Vec<Diagnostic>, span: Option<std::ops::Range<usize>>, msg: String| {
        let (l, c) = span.map_or((1, 1), |s| t.mpos(s));
        diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, msg));
    };
    // a missing marker that reads as a figure would turn printed figures into gaps
    for mk in m.missing.iter().filter(|mk| crate::model::parse_figure(mk).is_some()) {
        err(diags, None, format!("missing marker '{mk}' is a figure: printed {mk}s would be read as gaps"));
    }
    if t.rows.is_empty() {
        diags.push(Diagnostic::error(&t.csv_file, 1, 1, kind::MISSING_CELL, "the table has a header but no rows"));
    }
    if m.shares_sum_to_100 && !plans.iter().any(|p| p.unit == Unit::Percent) {
        err(diags, None, "shares_sum_to_100 is set but no column is in percent".to_string());
    }
    for cs in &m.columns {
        if cs.category != cs.category.trim() {
            err(diags, Some(cs.name.span()), format!("column '{}': category '{}' has spaces around it", cs.name.get_ref(), cs.category));
        }
        if cs.skip && !cs.sum_of.is_empty() {
            err(diags, Some(cs.name.span()), format!("column '{}' is skipped, so its sum_of would never be checked", cs.name.get_ref()));
        }
    }
    // a row period on a total row, or for a table whose columns all have fixed periods, changes nothing;
    // a second one for the same row would be ignored
    let fixed = plans.iter().all(|p| matches!(p.period, PeriodRule::Fixed(_)));
    for (i, rp) in m.row_periods.iter().enumerate() {
        let span = || Some(rp.column.span());
        if m.total_rows.iter().any(|tr| tr.column.get_ref() == rp.column.get_ref() && tr.label == rp.label) {
            err(diags, span(), format!("row_periods: '{}' is a total row, whose period is the total's own", rp.label));
        } else if fixed && !plans.is_empty() {
            err(diags, span(), "row_periods: every column has a period of its own, so a row period would change nothing".to_string());
        }
        if m.row_periods[..i].iter().any(|o| o.column.get_ref() == rp.column.get_ref() && o.label == rp.label) {
            err(diags, span(), format!("row_periods: '{}' has a row period already", rp.label));
        }
    }
}

/// A `[[cells]]` entry, checked: the cell (key column and label, column plan) and what it is instead.
struct CellRule {
    key: usize,
    label: String,
    plan: usize,
    series: Option<String>,
    period: Option<Period>,
    /// What the rule says and why, for the observation's note.
    note: String,
}

/// The manifest's `[[cells]]` entries: cells of another series or period than their column and
/// row say. Each problem is an error at its place in the manifest; a cell named twice is one.
fn cell_rules(cat: &Catalog, t: &RawTable, plans: &[ColumnPlan], diags: &mut Vec<Diagnostic>) -> Vec<CellRule> {
    let mfile = &t.manifest_file;
    let mut out: Vec<CellRule> = Vec::new();
    for co in &t.manifest.cells {
        let (l, c) = t.mpos(co.cell.span());
        let key = column_ref(t, &co.column, "cells column", diags);
        let plan = plans.iter().position(|p| p.name == *co.cell.get_ref());
        if plan.is_none() {
            diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("cells: '{}' is not a value column of this table", co.cell.get_ref())));
        }
        if co.series.is_none() && co.period.is_none() {
            diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, "cells: give the cell's series, its period, or both"));
        }
        if co.reason.trim().is_empty() {
            diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, "cells: give the reason (the printed note that says so)"));
        }
        let mut ok = true;
        if let Some(sr) = &co.series {
            let (l, c) = t.mpos(sr.span());
            match cat.series.get(sr.get_ref()) {
                None => {
                    diags.push(Diagnostic::error(mfile, l, c, kind::UNKNOWN_SERIES, format!("series '{}' is not in series.csv", sr.get_ref())));
                    ok = false;
                }
                Some(def) => {
                    if let Some(p) = plan.map(|pi| &plans[pi]).filter(|p| p.unit != def.unit) {
                        diags.push(Diagnostic::error(mfile, l, c, kind::BAD_UNIT, format!("cells: series '{}' is in {} but column '{}' is in {}", def.series, def.unit.as_str(), p.name, p.unit.as_str())));
                    }
                }
            }
        }
        let period = co.period.as_ref().and_then(|pr| {
            let p = period_ref(t, pr, diags);
            ok &= p.is_some();
            p
        });
        let (Some(key), Some(plan), true) = (key, plan, ok) else { continue };
        if out.iter().any(|r| r.key == key && r.label == co.label && r.plan == plan) {
            diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("cells: the cell '{}' / '{}' is described twice", co.label, co.cell.get_ref())));
            continue;
        }
        let series = co.series.as_ref().map(|s| s.get_ref().clone());
        let what: Vec<String> = [series.as_ref().map(|s| format!("of {s}")), period.map(|p| format!("dated {}", p.label()))].into_iter().flatten().collect();
        let note = format!("this cell is {}: {}", what.join(", "), co.reason.trim());
        out.push(CellRule { key, label: co.label.clone(), plan, series, period, note });
    }
    out
}

fn validate_wide(cat: &Catalog, t: &RawTable, diags: &mut Vec<Diagnostic>) -> Option<TypedTable> {
    let m = &t.manifest;
    let mfile = &t.manifest_file;
    let n0 = diags.iter().filter(|d| d.is_error()).count();
    // every figure names where it stands in its source: for a table, its location plus row and column
    if m.location.trim().is_empty() {
        diags.push(Diagnostic::error(mfile, 1, 1, kind::MANIFEST_ERROR, "a table needs `location`: where it stands in its source (\"Table 3\", \"p. 1039\", \"Appendix A\")"));
    }
    let mut key_idx = Vec::new();
    for k in &m.keys {
        key_idx.extend(column_ref(t, k, "key column", diags));
    }
    let default_period = match &m.period {
        Some(p) => {
            let okk = PERIOD_KINDS.contains(&p.kind.get_ref().as_str());
            if !okk {
                let (l, c) = t.mpos(p.kind.span());
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("period kind '{}' is not one of {}", p.kind.get_ref(), PERIOD_KINDS.join(", "))));
            }
            match column_ref(t, &p.column, "period column", diags) {
                Some(i) if okk => Some(PeriodRule::FromKey { col: i, kind: p.kind.get_ref().clone() }),
                _ => None,
            }
        }
        None => None,
    };
    let mut plans = Vec::new();
    // columns kept in the table but not entered (skip = true): their cells must still be figures
    let mut skipped: Vec<(usize, String)> = Vec::new();
    let mut listed = vec![false; t.header.len()];
    for &k in &key_idx {
        listed[k] = true;
    }
    for cs in &m.columns {
        let (l, c) = t.mpos(cs.name.span());
        let Some(index) = column_ref(t, &cs.name, "column", diags) else { continue };
        if key_idx.contains(&index) {
            diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}' is a key (its labels name the rows), not a value column", cs.name.get_ref())));
            continue;
        } else if listed[index] {
            diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}' is described twice", cs.name.get_ref())));
        }
        listed[index] = true;
        if cs.skip {
            if let Some(sr) = &cs.series {
                let (l, c) = t.mpos(sr.span());
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}' is skipped (skip = true) but names a series: enter it or skip it", cs.name.get_ref())));
            }
            skipped.push((index, cs.name.get_ref().clone()));
            continue;
        }
        let Some(series) = &cs.series else {
            diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}' maps to no series (set series, or skip = true)", cs.name.get_ref())));
            continue;
        };
        if !cat.series_known(series.get_ref()) {
            let (l, c) = t.mpos(series.span());
            diags.push(Diagnostic::error(mfile, l, c, kind::UNKNOWN_SERIES, format!("series '{}' is not in series.csv", series.get_ref())));
        }
        let Some(unit) = unit_of(t, cs.unit.as_ref(), diags) else { continue };
        if let Some(def) = cat.series.get(series.get_ref()) {
            if def.unit != unit {
                diags.push(Diagnostic::error(mfile, l, c, kind::BAD_UNIT, format!("column '{}' is in {} but series '{}' is in {}", cs.name.get_ref(), unit.as_str(), def.series, def.unit.as_str())));
            }
        }
        let period = match (&cs.period, &cs.period_kind, &default_period) {
            (Some(_), Some(k), _) => {
                let (l, c) = t.mpos(k.span());
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}': set period or period_kind, not both", cs.name.get_ref())));
                continue;
            }
            (None, Some(k), Some(PeriodRule::FromKey { col, .. })) => {
                if !PERIOD_KINDS.contains(&k.get_ref().as_str()) {
                    let (l, c) = t.mpos(k.span());
                    diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("period kind '{}' is not one of {}", k.get_ref(), PERIOD_KINDS.join(", "))));
                    continue;
                }
                PeriodRule::FromKey { col: *col, kind: k.get_ref().clone() }
            }
            (None, Some(k), _) => {
                let (l, c) = t.mpos(k.span());
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}': period_kind needs the table's [period] key column", cs.name.get_ref())));
                continue;
            }
            (Some(p), None, _) => match period_ref(t, p, diags) {
                Some(p) => PeriodRule::Fixed(p),
                None => continue,
            },
            (None, None, Some(p)) => p.clone(),
            (None, None, None) => {
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}' has no period: set [period] or the column's period", cs.name.get_ref())));
                continue;
            }
        };
        let category_from = match &cs.category_from {
            Some(cf) if !cf.get_ref().is_empty() && !cs.category.is_empty() => {
                let (l, c) = t.mpos(cf.span());
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}': set category or category_from, not both", cs.name.get_ref())));
                continue;
            }
            Some(cf) if !cf.get_ref().is_empty() => match column_ref(t, cf, "category column", diags) {
                Some(i) if key_idx.contains(&i) => Some(i),
                Some(_) => {
                    let (l, c) = t.mpos(cf.span());
                    diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}': category_from '{}' must be a key column (one of keys)", cs.name.get_ref(), cf.get_ref())));
                    continue;
                }
                None => continue,
            },
            _ => None,
        };
        let source_id = match &cs.source {
            Some(src) => {
                if !cat.sources.contains_key(src.get_ref()) {
                    let (l, c) = t.mpos(src.span());
                    diags.push(Diagnostic::error(mfile, l, c, kind::UNKNOWN_SOURCE, format!("source '{}' is not in sources.csv", src.get_ref())));
                    continue;
                }
                src.get_ref().clone()
            }
            None => t.source_id.clone(),
        };
        let mut sum_of = Vec::new();
        for s in &cs.sum_of {
            if s.get_ref() == cs.name.get_ref() {
                let (l, c) = t.mpos(s.span());
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("column '{}' cannot be a part of its own sum", s.get_ref())));
                continue;
            }
            sum_of.extend(column_ref(t, s, "sum_of column", diags));
        }
        plans.push(ColumnPlan { index, name: cs.name.get_ref().clone(), series: series.get_ref().clone(), unit, category: cs.category.clone(), category_from, period, sum_of, note: cs.note.clone(), source_id });
    }
    // a part of a sum must be a value column: a key or skipped column would silently drop out
    for cs in m.columns.iter().filter(|cs| !cs.skip) {
        for part in &cs.sum_of {
            if part.get_ref() != cs.name.get_ref() && t.col_index(part.get_ref()).is_some() && !plans.iter().any(|p| p.name == *part.get_ref()) {
                let (l, c) = t.mpos(part.span());
                diags.push(Diagnostic::error(mfile, l, c, kind::MANIFEST_ERROR, format!("sum_of: '{}' is not a value column of this table (a key, or skipped)", part.get_ref())));
            }
        }
    }
    for (i, l) in listed.iter().enumerate() {
        if !l {
            diags.push(Diagnostic::error(&t.csv_file, 1, i + 1, kind::MANIFEST_ERROR, format!("column '{}' is neither a key nor described in {}", t.header[i], mfile)));
        }
    }
    let mut totals = Vec::new();
    for tr in &m.total_rows {
        let ci = column_ref(t, &tr.column, "total_rows column", diags);
        let period = tr.period.as_ref().and_then(|p| period_ref(t, p, diags));
        if let Some(ci) = ci {
            totals.push((ci, tr.label.clone(), period));
        }
    }
    let mut overrides = Vec::new();
    for rp in &m.row_periods {
        if let (Some(ci), Some(p)) = (column_ref(t, &rp.column, "row_periods column", diags), period_ref(t, &rp.period, diags)) {
            overrides.push((ci, rp.label.clone(), p));
        }
    }
    let cell_rules = cell_rules(cat, t, &plans, diags);
    // a total row, a row period or a cell rule whose label no row carries would silently do nothing
    let labelled = |ci: usize, label: &str| t.rows.iter().any(|r| r.cells.get(ci).is_some_and(|c| c.trim() == label));
    let entries = m.total_rows.iter().map(|x| ("total_rows", &x.column, &x.label));
    let entries = entries.chain(m.row_periods.iter().map(|x| ("row_periods", &x.column, &x.label)));
    for (what, col, label) in entries.chain(m.cells.iter().map(|x| ("cells", &x.column, &x.label))) {
        if let Some(ci) = t.col_index(col.get_ref()) {
            if !labelled(ci, label) {
                let (l, c) = t.mpos(col.span());
                diags.push(Diagnostic::error(&t.manifest_file, l, c, kind::MANIFEST_ERROR, format!("{what}: no row of {} has '{label}' in column '{}'", t.csv_file, col.get_ref())));
            }
        }
    }
    manifest_consistency(t, &plans, diags);
    if diags.iter().filter(|d| d.is_error()).count() > n0 {
        return None; // the manifest does not describe the table: cells cannot be typed reliably
    }

    let mut rows = Vec::new();
    let mut seen_keys: std::collections::BTreeMap<Vec<String>, usize> = Default::default();
    for r in &t.rows {
        if r.cells.len() != t.header.len() {
            continue; // reported by ingest
        }
        let labels: Vec<String> = key_idx.iter().map(|&i| r.cells[i].trim().to_string()).collect();
        let total = totals.iter().find(|(ci, label, _)| r.cells[*ci].trim() == label).map(|(_, _, p)| *p);
        if !labels.is_empty() {
            if let Some(first) = seen_keys.get(&labels) {
                diags.push(Diagnostic::error(&t.csv_file, r.line, key_idx[0] + 1, kind::DUPLICATE_KEY, format!("row key '{}' already used on line {first}", labels.join(" / "))));
            } else {
                seen_keys.insert(labels.clone(), r.line);
            }
        }
        for (index, name) in &skipped {
            figure_cell(t, &m.missing, r.line, *index, name, &r.cells[*index], diags);
        }
        let mut values = Vec::new();
        let mut periods = Vec::new();
        let mut series = Vec::new();
        let mut cell_notes = Vec::new();
        let row_override = overrides.iter().find(|(ci, label, _)| r.cells[*ci].trim() == label).map(|(_, _, p)| *p);
        for (pi, p) in plans.iter().enumerate() {
            let v = figure_cell(t, &m.missing, r.line, p.index, &p.name, &r.cells[p.index], diags);
            // a figure whose category cell is empty would become a figure of the whole series
            if let (Some(ci), Some(_)) = (p.category_from, v) {
                if r.cells[ci].trim().is_empty() {
                    diags.push(Diagnostic::error(&t.csv_file, r.line, ci + 1, kind::MISSING_CELL, format!("the category of the figure in column '{}' is empty", p.name)));
                }
            }
            if let Some((k, msg)) = v.and_then(|(v, _)| range_problem(v, p.unit)) {
                diags.push(Diagnostic::error(&t.csv_file, r.line, p.index + 1, k, msg));
            }
            let per = match (&total, &p.period) {
                (None, PeriodRule::FromKey { .. }) if row_override.is_some() => row_override,
                (Some(tp), PeriodRule::FromKey { .. }) => *tp,
                (_, PeriodRule::Fixed(per)) => Some(*per),
                (None, PeriodRule::FromKey { col: pc, kind: k }) => {
                    let label = r.cells[*pc].trim();
                    let per = period_from_label(label, k);
                    if per.is_none() && v.is_some() {
                        diags.push(Diagnostic::error(&t.csv_file, r.line, pc + 1, kind::BAD_PERIOD, format!("'{label}' is not a valid period of kind {k}")));
                    }
                    per
                }
            };
            let rule = cell_rules.iter().find(|c| c.plan == pi && r.cells[c.key].trim() == c.label);
            values.push(v);
            periods.push(rule.and_then(|c| c.period).or(per));
            series.push(rule.and_then(|c| c.series.clone()).unwrap_or_else(|| p.series.clone()));
            cell_notes.push(rule.map(|c| c.note.clone()));
        }
        rows.push(TypedRow { line: r.line, labels, cells: r.cells.iter().map(|c| c.trim().to_string()).collect(), total, values, periods, series, cell_notes });
    }
    Some(TypedTable {
        source_id: t.source_id.clone(),
        table_id: t.table_id.clone(),
        csv_file: t.csv_file.clone(),
        location: m.location.clone(),
        long: false,
        plans,
        rows,
        long_rows: vec![],
    })
}

const LONG_COLUMNS: &[&str] = &["series", "period_start", "period_end", "category", "value", "unit", "location", "note"];
/// Columns a long table may add: the unit a rounded figure is rounded to, and whether it is a bound.
const LONG_OPTIONAL: &[&str] = &["rounded_to", "bound"];

/// The sections of a manifest that describe a wide table's columns and rows: in a long table
/// (`layout = "long"`) they would be silently ignored, so each is an error at its place.
fn wide_only_sections(t: &RawTable, diags: &mut Vec<Diagnostic>) {
    let m = &t.manifest;
    let mut at: Vec<(&str, Option<std::ops::Range<usize>>)> = Vec::new();
    at.extend(m.keys.first().map(|k| ("keys", Some(k.span()))));
    at.extend(m.period.as_ref().map(|p| ("[period]", Some(p.column.span()))));
    at.extend(m.total_rows.first().map(|x| ("[[total_rows]]", Some(x.column.span()))));
    at.extend(m.row_periods.first().map(|x| ("[[row_periods]]", Some(x.column.span()))));
    at.extend(m.cells.first().map(|x| ("[[cells]]", Some(x.column.span()))));
    at.extend(m.columns.first().map(|x| ("[[columns]]", Some(x.name.span()))));
    if m.shares_sum_to_100 {
        at.push(("shares_sum_to_100", None));
    }
    for (what, span) in at {
        let (l, c) = span.map_or((1, 1), |s| t.mpos(s));
        diags.push(Diagnostic::error(&t.manifest_file, l, c, kind::MANIFEST_ERROR, format!("{what} describes a wide table; a long table (layout = \"long\") gives series, period, unit and location in each row")));
    }
}

/// The words by which a location points at another row's place ("same sentence", "next para.",
/// "ibid."), where it does not also name that place in a non-empty "[as: ...]" that does not point
/// elsewhere itself.
fn relative_location(loc: &str) -> Option<String> {
    // an "[as: ...]" names the place: the words before it may be relative, the place may not
    if let Some(i) = loc.find("[as:") {
        let rest = loc[i + 4..].trim_start();
        let inner = rest.strip_suffix(']').unwrap_or(rest).trim();
        return if inner.is_empty() { Some("[as: ]".to_string()) } else { relative_location(inner) };
    }
    let l: String = loc.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    let word_at = |i: usize, w: &str| {
        let before = i == 0 || !l[..i].ends_with(|c: char| c.is_alphanumeric());
        let after = !l[i + w.len()..].starts_with(|c: char| c.is_alphanumeric());
        before && after
    };
    let places = ["sentence", "para", "paragraph", "passage", "quotation", "section", "page", "table", "footnote", "note", "row", "column", "line", "chapter"];
    for lead in ["same", "next", "previous", "preceding", "following"] {
        for w in places {
            let phrase = format!("{lead} {w}");
            if l.match_indices(&phrase).any(|(i, _)| word_at(i, &phrase)) {
                return Some(phrase);
            }
        }
    }
    ["ibid", "as above", "loc. cit", "op. cit"].iter().find(|w| l.match_indices(*w).any(|(i, _)| word_at(i, w))).map(|w| w.to_string())
}

/// A long table's `rounded_to` cell: empty (the figure is exact to its printed digits) or the power
/// of ten, 10 or more, that a whole figure is printed rounded to, of which the figure is a multiple.
fn rounded_to_cell(file: &str, line: usize, i: usize, raw: &str, value: Option<(f64, usize)>, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    if raw.is_empty() {
        return Some(0.0);
    }
    let mut err = |msg: String| {
        diags.push(Diagnostic::error(file, line, i + 1, kind::BAD_ROUNDING, msg));
        None
    };
    let Some((r, 0)) = parse_figure(raw) else {
        return err(format!("rounded_to '{raw}' is not a whole number (10, 100, 1000, ...)"));
    };
    let k = r.log10().round();
    if r < 10.0 || (10f64.powf(k) - r).abs() > 1e-9 {
        return err(format!("rounded_to '{raw}' is not a power of ten of 10 or more"));
    }
    match value {
        Some((_, d)) if d > 0 => err(format!("a figure printed with decimals is exact to its last decimal; rounded_to '{raw}' says otherwise")),
        Some((v, _)) if (v / r - (v / r).round()).abs() > 1e-9 => err(format!("the figure {} is not a multiple of rounded_to {raw}", v)),
        _ => Some(r),
    }
}

fn validate_long(cat: &Catalog, t: &RawTable, diags: &mut Vec<Diagnostic>) -> TypedTable {
    wide_only_sections(t, diags);
    let mut long_rows = Vec::new();
    let idx: Vec<Option<usize>> = LONG_COLUMNS.iter().map(|c| t.col_index(c)).collect();
    let mut ok = true;
    for (c, i) in LONG_COLUMNS.iter().zip(&idx) {
        if i.is_none() {
            diags.push(Diagnostic::error(&t.csv_file, 1, 1, kind::MANIFEST_ERROR, format!("a long table needs column '{c}'")));
            ok = false;
        }
    }
    // another column (a `source_id`, say) would be read by nobody
    for (i, h) in t.header.iter().enumerate().filter(|(_, h)| !LONG_COLUMNS.contains(&h.as_str()) && !LONG_OPTIONAL.contains(&h.as_str())) {
        diags.push(Diagnostic::error(&t.csv_file, 1, i + 1, kind::MANIFEST_ERROR, format!("a long table has no column '{h}': its columns are {}, and optionally {}", LONG_COLUMNS.join(", "), LONG_OPTIONAL.join(", "))));
    }
    let rounded_ix = t.col_index("rounded_to");
    let bound_ix = t.col_index("bound");
    if t.rows.is_empty() {
        diags.push(Diagnostic::error(&t.csv_file, 1, 1, kind::MISSING_CELL, "the table has a header but no rows"));
    }
    if ok {
        let ix = |k: usize| idx[k].unwrap_or(0);
        let default_unit = t.manifest.unit.as_ref().and_then(|u| Unit::parse(u.get_ref()));
        for r in &t.rows {
            if r.cells.len() != t.header.len() {
                continue;
            }
            let cell = |k: usize| r.cells[ix(k)].trim().to_string();
            let series = cell(0);
            let mut bad = false;
            if !cat.series_known(&series) {
                diags.push(Diagnostic::error(&t.csv_file, r.line, ix(0) + 1, kind::UNKNOWN_SERIES, format!("series '{series}' is not in series.csv")));
                bad = true;
            }
            let ps = Date::parse(&cell(1));
            let pe = if cell(2).is_empty() { ps } else { Date::parse(&cell(2)) };
            let period = match (ps, pe) {
                (Some(a), Some(b)) if a <= b => Some(Period { start: a, end: b }),
                (Some(_), Some(_)) => {
                    diags.push(Diagnostic::error(&t.csv_file, r.line, ix(2) + 1, kind::BAD_PERIOD, "period_end is before period_start"));
                    None
                }
                (None, _) => {
                    diags.push(Diagnostic::error(&t.csv_file, r.line, ix(1) + 1, kind::BAD_PERIOD, format!("'{}' is not a date YYYY-MM-DD", cell(1))));
                    None
                }
                (_, None) => {
                    diags.push(Diagnostic::error(&t.csv_file, r.line, ix(2) + 1, kind::BAD_PERIOD, format!("'{}' is not a date YYYY-MM-DD", cell(2))));
                    None
                }
            };
            let unit = if cell(5).is_empty() { default_unit } else { Unit::parse(&cell(5)) };
            if unit.is_none() {
                diags.push(Diagnostic::error(&t.csv_file, r.line, ix(5) + 1, kind::BAD_UNIT, format!("unit '{}' is not persons, percent, per_1000 or count", cell(5))));
                bad = true;
            }
            if let (Some(def), Some(u)) = (cat.series.get(&series), unit) {
                if def.unit != u {
                    diags.push(Diagnostic::error(&t.csv_file, r.line, ix(5) + 1, kind::BAD_UNIT, format!("series '{series}' is in {}, not {}", def.unit.as_str(), u.as_str())));
                }
            }
            let raw = cell(4);
            let value = if raw.is_empty() {
                diags.push(Diagnostic::error(&t.csv_file, r.line, ix(4) + 1, kind::MISSING_CELL, "a figure is needed in column 'value'"));
                None
            } else {
                match parse_figure(&raw) {
                    Some(v) => {
                        let change = cat.series.get(&series).map(|d| d.kind == "change").unwrap_or(false);
                        // an unknown series is already an error: its kind (a change may be negative) is not known
                        let known = cat.series_known(&series);
                        if let (Some(u), false, true) = (unit, change, known) {
                            if let Some((k, msg)) = range_problem(v.0, u) {
                                diags.push(Diagnostic::error(&t.csv_file, r.line, ix(4) + 1, k, msg));
                            }
                        }
                        // a quantity can fall by all of itself, not more
                        if change && unit == Some(Unit::Percent) && v.0 < -100.0 {
                            diags.push(Diagnostic::error(&t.csv_file, r.line, ix(4) + 1, kind::PERCENT_OUT_OF_RANGE, format!("a change of {} percent: nothing falls by more than 100 percent", v.0)));
                        }
                        Some(v)
                    }
                    None => {
                        diags.push(Diagnostic::error(&t.csv_file, r.line, ix(4) + 1, kind::NOT_A_NUMBER, format!("'{}' is not a number (digits, optional '-' and '.', no thousands separators, at most 15 digits)", crate::diag::cell_text(&raw, 60))));
                        None
                    }
                }
            };
            if cell(6).is_empty() {
                diags.push(Diagnostic::error(&t.csv_file, r.line, ix(6) + 1, kind::MISSING_CELL, "every figure needs a location"));
                bad = true;
            } else if let Some(w) = relative_location(&cell(6)) {
                // the exports sort the rows: a location that points at another row loses it
                diags.push(Diagnostic::error(&t.csv_file, r.line, ix(6) + 1, kind::RELATIVE_LOCATION, format!("location '{}' says '{w}' of another row, which the exports do not keep beside it; name the place itself or add '[as: <that row's location>]' (a place that does not point elsewhere itself)", cell(6))));
                bad = true;
            }
            let rounded_to = rounded_ix.map_or(Some(0.0), |i| rounded_to_cell(&t.csv_file, r.line, i, r.cells[i].trim(), value, diags));
            let bound = bound_ix.map_or(Some(Bound::None), |i| {
                let b = Bound::parse(r.cells[i].trim());
                if b.is_none() {
                    diags.push(Diagnostic::error(&t.csv_file, r.line, i + 1, kind::BAD_BOUND, format!("bound '{}' is not lower, upper or empty", r.cells[i].trim())));
                }
                b
            });
            let (Some(rounded_to), Some(bound)) = (rounded_to, bound) else { continue };
            if let (false, Some(period), Some((value, decimals)), Some(unit)) = (bad, period, value, unit) {
                long_rows.push(Observation {
                    series,
                    period,
                    category: cell(3),
                    value,
                    decimals,
                    rounded_to,
                    bound,
                    unit,
                    source_id: t.source_id.clone(),
                    location: cell(6),
                    evidence: Evidence::Printed,
                    note: cell(7),
                    file: t.csv_file.clone(),
                    line: r.line,
                    column: ix(4) + 1,
                });
            }
        }
    }
    TypedTable {
        source_id: t.source_id.clone(),
        table_id: t.table_id.clone(),
        csv_file: t.csv_file.clone(),
        location: t.manifest.location.clone(),
        long: true,
        plans: vec![],
        rows: vec![],
        long_rows,
    }
}

/// Rounding allowed in a sum of printed percents: half a unit of each printed last place.
fn tol(decimals: &[usize]) -> f64 {
    decimals.iter().map(|&d| 0.5 * 10f64.powi(-(d as i32))).sum::<f64>().max(1e-9)
}

/// Rounding allowed in a sum of counts: whole counts are exact; only printed decimals round.
fn count_tol(decimals: &[usize]) -> f64 {
    decimals.iter().filter(|&&d| d > 0).map(|&d| 0.5 * 10f64.powi(-(d as i32))).sum::<f64>().max(1e-9)
}

/// Printed totals (total rows and `sum_of` columns) against the cells.
fn check_totals(t: &TypedTable, diags: &mut Vec<Diagnostic>) {
    for (pi, p) in t.plans.iter().enumerate() {
        for tr in t.rows.iter().filter(|r| r.total.is_some()) {
            let Some((total, td)) = tr.values[pi] else { continue };
            let parts: Vec<&TypedRow> = t.rows.iter().filter(|r| r.total.is_none()).collect();
            let present: Vec<(f64, usize)> = parts.iter().filter_map(|r| r.values[pi]).collect();
            if present.is_empty() {
                continue;
            }
            let sum: f64 = present.iter().map(|x| x.0).sum();
            let mut ds: Vec<usize> = present.iter().map(|x| x.1).collect();
            ds.push(td);
            if p.unit == Unit::Percent {
                continue; // a total of percents is not a sum
            }
            if (sum - total).abs() > count_tol(&ds) {
                let missing = parts.len() - present.len();
                let extra = if missing > 0 { format!(" ({missing} row(s) have no figure)") } else { String::new() };
                diags.push(Diagnostic::finding(&t.csv_file, tr.line, p.index + 1, kind::TOTAL_MISMATCH, format!("printed total {} of column '{}' but the rows add up to {}{extra}; difference {}", crate::model::fmt_num(total, td), p.name, crate::model::fmt_num(sum, td), crate::model::fmt_num(sum - total, td))));
            }
        }
        if !p.sum_of.is_empty() {
            let idx: Vec<usize> = p.sum_of.iter().filter_map(|c| t.plans.iter().position(|q| q.index == *c)).collect();
            for r in &t.rows {
                let Some((total, td)) = r.values[pi] else { continue };
                let parts: Vec<Option<(f64, usize)>> = idx.iter().map(|&i| r.values[i]).collect();
                if parts.iter().any(|x| x.is_none()) || parts.is_empty() {
                    continue;
                }
                let sum: f64 = parts.iter().map(|x| x.unwrap().0).sum();
                let mut ds: Vec<usize> = parts.iter().map(|x| x.unwrap().1).collect();
                ds.push(td);
                let slack = if p.unit == Unit::Percent { tol(&ds) } else { count_tol(&ds) };
                if (sum - total).abs() > slack {
                    diags.push(Diagnostic::finding(&t.csv_file, r.line, p.index + 1, kind::TOTAL_MISMATCH, format!("column '{}' prints {} but its parts add up to {}", p.name, crate::model::fmt_num(total, td), crate::model::fmt_num(sum, td))));
                }
            }
        }
    }
}

/// Shares that make up a whole should sum to 100 within printed rounding.
fn check_shares(t: &TypedTable, diags: &mut Vec<Diagnostic>) {
    use std::collections::BTreeMap;
    // group (series, period) -> values with decimals, remembering a line and column to report
    type Shares = (Vec<(f64, usize)>, usize, usize);
    let mut groups: BTreeMap<(String, Period), Shares> = BTreeMap::new();
    for r in t.rows.iter().filter(|r| r.total.is_none()) {
        for (pi, p) in t.plans.iter().enumerate() {
            if p.unit != Unit::Percent {
                continue;
            }
            if let (Some(v), Some(per)) = (r.values[pi], r.periods[pi]) {
                let e = groups.entry((r.series[pi].clone(), per)).or_insert((vec![], r.line, p.index + 1));
                e.0.push(v);
            }
        }
    }
    for ((series, per), (vals, line, col)) in groups {
        if vals.len() < 2 {
            continue;
        }
        let sum: f64 = vals.iter().map(|x| x.0).sum();
        let ds: Vec<usize> = vals.iter().map(|x| x.1).collect();
        let d = ds.iter().copied().max().unwrap_or(0);
        if (sum - 100.0).abs() > tol(&ds) + 1e-9 {
            diags.push(Diagnostic::finding(&t.csv_file, line, col, kind::SHARES_NOT_100, format!("shares of {series} at {} sum to {}, not 100 (rounding allows ±{})", per.start, crate::model::fmt_num(sum, d), crate::model::fmt_num(tol(&ds), d + 1))));
        }
    }
}

/// A flow is counted over an interval: a flow series dated to a single day (a text row whose
/// `period_end` was left empty, a wide column read with a stock kind) is an error at its cell.
/// Stocks may run over a span: the few a source dates only to a month or year (docs/series.md).
pub fn flows_over_intervals(cat: &Catalog, obs: &[Observation]) -> Vec<Diagnostic> {
    obs.iter()
        .filter(|o| o.period.is_instant() && cat.series.get(&o.series).is_some_and(|d| d.kind == "flow"))
        .map(|o| Diagnostic::error(&o.file, o.line, o.column, kind::BAD_PERIOD, format!("{} is a flow, counted over an interval, but this figure is dated to the single day {}", o.series, o.period.start)))
        .collect()
}

/// Two printed figures of one source for one quantity at one `location`: the exports key an
/// observation by series, period, category, source and location, so the second would break that
/// key (and a reader could not tell the two apart). An error at the second, naming the first. (A
/// wide table writes `location` itself from its manifest's `location`, row and column: a repeated row
/// within one wide file is already a `duplicate-key` error of the row and is not reported again, but
/// two wide files of one source with the same manifest `location` and rows are.)
pub fn one_place_two_values(cat: &Catalog, obs: &[Observation]) -> Vec<Diagnostic> {
    let long: std::collections::BTreeSet<&str> = cat.tables.iter().filter(|t| t.manifest.is_long()).map(|t| t.csv_file.as_str()).collect();
    let mut first: std::collections::BTreeMap<(&str, &str, Period, &str, &str), &Observation> = Default::default();
    let mut out = vec![];
    for o in obs.iter().filter(|o| o.evidence == Evidence::Printed) {
        let key = (o.source_id.as_str(), o.series.as_str(), o.period, o.category.as_str(), o.location.as_str());
        let wide = !long.contains(o.file.as_str());
        match first.get(&key) {
            Some(f) if wide && f.file == o.file => {}
            Some(f) => {
                let hint = if wide { "give the two tables' manifests different `location`s" } else { "say in `location` which figure is which" };
                out.push(Diagnostic::error(
                    &o.file,
                    o.line,
                    o.column,
                    kind::DUPLICATE_KEY,
                    format!("{} {} {} at '{}' is already given at {}:{}: {hint} (the exports key an observation by series, period, category, source and location)", o.source_id, o.series, o.period.label(), o.location, f.file, f.line),
                ))
            }
            None => {
                first.insert(key, o);
            }
        }
    }
    out
}

/// A figure with its bound's words: "1200", "at least 1200".
fn as_printed(o: &Observation) -> String {
    match o.bound.words() {
        Some(w) => format!("{w} {}", o.value_text()),
        None => o.value_text(),
    }
}

/// One source that gives two figures for the same series, period and category that cannot both
/// hold (a typo in one of two rows, or two places of the source that disagree; a printed range
/// entered as a lower and an upper bound is no difference): a finding at the later figure, naming
/// the first earlier one it contradicts. Reconciliation keeps the first and flags the row; a real
/// second printing deserves its own `source_id` as a witness.
pub fn one_source_two_values(obs: &[Observation]) -> Vec<Diagnostic> {
    let mut before: std::collections::BTreeMap<(&str, &str, Period, &str), Vec<&Observation>> = Default::default();
    let mut out = vec![];
    for o in obs.iter().filter(|o| o.evidence == Evidence::Printed) {
        let key = (o.source_id.as_str(), o.series.as_str(), o.period, o.category.as_str());
        let seen = before.entry(key).or_default();
        // two figures that cannot both hold, as reconciliation reads them (a count is exact; a
        // rounded figure allows its rounding; a bound, its open side)
        if let Some(f) = seen.iter().find(|f| crate::reconcile::disagree(f, o)) {
            out.push(Diagnostic::finding(
                &o.file,
                o.line,
                o.column,
                kind::SOURCE_DIFFERS_FROM_ITSELF,
                format!("{} gives {} for {} {} here and {} at {}:{}", o.source_id, as_printed(o), o.series, o.period.label(), as_printed(f), f.file, f.line),
            ));
        }
        seen.push(o);
    }
    out
}
