//! Rebuild: the printed tables whose cells no copy let us read (the missing marker `unread`, used
//! for GRZ 1993's Tables 1-9 and Appendices A-B, images in every copy found), filled cell by cell
//! from the reconciled data of the sources that can be reached: same series, period and category
//! as the manifest gives the cell (for a few GRZ cells that is the article's own running text). A
//! rebuilt cell is never presented as printed: it carries the reconciled row's value, range, method
//! and sources, and the cell stays `unread` in the table file.

use crate::model::{fmt_value, Period, Unit};
use crate::pipeline::Analysis;
use crate::reconcile::Reconciled;

/// The marker of a cell that no copy let us read (as opposed to a printed dash).
pub const UNREAD: &str = "unread";

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Read in a copy of the table.
    Printed(f64, usize),
    /// Not read; the reconciled data of other sources gives the value.
    Rebuilt,
    /// Not read, and no source in the data gives it.
    Missing,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Printed(..) => "printed",
            Status::Rebuilt => "rebuilt",
            Status::Missing => "missing",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub source_id: String,
    pub table_id: String,
    pub row: String,
    pub column: String,
    pub series: String,
    /// Where a `[[cells]]` rule gives this cell another series or period than its column and row
    /// say: what it says and why.
    pub cell_note: Option<String>,
    pub period: Period,
    pub category: String,
    pub unit: Unit,
    pub status: Status,
    /// For a rebuilt cell: the reconciled row that gives it.
    pub rebuilt: Option<&'a Reconciled>,
}

/// A table with at least one unread cell, and all its cells in row and column order.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub source_id: String,
    pub table_id: String,
    pub title: String,
    pub location: String,
    pub columns: Vec<String>,
    pub rows: Vec<String>,
    pub cells: Vec<Cell<'a>>,
}

impl Table<'_> {
    pub fn name(&self) -> String {
        format!("{}/{}", self.source_id, self.table_id)
    }
    pub fn count(&self, s: &str) -> usize {
        self.cells.iter().filter(|c| c.status.as_str() == s).count()
    }
}

/// The tables with unread cells; `only` names tables (`source/table`) or sources to keep (all when
/// empty).
pub fn tables<'a>(an: &'a Analysis, only: &[String]) -> Vec<Table<'a>> {
    let mut out = vec![];
    for t in an.loaded.tables.iter().filter(|t| !t.long) {
        let name = format!("{}/{}", t.source_id, t.table_id);
        if !only.is_empty() && !only.iter().any(|o| *o == name || *o == t.source_id) {
            continue;
        }
        if !t.rows.iter().any(|r| t.plans.iter().any(|p| r.cells[p.index] == UNREAD)) {
            continue;
        }
        let title = an.loaded.catalog.tables.iter().find(|r| r.source_id == t.source_id && r.table_id == t.table_id).map(|r| r.manifest.title.clone()).unwrap_or_default();
        let mut table = Table { source_id: t.source_id.clone(), table_id: t.table_id.clone(), title, location: t.location.clone(), columns: t.plans.iter().map(|p| p.name.clone()).collect(), rows: vec![], cells: vec![] };
        for r in &t.rows {
            let row = if r.labels.is_empty() { format!("line {}", r.line) } else { r.labels.join(" / ") };
            table.rows.push(row.clone());
            for (pi, p) in t.plans.iter().enumerate() {
                let Some(period) = r.periods[pi] else { continue };
                let category = p.category_from.map_or_else(|| p.category.clone(), |ci| r.cells[ci].clone());
                let (status, rebuilt): (Status, Option<&Reconciled>) = match r.values[pi] {
                    Some((v, d)) => (Status::Printed(v, d), None),
                    None if r.cells[p.index] == UNREAD => {
                        let series = &r.series[pi];
                        let rec = an.reconciled.iter().find(|x| x.series == *series && x.period == period && same_category(series, &x.category, &category));
                        (if rec.is_some() { Status::Rebuilt } else { Status::Missing }, rec)
                    }
                    None => continue, // a printed dash: nothing to rebuild
                };
                // A rebuilt cell carries the category of the reconciled row it takes its value from
                // (`volkogonov` where the table prints `Volkogonov`), so the two exports join.
                let category = rebuilt.map_or(category, |x| x.category.clone());
                table.cells.push(Cell { source_id: p.source_id.clone(), table_id: t.table_id.clone(), row: row.clone(), column: p.name.clone(), series: r.series[pi].clone(), cell_note: r.cell_notes[pi].clone(), period, category, unit: p.unit, status, rebuilt });
            }
        }
        out.push(table);
    }
    out
}

