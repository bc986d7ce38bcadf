//! Tidy: melt typed tables into observations (one row per value as a source gives it).

use crate::model::{Bound, Evidence, Observation};
use crate::validate::TypedTable;

pub fn melt(tables: &[TypedTable]) -> Vec<Observation> {
    let mut out = Vec::new();
    for t in tables {
        if t.long {
            out.extend(t.long_rows.iter().cloned());
            continue;
        }
        for r in &t.rows {
            for (pi, p) in t.plans.iter().enumerate() {
                let (Some((value, decimals)), Some(period)) = (r.values[pi], r.periods[pi]) else { continue };
                if r.total == Some(None) {
                    continue; // a printed total with no period of its own: checked, not emitted
                }
                let category = match p.category_from {
                    Some(ci) => r.cells[ci].clone(),
                    None => p.category.clone(),
                };
                let row_label = if r.labels.is_empty() { format!("line {}", r.line) } else { r.labels.join(" / ") };
                let loc = if t.location.is_empty() { t.table_id.clone() } else { t.location.clone() };
                let location = format!("{loc}, row '{row_label}', column '{}'", p.name);
                let series = &r.series[pi];
                let mut note = p.note.clone();
                if let Some(why) = &r.cell_notes[pi] {
                    if !note.is_empty() {
                        note.push_str("; ");
                    }
                    note.push_str(why);
                }
                if r.total.is_some() {
                    if !note.is_empty() {
                        note.push_str("; ");
                    }
                    note.push_str("printed total row");
                }
                out.push(Observation {
                    series: series.clone(),
                    period,
                    category,
                    value,
                    decimals,
                    rounded_to: 0.0,
                    bound: Bound::None,
                    unit: p.unit,
                    source_id: p.source_id.clone(),
                    location,
                    evidence: Evidence::Printed,
                    note,
                    file: t.csv_file.clone(),
                    line: r.line,
                    column: p.index + 1,
                });
            }
        }
    }
    sort_observations(&mut out);
    out
}

pub fn sort_observations(obs: &mut [Observation]) {
    obs.sort_by(|a, b| {
        (&a.series, a.period, &a.category, &a.source_id, &a.file, a.line, a.column)
            .cmp(&(&b.series, b.period, &b.category, &b.source_id, &b.file, b.line, b.column))
    });
}
