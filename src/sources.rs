//! What the data takes from each source (`gulagstats sources`): its bibliographic record, the
//! document it witnesses, and per series how many figures it gives, over which periods, and how
//! many are left out of reconciliation; with the claims that cite it. The view by source, beside
//! `show` (by series) and `conflicts` (by disagreement).

use crate::ingest::Source;
use crate::model::{Evidence, Period};
use crate::pipeline::Analysis;
use std::collections::BTreeMap;

/// One source's share of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesUse {
    pub series: String,
    pub printed: usize,
    pub derived: usize,
    /// Printed figures that reconciliation leaves out (`[[exclude]]` rules), with their reason.
    pub excluded: usize,
    /// The earliest start and the latest end of the figures' periods.
    pub span: Period,
}

/// A source and what the data takes from it.
#[derive(Debug, Clone)]
pub struct SourceUse {
    pub source: Source,
    /// The document it witnesses (itself when in no witness group) and the other witnesses.
    pub document: String,
    pub other_witnesses: Vec<String>,
    pub tables: usize,
    pub series: Vec<SeriesUse>,
    /// Claims of the registry that cite this source: (id, status).
    pub claims: Vec<(String, String)>,
    /// Other claims whose expression reads this source's own printed figures (`src`, `srcsum`):
    /// (id, status). A figure checked against another source's total shows here.
    pub used_by: Vec<(String, String)>,
}

/// The sources a claim's expression reads by name (an expression that does not parse reads none:
/// `validate` reports it).
fn sources_read(expression: &str) -> Vec<String> {
    crate::claims::parse(expression).map(|e| crate::claims::sources_read(&e)).unwrap_or_default()
}

/// Every source, or those named (`only`), in source_id order.
pub fn uses(an: &Analysis, only: &[String]) -> Vec<SourceUse> {
    let mut per: BTreeMap<&str, BTreeMap<&str, SeriesUse>> = BTreeMap::new();
    for o in &an.observations {
        let e = per.entry(o.source_id.as_str()).or_default().entry(o.series.as_str()).or_insert_with(|| SeriesUse { series: o.series.clone(), printed: 0, derived: 0, excluded: 0, span: o.period });
        match o.evidence {
            Evidence::Printed => e.printed += 1,
            Evidence::Derived => e.derived += 1,
        }
        if an.rules.exclusion_for(o).is_some() {
            e.excluded += 1;
        }
        e.span = Period { start: e.span.start.min(o.period.start), end: e.span.end.max(o.period.end) };
    }
    an.loaded
        .catalog
        .sources
        .values()
        .filter(|s| only.is_empty() || only.contains(&s.source_id))
        .map(|s| {
            let id = s.source_id.as_str();
            let group = an.rules.group_of(id);
            SourceUse {
                source: s.clone(),
                document: an.rules.document_of(id),
                other_witnesses: group.map(|g| g.sources.iter().filter(|x| *x != id).cloned().collect()).unwrap_or_default(),
                tables: an.loaded.catalog.tables.iter().filter(|t| t.source_id == id).count(),
                series: per.get(id).map(|m| m.values().cloned().collect()).unwrap_or_default(),
                claims: an.claims.iter().filter(|c| c.source_id == id).map(|c| (c.id.clone(), c.status.clone())).collect(),
                used_by: an
                    .claims
                    .iter()
                    .filter(|c| c.source_id != id && sources_read(&c.expression).iter().any(|x| x == id))
                    .map(|c| (c.id.clone(), c.status.clone()))
                    .collect(),
            }
        })
        .collect()
}

/// Text report, for people.
pub fn render_text(us: &[SourceUse]) -> String {
    let mut s = String::new();
    for u in us {
        let printed: usize = u.series.iter().map(|x| x.printed).sum();
        let derived: usize = u.series.iter().map(|x| x.derived).sum();
        let what = if derived > 0 { format!("{derived} derived figure(s)") } else { format!("{printed} printed figure(s) in {} table file(s)", u.tables) };
        let year = if u.source.year.is_empty() { String::new() } else { format!(", {}", u.source.year) };
        s.push_str(&format!("{} ({}{year}): {what}\n", u.source.source_id, u.source.kind));
        s.push_str(&format!("  citation: {}\n", u.source.citation));
        s.push_str(&format!("  copy read: {}\n", u.source.copy_read));
        if !u.source.archival_ref.is_empty() {
            s.push_str(&format!("  archival reference: {}\n", u.source.archival_ref));
        }
        if !u.other_witnesses.is_empty() {
            s.push_str(&format!("  witness of document '{}', with {} (copies of one document count once)\n", u.document, u.other_witnesses.join(", ")));
        }
        let width = u.series.iter().map(|x| x.series.len()).max().unwrap_or(0);
        for x in &u.series {
            let n = if x.derived > 0 { format!("{} derived", x.derived) } else { format!("{} printed", x.printed) };
            let ex = if x.excluded > 0 { format!("  {} left out of reconciliation (gulagstats conflicts)", x.excluded) } else { String::new() };
            s.push_str(&format!("  {:<width$} {:>12}  {}{ex}\n", x.series, n, x.span.label()));
        }
        if !u.claims.is_empty() {
            let ids: Vec<&str> = u.claims.iter().map(|(id, _)| id.as_str()).collect();
            s.push_str(&format!("  claims citing it: {} ({}): {}\n", u.claims.len(), status_counts(&u.claims), ids.join(", ")));
        }
        if !u.used_by.is_empty() {
            let ids: Vec<&str> = u.used_by.iter().map(|(id, _)| id.as_str()).collect();
            s.push_str(&format!("  other claims using its printed figures: {} ({}): {}\n", u.used_by.len(), status_counts(&u.used_by), ids.join(", ")));
        }
        s.push('\n');
    }
    s
}

/// "2 pass, 1 documented": how many claims have each status, in status order.
fn status_counts(claims: &[(String, String)]) -> String {
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, st) in claims {
        *by.entry(st.as_str()).or_default() += 1;
    }
    by.iter().map(|(st, n)| format!("{n} {st}")).collect::<Vec<_>>().join(", ")
}

/// CSV, for programs: one row per (source, series), sorted.
pub fn render_csv(us: &[SourceUse]) -> crate::error::Result<String> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    let io = |e: csv::Error| crate::error::Error::Failed(format!("writing CSV: {e}"));
    w.write_record(["source_id", "kind", "year", "document", "series", "printed", "derived", "excluded", "period_start", "period_end", "copy_read"]).map_err(io)?;
    for u in us {
        for x in &u.series {
            let (p, d, e) = (x.printed.to_string(), x.derived.to_string(), x.excluded.to_string());
            let (a, b) = (x.span.start.to_string(), x.span.end.to_string());
            w.write_record([u.source.source_id.as_str(), &u.source.kind, &u.source.year, &u.document, &x.series, &p, &d, &e, &a, &b, &u.source.copy_read]).map_err(io)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| crate::error::Error::Failed(format!("writing CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
