//! Conflicts: every reconciled row of printed values whose sources disagree, with each source's
//! value, the document it witnesses, and the recorded explanation: the reason a witness is left
//! out of reconciliation (`[[exclude]]`), the series rule that chose the value (`[[series]]`), and
//! the note on a witness group whose copies differ (`[[witnesses]]`), all from
//! `data/reconcile.toml`. Nothing here changes a value; it makes every disagreement visible.
//! The text of one reconciled row with its sources (`row_block`) is shared with `gulagstats show`.

use crate::model::{fmt_value, Evidence, Observation, Period};
use crate::reconcile::Rules;
use crate::pipeline::Analysis;
use crate::reconcile::Reconciled;
use std::collections::{BTreeMap, BTreeSet};

/// One source's value in a disagreement.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub obs: &'a Observation,
    /// The document the source witnesses (its witness group's, or the source itself).
    pub document: String,
    /// Why this value is left out of reconciliation, if it is.
    pub excluded: Option<&'a str>,
}

/// A reconciled row whose sources disagree beyond their printed precision (`conflict`), or one
/// with a witness left out of reconciliation (`witness-excluded`).
#[derive(Debug, Clone)]
pub struct Disagreement<'a> {
    pub row: &'a Reconciled,
    pub entries: Vec<Entry<'a>>,
    /// The explanations recorded for it, each prefixed with where it is recorded.
    pub notes: Vec<String>,
}

/// A reconciled row flagged `conflict` or `witness-excluded`. Derived rows are left out: their
/// inputs' conflicts are listed where the inputs are.
pub fn is_disagreement(r: &Reconciled) -> bool {
    !r.method.starts_with("monte-carlo") && (r.has_flag("conflict") || r.has_flag("witness-excluded"))
}

/// The disagreements of the given series (all when none is named), in the order of the
/// reconciled rows.
pub fn find<'a>(an: &'a Analysis, series: &[String]) -> Vec<Disagreement<'a>> {
    let rules = &an.rules;
    an.reconciled
        .iter()
        .filter(|r| is_disagreement(r) && (series.is_empty() || series.contains(&r.series)))
        .map(|row| {
            let entries: Vec<Entry> = rules
                .observations_of(&an.observations, row)
                .into_iter()
                // the printed values that were reconciled (or left out); not the pipeline's own
                .filter(|o| o.evidence == Evidence::Printed)
                .map(|obs| Entry { obs, document: rules.document_of(&obs.source_id), excluded: rules.exclusion_for(obs).map(|x| x.reason.as_str()) })
                .collect();
            let mut notes = vec![];
            if let Some(rule) = rules.series_rule(&row.series, row.period).filter(|r| !r.note.is_empty()) {
                notes.push(format!("rule for {}{}: {}", row.series, rule.scope(), rule.note));
            }
            // the note on each witness group whose copies print different values here
            let mut groups: Vec<&str> = vec![];
            for e in &entries {
                if let Some(g) = rules.group_of(&e.obs.source_id) {
                    let values: Vec<f64> = entries.iter().filter(|x| x.document == g.document).map(|x| x.obs.value).collect();
                    if values.iter().any(|v| *v != values[0]) && !groups.contains(&g.document.as_str()) && !g.note.is_empty() {
                        groups.push(&g.document);
                        notes.push(format!("witnesses of '{}': {}", g.document, g.note));
                    }
                }
            }
            Disagreement { row, entries, notes }
        })
        .collect()
}

/// A (series, period, category) whose every value is left out of reconciliation (`[[exclude]]`),
/// so that it has no reconciled row: listed by `conflicts` and `show` after the reconciled rows,
/// lest its figures vanish from every report but `observations`.
#[derive(Debug, Clone)]
pub struct LeftOut<'a> {
    pub series: &'a str,
    pub period: Period,
    /// The category the row would have (for an estimate, with its author).
    pub category: String,
    pub entries: Vec<Entry<'a>>,
}

/// Every row whose printed values are all left out of reconciliation, among the observations
/// `keep` selects, in the order of (series, period, category).
pub fn left_out<'a>(an: &'a Analysis, keep: impl Fn(&Observation) -> bool) -> Vec<LeftOut<'a>> {
    let rules = &an.rules;
    let reconciled: BTreeSet<(&str, Period, &str)> = an.reconciled.iter().map(|r| (r.series.as_str(), r.period, r.category.as_str())).collect();
    let mut rows: BTreeMap<(&str, Period, String), Vec<Entry>> = BTreeMap::new();
    for obs in an.observations.iter().filter(|o| o.evidence == Evidence::Printed && keep(o)) {
        if let Some(x) = rules.exclusion_for(obs) {
            let entry = Entry { obs, document: rules.document_of(&obs.source_id), excluded: Some(x.reason.as_str()) };
            rows.entry((obs.series.as_str(), obs.period, rules.row_category(obs))).or_default().push(entry);
        }
    }
    rows.into_iter()
        .filter(|((s, p, c), _)| !reconciled.contains(&(*s, *p, c.as_str())))
        .map(|((series, period, category), entries)| LeftOut { series, period, category, entries })
        .collect()
}