/// Each table as a grid: printed cells as printed, rebuilt cells with `r` after them (`r!` where
/// the sources of the value disagree), missing cells as `?`; then the sources each rebuilt column
/// draws on.
pub fn render_text(ts: &[Table]) -> String {
    let mut out = String::from("Tables with unread cells, rebuilt from the reconciled data of other sources (r: rebuilt, r!: rebuilt from sources that disagree, see gulagstats conflicts; ?: still missing)\n");
    for t in ts {
        out.push_str(&format!(
            "\n{} ({}): \"{}\"\n  {} unread cell(s): {} rebuilt, {} missing; {} printed\n",
            t.name(),
            t.location,
            t.title,
            t.count("rebuilt") + t.count("missing"),
            t.count("rebuilt"),
            t.count("missing"),
            t.count("printed")
        ));
        let text = |c: &Cell| match (&c.status, c.rebuilt) {
            (Status::Printed(v, d), _) => fmt_value(c.unit, *v, *d),
            (Status::Rebuilt, Some(r)) => format!("{} {}", fmt_value(c.unit, r.value, r.decimals), if r.has_flag("conflict") { "r!" } else { "r " }),
            _ => "?".to_string(),
        };
        let mut grid: Vec<Vec<String>> = vec![std::iter::once(String::new()).chain(t.columns.iter().cloned()).collect()];
        for row in &t.rows {
            let mut line = vec![row.clone()];
            for col in &t.columns {
                line.push(t.cells.iter().find(|c| &c.row == row && &c.column == col).map_or_else(String::new, text));
            }
            grid.push(line);
        }
        let widths: Vec<usize> = (0..grid[0].len()).map(|i| grid.iter().map(|l| l[i].chars().count()).max().unwrap_or(0)).collect();
        for line in &grid {
            let cells: Vec<String> = line.iter().enumerate().map(|(i, s)| if i == 0 { format!("{s:<w$}", w = widths[i]) } else { format!("{s:>w$}", w = widths[i]) }).collect();
            out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
        }
        for col in &t.columns {
            let mut sources: Vec<&str> = t.cells.iter().filter(|c| &c.column == col).filter_map(|c| c.rebuilt).flat_map(|r| r.sources.iter().map(|s| s.as_str())).collect();
            sources.sort();
            sources.dedup();
            if !sources.is_empty() {
                out.push_str(&format!("  {col}: rebuilt from {}\n", sources.join(", ")));
            }
        }
        for c in t.cells.iter().filter(|c| c.cell_note.is_some()) {
            out.push_str(&format!("  {} / {}: {}\n", c.row, c.column, c.cell_note.as_deref().unwrap_or_default()));
        }
    }
    out
}

pub fn render_csv(ts: &[Table]) -> crate::error::Result<String> {
    let bytes = crate::export::csv_bytes(&crate::export::rebuilt_table(ts))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether a reconciled row's category is the one a printed cell asks for. A published estimate's
/// reconciled row is named by its author's key (`volkogonov`, the author's witness group); a
/// printed table names the author as printed (`Volkogonov`), so for `estimate.*` the case is
/// ignored. Every other category must match exactly.
fn same_category(series: &str, reconciled: &str, printed: &str) -> bool {
    reconciled == printed || (series.starts_with("estimate.") && reconciled.eq_ignore_ascii_case(printed))
}