/// The heading line of a row with no reconciled value, every value of it left out.
pub fn left_out_heading(l: &LeftOut) -> String {
    let cat = if l.category.is_empty() { String::new() } else { format!(" [{}]", l.category) };
    format!("{} {}{cat}: no reconciled value (every value is left out of reconciliation)", l.series, l.period.label())
}

/// A row with no reconciled value and its sources' values, each with the reason it is left out.
pub fn left_out_block(rules: &Rules, l: &LeftOut, said: &mut BTreeSet<usize>) -> String {
    left_out_heading(l) + "\n" + &source_lines(rules, l.entries.iter().map(|e| e.obs), said)
}

/// The heading line of a reconciled row: period, category, value, range, unit, method, flags.
pub fn row_heading(r: &Reconciled) -> String {
    let per = r.period.label();
    let cat = if r.category.is_empty() { String::new() } else { format!(" [{}]", r.category) };
    let flags = if r.flags.is_empty() { String::new() } else { format!("  flags {}", r.flags_text()) };
    let v = |x: f64, d: usize| fmt_value(r.unit, x, d);
    let rd = r.range_decimals();
    format!("{} {per}{cat}: {} (range {} to {}) {}  method {}{flags}", r.series, v(r.value, r.decimals), v(r.low, rd), v(r.high, rd), r.unit.as_str(), r.method)
}

/// A reconciled row and, under it, each source's value with its evidence and location; a witness
/// left out of reconciliation says so, with the reason; a row in a broken accounting identity
/// gives the finding.
/// `said`: the exclusion rules whose reason an earlier block of the same report has printed (by
/// their line in reconcile.toml); a rule that leaves out a series year by year is explained once.
pub fn row_block(an: &Analysis, r: &Reconciled, said: &mut BTreeSet<usize>) -> String {
    let mut out = row_heading(r) + "\n" + &source_lines(&an.rules, an.rules.observations_of(&an.observations, r), said);
    // a row flagged identity-finding: the broken identities it takes part in, so that the reader
    // sees what contradicts it without running `check`
    if r.category.is_empty() {
        for f in an.findings.iter().filter(|f| f.rows.iter().any(|(s, p)| *s == r.series && *p == r.period)) {
            out.push_str(&format!("    finding [{}]: {}\n", f.identity, f.message));
        }
    }
    out
}

/// One line per value: source, value, evidence, location; and under a witness left out of
/// reconciliation, the reason (in full the first time the report meets its rule, see `row_block`).
fn source_lines<'a>(rules: &Rules, obs: impl IntoIterator<Item = &'a Observation>, said: &mut BTreeSet<usize>) -> String {
    let mut out = String::new();
    for o in obs {
        // A derived value's location already begins "derived: rule ..."; say it once.
        let ev = o.evidence.as_str();
        let place = match o.location.strip_prefix(ev).and_then(|r| r.strip_prefix(':')) {
            Some(rest) => format!("{ev}:{rest}"),
            None => format!("{ev} {}", o.location),
        };
        // what the data says of the figure's precision, which the range follows
        let says = o.precision_tags();
        let says = if says.is_empty() { String::new() } else { format!("  [{}]", says.join("; ")) };
        out.push_str(&format!("    {:<26} {:>14}  {place}{says}\n", o.source_id, o.value_text()));
        if let Some(x) = rules.exclusion_for(o) {
            if said.insert(x.line) {
                out.push_str(&format!("        excluded from reconciliation: {}\n", x.reason));
            } else {
                out.push_str(&format!("        excluded from reconciliation: the same rule as above (reconcile.toml line {})\n", x.line));
            }
        }
    }
    out
}

/// The text report; `rules_file` is the path of the reconciliation rules as the terminal shows it.
pub fn render_text(rules: &Rules, ds: &[Disagreement], left: &[LeftOut], rules_file: &str) -> String {
    let conflicts: Vec<&Disagreement> = ds.iter().filter(|d| d.row.has_flag("conflict")).collect();
    let within = conflicts.iter().filter(|d| !rules.documents_disagree(&d.entries.iter().map(|e| e.obs).collect::<Vec<_>>())).count();
    let mut out = format!(
        "Disagreements between sources: {} conflict(s) beyond printed precision ({} between documents, {within} only between copies of one document), {} row(s) with a witness left out of reconciliation ({rules_file})\n",
        conflicts.len(),
        conflicts.len() - within,
        ds.iter().filter(|d| d.entries.iter().any(|e| e.excluded.is_some())).count()
    );
    if !left.is_empty() {
        out.insert_str(out.len() - 1, &format!("; {} row(s) whose every value is left out, with no reconciled value", left.len()));
    }
    let mut said = BTreeSet::new();
    for d in ds {
        out.push('\n');
        out.push_str(&row_heading(d.row));
        out.push('\n');
        out.push_str(&source_lines(rules, d.entries.iter().map(|e| e.obs), &mut said));
        for n in &d.notes {
            out.push_str(&format!("    {n}\n"));
        }
    }
    for l in left {
        out.push('\n');
        out.push_str(&left_out_block(rules, l, &mut said));
    }
    out
}

pub fn render_csv(ds: &[Disagreement], left: &[LeftOut]) -> crate::error::Result<String> {
    let bytes = crate::export::csv_bytes(&crate::export::conflicts_table(ds, left))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
