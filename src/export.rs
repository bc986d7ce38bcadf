//! Export: the cleaned datasets as CSV, JSON and Parquet, with a Frictionless `datapackage.json`.
//! Every table is written sorted, with fixed number formatting, atomically.

use crate::check::ClaimResult;
use crate::error::{Error, Result};
use crate::ingest::Source;
use crate::model::{fmt_num, Date, Observation};
use crate::output::write_atomic;
use crate::reconcile::Reconciled;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldType {
    String,
    Date,
    Number,
    Integer,
    Boolean,
}

impl FieldType {
    fn as_str(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Date => "date",
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub description: &'static str,
    pub required: bool,
    /// The only values the field takes (a Frictionless `enum` constraint); empty: any.
    pub one_of: &'static [&'static str],
}

/// The units of every exported value.
pub const UNITS: &[&str] = &["persons", "percent", "per_1000", "count"];

impl Field {
    fn one_of(self, values: &'static [&'static str]) -> Field {
        Field { one_of: values, ..self }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Str(String),
    /// A number with the decimals it is written with (None: empty cell).
    Num(Option<(f64, usize)>),
    Int(i64),
    Bool(bool),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Str(s) => s.clone(),
            Cell::Num(Some((v, d))) => fmt_num(*v, *d),
            Cell::Num(None) => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub title: String,
    pub description: String,
    pub fields: Vec<Field>,
    pub primary_key: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Written as CSV/JSON only (claims: the contract names no Parquet file).
    pub parquet: bool,
}

pub fn f(name: &'static str, ty: FieldType, description: &'static str, required: bool) -> Field {
    Field { name, ty, description, required, one_of: &[] }
}

/// One row per table file: what the manifest says of the printed table (title, place, the copy
/// read, unit, notes and footnotes) and how many printed figures it gives, so that the provenance
/// a figure's `location` abbreviates can be read beside the data.
pub fn tables_table(tables: &[crate::ingest::RawTable], obs: &[Observation]) -> Table {
    let mut rows: Vec<Vec<Cell>> = tables
        .iter()
        .map(|t| {
            let m = &t.manifest;
            let n = obs.iter().filter(|o| o.evidence == crate::model::Evidence::Printed && o.file == t.csv_file).count();
            vec![
                Cell::Str(t.source_id.clone()),
                Cell::Str(t.table_id.clone()),
                Cell::Str(m.title.clone()),
                Cell::Str(m.location.clone()),
                Cell::Str(m.copy.clone()),
                Cell::Str(m.unit.as_ref().map_or_else(String::new, |u| u.get_ref().clone())),
                Cell::Int(n as i64),
                Cell::Str(m.notes.clone()),
                Cell::Str(m.footnotes.join(" | ")),
            ]
        })
        .collect();
    sort_rows(&mut rows);
    Table {
        name: "tables".into(),
        title: "The table files: what each printed table is and where it was read".into(),
        description: "One row per table file of data/tables/: the manifest's title, the place in the source, the copy read as the manifest names it, the manifest's unit, how many printed observations the file gives (whatever source a column gives them to), and the manifest's notes and footnotes (how the table was read, what its figures count, known problems).".into(),
        fields: vec![
            f("source_id", FieldType::String, "The table's folder, data/tables/<source_id>/ (a column may give its figures to another source, as the KGB columns of mvd-kgb-convictions do)", true),
            f("table", FieldType::String, "Table file (data/tables/<source_id>/<table>.csv)", true),
            f("title", FieldType::String, "The printed table's title (or a description of the figures in running text)", true),
            f("location", FieldType::String, "Where in the source the table stands", false),
            f("copy", FieldType::String, "The copy read, as the manifest names it (often the source's copy_read)", false),
            f("unit", FieldType::String, "The manifest's unit (a long table may give another unit in a row)", false),
            f("n_observations", FieldType::Integer, "Printed observations the table gives", true),
            f("notes", FieldType::String, "The manifest's notes: how the table was read and what its figures count", false),
            f("footnotes", FieldType::String, "The printed table's footnotes, ' | '-separated", false),
        ],
        primary_key: vec!["source_id", "table"],
        rows,
        parquet: true,
    }
}

/// An observation's note as exported: the contract's columns have no place for a bound or a
/// rounding, so a figure printed as "more than 260,000" or "about 600 thousand" says so at the start
/// of its note (`[lower bound]`, `[rounded to 100,000]`), where a reader of the value sees it.
fn exported_note(o: &Observation) -> String {
    let tags = o.precision_tags();
    match (tags.is_empty(), o.note.is_empty()) {
        (true, _) => o.note.clone(),
        (false, true) => format!("[{}]", tags.join("; ")),
        (false, false) => format!("[{}] {}", tags.join("; "), o.note),
    }
}

pub fn observations_table(obs: &[Observation]) -> Table {
    let mut rows: Vec<Vec<Cell>> = obs
        .iter()
        .map(|o| {
            vec![
                Cell::Str(o.series.clone()),
                Cell::Str(o.period.start.to_string()),
                Cell::Str(o.period.end.to_string()),
                Cell::Str(o.category.clone()),
                Cell::Num(Some((o.value, o.decimals))),
                Cell::Str(o.unit.as_str().into()),
                Cell::Str(o.source_id.clone()),
                Cell::Str(o.location.clone()),
                Cell::Str(o.evidence.as_str().into()),
                Cell::Str(exported_note(o)),
            ]
        })
        .collect();
    sort_rows(&mut rows);
    rows.dedup();
    Table {
        name: "observations".into(),
        title: "Observations: every value as a source gives it".into(),
        description: "One row per value as printed by a source (evidence=printed, with where it stands in the source) or computed by the pipeline (evidence=derived, with the rule in the note).".into(),
        fields: vec![
            f("series", FieldType::String, "Series name, institution.measure (see docs/series.md)", true),
            f("period_start", FieldType::Date, "First day of the period; a stock counted on one day has period_start == period_end (a stock its source dates only to a month, a year or a span has that period)", true),
            f("period_end", FieldType::Date, "Last day of the period", true),
            f("category", FieldType::String, "Category within the series (empty when none)", false),
            f("value", FieldType::Number, "The value, with the decimals printed", true),
            f("unit", FieldType::String, "persons, percent, per_1000 or count", true).one_of(UNITS),
            f("source_id", FieldType::String, "Source (see the package's sources and data/sources.csv)", true),
            f("location", FieldType::String, "Where in the source the value stands", true),
            f("evidence", FieldType::String, "printed (typed in from a copy) or derived (computed)", true).one_of(&["printed", "derived"]),
            f("note", FieldType::String, "What the figure counts, or the rule that derived it. A figure printed as a bound or a round figure begins with [lower bound], [upper bound] and/or [rounded to N] (the data's bound and rounded_to)", false),
        ],
        primary_key: vec!["series", "period_start", "period_end", "category", "source_id", "location"],
        rows,
        parquet: true,
    }
}

/// What each `uncertainty:<rule>` flag means: the rules of `data/uncertainty.toml`, so that the
/// package explains its own flags.
fn uncertainty_rules_text(unc: &crate::reconcile::Uncertainty) -> String {
    let pct = |x: f64| format!("{}%", crate::model::fmt_num(x * 100.0, if (x * 100.0).fract().abs() < 1e-9 { 0 } else { 1 }));
    let parts: Vec<String> = unc
        .rule
        .iter()
        .map(|r| {
            let span = match (r.from, r.to) {
                (Some(a), Some(b)) => format!(" {a}-{b}"),
                (Some(a), None) => format!(" from {a}"),
                (None, Some(b)) => format!(" to {b}"),
                (None, None) => String::new(),
            };
            let mut w = vec![];
            if r.low_rel != 0.0 || r.low_add != 0.0 {
                w.push(if r.low_rel != 0.0 { format!("low -{}", pct(r.low_rel)) } else { format!("low -{}", crate::model::fmt_grouped(r.low_add, 0)) });
            }
            if r.high_rel != 0.0 || r.high_add != 0.0 {
                w.push(if r.high_rel != 0.0 { format!("high +{}", pct(r.high_rel)) } else { format!("high +{}", crate::model::fmt_grouped(r.high_add, 0)) });
            }
            format!("uncertainty:{} ({}{}: {}): {} [{}]", r.id, r.series, span, w.join(", "), r.rationale, r.citation)
        })
        .collect();
    parts.join(" | ")
}

pub fn reconciled_table(rec: &[Reconciled], unc: &crate::reconcile::Uncertainty) -> Table {
    let mut rows: Vec<Vec<Cell>> = rec
        .iter()
        .map(|r| {
            let rd = r.range_decimals();
            vec![
                Cell::Str(r.series.clone()),
                Cell::Str(r.period.start.to_string()),
                Cell::Str(r.period.end.to_string()),
                Cell::Str(r.category.clone()),
                Cell::Num(Some((r.value, r.decimals))),
                Cell::Num(Some((r.low, rd))),
                Cell::Num(Some((r.high, rd))),
                Cell::Str(r.unit.as_str().into()),
                Cell::Int(r.n_sources as i64),
                Cell::Str(r.method.clone()),
                Cell::Str(r.sources.join(";")),
                Cell::Str(r.flags_text()),
            ]
        })
        .collect();
    sort_rows(&mut rows);
    Table {
        name: "reconciled".into(),
        title: "Reconciled series with uncertainty ranges".into(),
        description: {
            let rules = uncertainty_rules_text(unc);
            let base = "One row per (series, period, category) across sources: the chosen value, an honest low-high range (source spread, printed rounding, documented systematic uncertainty, Monte Carlo 2.5-97.5 percentiles for derived series), and flags (docs/using-the-data.md).";
            if rules.is_empty() { base.to_string() } else { format!("{base} The uncertainty rules behind the uncertainty:<rule> flags (data/uncertainty.toml): {rules}") }
        },
        fields: vec![
            f("series", FieldType::String, "Series name", true),
            f("period_start", FieldType::Date, "First day of the period", true),
            f("period_end", FieldType::Date, "Last day of the period", true),
            f("category", FieldType::String, "Category (empty when none); for estimate.* series the author (first source of the author's witness group) after any printed category, e.g. 'high; grz1993', so that authors are never medianed together", false),
            f("value", FieldType::Number, "Reconciled value", true),
            f("low", FieldType::Number, "Low end of the range (low <= value). For a row flagged lower-bound or upper-bound alone, the range is the bound's rounding and uncertainty; the source allows any value on its open side", true),
            f("high", FieldType::Number, "High end of the range (value <= high); see low for bound rows", true),
            f("unit", FieldType::String, "persons, percent, per_1000 or count", true).one_of(UNITS),
            f("n_sources", FieldType::Integer, "Number of sources with a value (copies of one document each counted; for a value derived from parts, the sources of its parts: see coverage for independent documents)", true),
            f("method", FieldType::String, "Rule that chose the value (preferred:<source>, median-of-documents, most-precise-document, single-document, tightest-bound, between-bounds, monte-carlo:<rule>)", true),
            f("sources", FieldType::String, "Sources, ';'-joined", true),
            f("flags", FieldType::String, "';'-joined flags: conflict, single-source, witness-variant, witness-excluded, gap-filled, input-conflict, years-missing, identity-finding, lower-bound, upper-bound, uncertainty:<rule>", false),
        ],
        primary_key: vec!["series", "period_start", "period_end", "category"],
        rows,
        parquet: true,
    }
}

pub fn claims_table(results: &[ClaimResult]) -> Table {
    let rows = results
        .iter()
        .map(|r| {
            vec![
                Cell::Str(r.id.clone()),
                Cell::Str(r.statement.clone()),
                Cell::Str(r.source_id.clone()),
                Cell::Str(r.location.clone()),
                // figures as numbers, with their printed decimals (a spreadsheet or a loader reads
                // them as numbers; `check --format json` prints these same rows)
                Cell::Num(crate::model::parse_figure(&r.expected)),
                Cell::Num(crate::model::parse_figure(&r.computed)),
                Cell::Str(r.tolerance.clone()),
                Cell::Str(r.status.clone()),
            ]
        })
        .collect();
    Table {
        name: "claims".into(),
        title: "Published totals checked against the data".into(),
        description: "One row per claim of data/claims.csv: the expected figure, what the data computes, the tolerance and the status (pass, fail, documented, not-evaluable).".into(),
        fields: vec![
            f("id", FieldType::String, "Claim id", true),
            f("statement", FieldType::String, "The statement in a few words", true),
            f("source_id", FieldType::String, "Source that makes the claim", true),
            f("location", FieldType::String, "Where in the source", true),
            f("expected", FieldType::Number, "Figure as stated by the source (for a claim on a difference, such as printed against implied figures, the difference it states: often 0)", true),
            f("computed", FieldType::Number, "Figure computed from the data (empty when not evaluable)", false),
            f("tolerance", FieldType::String, "Allowed difference (absolute, or percent of expected); 'at least' or 'at most', alone or before one, for a statement that gives one side of its figure ('more than 700,000')", true),
            f("status", FieldType::String, "pass, fail, documented or not-evaluable", true).one_of(&["pass", "fail", "documented", "not-evaluable"]),
        ],
        primary_key: vec!["id"],
        rows,
        parquet: false,
    }
}

/// Every finding in one table: the accounting identities the data breaks (`gulagstats check`) and
/// the data findings of validation (printed totals that do not add up, shares that do not make 100,
/// a source that gives two figures for one quantity), so that a user sees every known problem
/// beside the conflicts without running the tool.
pub fn findings_table(identities: &[crate::check::Finding], diags: &[crate::diag::Diagnostic]) -> Table {
    let mut rows: Vec<Vec<Cell>> = identities
        .iter()
        .map(|x| {
            // the reconciled rows the identity joins, which carry the flag identity-finding: the way
            // from a flagged row back to its finding
            let joined: Vec<String> = x.rows.iter().map(|(s, p)| format!("{s} {}..{}", p.start, p.end)).collect();
            vec![Cell::Str("identity".into()), Cell::Str(x.identity.clone()), Cell::Str(x.series.clone()), Cell::Str(x.period.clone()), Cell::Str(joined.join("; ")), Cell::Str(String::new()), Cell::Str(x.message.clone())]
        })
        .collect();
    rows.extend(diags.iter().filter(|d| d.severity == crate::diag::Severity::Finding).map(|d| {
        vec![
            Cell::Str("data".into()),
            Cell::Str(d.kind.into()),
            Cell::Str(String::new()),
            Cell::Str(String::new()),
            Cell::Str(String::new()),
            Cell::Str(format!("{}:{}:{}", d.file, d.line, d.column)),
            Cell::Str(d.message.clone()),
        ]
    }));
    sort_rows(&mut rows);
    Table {
        name: "findings".into(),
        title: "Known problems in the data: broken accounting identities and data findings".into(),
        description: "One row per finding: an accounting identity the figures break (kind identity: a part above its whole, counts against a printed share, camp deaths above system deaths, a printed total against the sum of its parts, flows of shorter periods adding up to more than the figure of a span that contains them, a stock that does not follow from the flows), or a finding of validation (kind data: a printed total that differs from its rows, shares that do not make 100, a source that gives two figures for one quantity). Findings are reported, never corrected.".into(),
        fields: vec![
            f("kind", FieldType::String, "identity (gulagstats check) or data (gulagstats validate)", true).one_of(&["identity", "data"]),
            f("check", FieldType::String, "The identity or the finding's kind (e.g. part-not-above-whole, total-mismatch)", true),
            f("series", FieldType::String, "Series of an identity finding (empty for a data finding)", false),
            f("period", FieldType::String, "Where an identity finding is reported: the first day of its period (the year, for a stock-flow residual); the periods in full are in reconciled_rows (empty for a data finding)", false),
            f("reconciled_rows", FieldType::String, "The reconciled rows the broken identity joins, which carry the flag identity-finding, as 'series start..end', '; '-joined (empty for a data finding): filter on a flagged row's series and dates to find its finding", false),
            f("location", FieldType::String, "file:line:column of a data finding in data/ (empty for an identity finding)", false),
            f("message", FieldType::String, "What is wrong, with the figures", true),
        ],
        primary_key: vec![],
        rows,
        parquet: true,
    }
}

pub fn coverage_table(rows: &[crate::coverage::Row]) -> Table {
    let mut rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Str(r.series.clone()),
                Cell::Str(r.dated.clone()),
                Cell::Int(r.year as i64),
                Cell::Str(r.period.start.to_string()),
                Cell::Str(r.period.end.to_string()),
                Cell::Int(r.documents.len() as i64),
                Cell::Str(r.documents.join(";")),
                Cell::Int(r.sources.len() as i64),
                Cell::Str(r.sources.join(";")),
                Cell::Bool(r.documents_disagree),
                Cell::Str(r.no_figure_sources.join(";")),
            ]
        })
        .collect();
    sort_rows(&mut rows);
    Table {
        name: "coverage".into(),
        title: "Independent documents behind each year of the core series".into(),
        description: "One row per target series and year of data/coverage.toml: how many independent documents give the reconciled printed value (witnesses of one document count once; derived values never), and which; and how many copies print it (each witness counted), and which; and whether the documents disagree.".into(),
        fields: vec![
            f("series", FieldType::String, "Series name", true),
            f("dated", FieldType::String, "How the value is dated: 1 January or 31 December (a stock), or year (a flow)", true),
            f("year", FieldType::Integer, "The year", true),
            f("period_start", FieldType::Date, "First day of the period looked up", true),
            f("period_end", FieldType::Date, "Last day of the period looked up", true),
            f("n_documents", FieldType::Integer, "Independent documents with a value (0: none)", true),
            f("documents", FieldType::String, "The documents, ';'-separated (a witness group's document, or the source itself)", false),
            f("n_sources", FieldType::Integer, "Copies that print the value: sources, each witness of a document counted (witnesses left out of reconciliation not)", true),
            f("sources", FieldType::String, "The copies' source ids, ';'-separated", false),
            f("documents_disagree", FieldType::Boolean, "Whether the documents disagree beyond printed precision (each by its first copy; see gulagstats conflicts)", true),
            f("no_figure_sources", FieldType::String, "Copies whose table prints a dash or other mark instead of a figure for the year (a missing marker of the manifest, not an empty or unread cell), ';'-separated: a year they give no figure for, not one they were not read for", false),
        ],
        primary_key: vec!["series", "dated", "year"],
        rows,
        parquet: true,
    }
}

/// One source's value under its reconciled row: the layout of the `conflicts` table and of
/// `gulagstats show --format csv`. `show` adds the reconciled row's method and the value's
/// evidence (a `conflicts` row is always a printed value of a row flagged `conflict` or
/// `witness-excluded`).
struct ValueRows {
    /// The `show` table: any value of any row, so its method and evidence are columns, its flags may
    /// be empty and a value may be derived. Otherwise the `conflicts` table.
    for_show: bool,
}

impl ValueRows {
    /// The cells of one value `o`, beside its reconciled row `r` (none when every value of the
    /// row is left out of reconciliation: the reconciled cells are then empty); `category` is the
    /// row's.
    fn cells(&self, r: Option<&crate::reconcile::Reconciled>, category: &str, o: &crate::model::Observation, document: String, excluded: &str) -> Vec<Cell> {
        let mut c = vec![
            Cell::Str(o.series.clone()),
            Cell::Str(o.period.start.to_string()),
            Cell::Str(o.period.end.to_string()),
            Cell::Str(category.to_string()),
            Cell::Str(o.unit.as_str().into()),
            Cell::Num(r.map(|r| (r.value, r.decimals))),
            Cell::Num(r.map(|r| (r.low, r.range_decimals()))),
            Cell::Num(r.map(|r| (r.high, r.range_decimals()))),
        ];
        if self.for_show {
            c.push(Cell::Str(r.map_or(String::new(), |r| r.method.clone())));
        }
        c.extend([Cell::Str(r.map_or(String::new(), |r| r.flags_text())), Cell::Str(o.source_id.clone()), Cell::Str(document), Cell::Num(Some((o.value, o.decimals)))]);
        if self.for_show {
            c.push(Cell::Str(o.evidence.as_str().into()));
        }
        c.extend([Cell::Str(o.precision_tags().join("; ")), Cell::Str(o.location.clone()), Cell::Str(excluded.to_string())]);
        c
    }

    /// The rows of the values of rows with no reconciled value (every value left out).
    fn left_out_rows<'a>(&'a self, left: &'a [crate::conflicts::LeftOut]) -> impl Iterator<Item = Vec<Cell>> + 'a {
        left.iter().flat_map(move |l| l.entries.iter().map(move |e| self.cells(None, &l.category, e.obs, e.document.clone(), e.excluded.unwrap_or(""))))
    }

    fn fields(&self) -> Vec<Field> {
        let mut v = vec![
            f("series", FieldType::String, "Series name", true),
            f("period_start", FieldType::Date, "First day of the period", true),
            f("period_end", FieldType::Date, "Last day of the period", true),
            f("category", FieldType::String, "Category of the reconciled row (empty when none)", false),
            f("unit", FieldType::String, "persons, percent, per_1000 or count", true).one_of(UNITS),
            f("reconciled_value", FieldType::Number, "The reconciled value of the row (reconciled.value); empty when every value of the row is left out of reconciliation", false),
            f("low", FieldType::Number, "Low end of the reconciled range (empty with reconciled_value)", false),
            f("high", FieldType::Number, "High end of the reconciled range (empty with reconciled_value)", false),
        ];
        if self.for_show {
            v.push(f("method", FieldType::String, "Rule that chose the reconciled value (reconciled.method; empty with reconciled_value)", false));
        }
        v.extend([
            // a reconciled row in `conflicts` always has a flag; a row that `show` lists may have
            // none, and a row whose every value is left out has no reconciled row
            f("flags", FieldType::String, "The reconciled row's flags, ';'-joined (empty with reconciled_value)", false),
            f("source_id", FieldType::String, if self.for_show { "Source of this value (gulagstats for a value the pipeline derived)" } else { "Source of this value" }, true),
            f("document", FieldType::String, "The document the source witnesses (a witness group's document, or the source itself)", true),
            f("value", FieldType::Number, "The value as the source gives it", true),
        ]);
        if self.for_show {
            v.push(f("evidence", FieldType::String, "printed or derived", true).one_of(&["printed", "derived"]));
        }
        v.extend([
            f("precision", FieldType::String, "What the data says of the value's precision: lower bound or upper bound (a source's 'more than', 'at most'), rounded to N ('about 600 thousand'), ';'-joined; empty for a figure printed in full", false),
            f("location", FieldType::String, if self.for_show { "Where in the source (for a derived value, the rule)" } else { "Where in the source" }, true),
            f("excluded_reason", FieldType::String, "Why this value is left out of reconciliation (empty: it is used)", false),
        ]);
        v
    }
}

pub fn conflicts_table(ds: &[crate::conflicts::Disagreement], left: &[crate::conflicts::LeftOut]) -> Table {
    let layout = ValueRows { for_show: false };
    let mut rows: Vec<Vec<Cell>> = ds.iter().flat_map(|d| d.entries.iter().map(|e| layout.cells(Some(d.row), &d.row.category, e.obs, e.document.clone(), e.excluded.unwrap_or("")))).collect();
    rows.extend(layout.left_out_rows(left));
    sort_rows(&mut rows);
    Table {
        name: "conflicts".into(),
        title: "Where the sources disagree".into(),
        description: "One row per source value of each reconciled row whose sources disagree beyond their printed precision (flag conflict) or that has a witness left out of reconciliation (flag witness-excluded), and of each row whose every value is left out (no reconciled value: the reconciled cells are empty): the value each source prints, the document it witnesses, and why a left-out witness is left out (data/reconcile.toml). `gulagstats conflicts` prints the same with the recorded notes.".into(),
        fields: layout.fields(),
        primary_key: vec!["series", "period_start", "period_end", "category", "source_id", "location"],
        rows,
        parquet: true,
    }
}

/// The table `gulagstats show --format csv` prints: one row per value listed under each reconciled
/// row shown (each source's printed value, or the pipeline's derived one), with the reconciled
/// row's value, range, method and flags repeated, in the order `show` prints them.
pub fn show_table(an: &crate::pipeline::Analysis, shown: &[&crate::reconcile::Reconciled], left: &[crate::conflicts::LeftOut]) -> Table {
    let (rules, layout) = (&an.rules, ValueRows { for_show: true });
    let mut rows: Vec<Vec<Cell>> = shown
        .iter()
        .flat_map(|r| {
            rules.observations_of(&an.observations, r).into_iter().map(|o| layout.cells(Some(r), &r.category, o, rules.document_of(&o.source_id), rules.exclusion_for(o).map_or("", |x| x.reason.as_str())))
        })
        .collect();
    rows.extend(layout.left_out_rows(left));
    Table {
        name: "show".into(),
        title: "What each source says about a series".into(),
        description: "One row per value behind each reconciled row shown: the source's value, evidence and location, beside the reconciled value, range, method and flags; then the values of rows whose every value is left out of reconciliation (reconciled cells empty).".into(),
        fields: layout.fields(),
        primary_key: vec!["series", "period_start", "period_end", "category", "source_id", "location"],
        rows,
        parquet: false,
    }
}

pub fn rebuilt_table(ts: &[crate::rebuild::Table]) -> Table {
    use crate::rebuild::Status;
    let mut rows: Vec<Vec<Cell>> = ts
        .iter()
        .flat_map(|t| t.cells.iter())
        .map(|c| {
            let (printed, value) = match (&c.status, c.rebuilt) {
                (Status::Printed(v, d), _) => (Cell::Num(Some((*v, *d))), Cell::Num(Some((*v, *d)))),
                (Status::Rebuilt, Some(r)) => (Cell::Num(None), Cell::Num(Some((r.value, r.decimals)))),
                _ => (Cell::Num(None), Cell::Num(None)),
            };
            let r = c.rebuilt;
            vec![
                Cell::Str(c.source_id.clone()),
                Cell::Str(c.table_id.clone()),
                Cell::Str(c.row.clone()),
                Cell::Str(c.column.clone()),
                Cell::Str(c.series.clone()),
                Cell::Str(c.period.start.to_string()),
                Cell::Str(c.period.end.to_string()),
                Cell::Str(c.category.clone()),
                Cell::Str(c.unit.as_str().into()),
                Cell::Str(c.status.as_str().into()),
                printed,
                value,
                Cell::Num(r.map(|r| (r.low, r.range_decimals()))),
                Cell::Num(r.map(|r| (r.high, r.range_decimals()))),
                Cell::Str(r.map_or_else(String::new, |r| r.method.clone())),
                Cell::Str(r.map_or_else(String::new, |r| r.sources.join(";"))),
                Cell::Str(r.map_or_else(String::new, |r| r.flags.join(";"))),
            ]
        })
        .collect();
    sort_rows(&mut rows);
    Table {
        name: "rebuilt".into(),
        title: "Printed tables with unread cells, rebuilt from other sources".into(),
        description: "One row per cell of each table file with cells no copy let us read (marker 'unread': GRZ 1993's Tables 1-9 and Appendices A-B): status printed (read in a copy; value as printed), rebuilt (unread; value, range, method and sources of the reconciled row of the same series, period and category: other sources, or the same article's running text or notes, never the table's printed figure) or missing (unread and not in the data).".into(),
        fields: vec![
            f("source_id", FieldType::String, "Source of the table", true),
            f("table", FieldType::String, "Table file (data/tables/<source_id>/<table>.csv)", true),
            f("row", FieldType::String, "Row label", true),
            f("column", FieldType::String, "Column name", true),
            f("series", FieldType::String, "Series of the cell, from the manifest", true),
            f("period_start", FieldType::Date, "First day of the cell's period", true),
            f("period_end", FieldType::Date, "Last day of the cell's period", true),
            f("category", FieldType::String, "Category of the cell (empty when none); for a rebuilt cell the category of the reconciled row it takes its value from, so the two tables join on series, period and category (the printed label is in row)", false),
            f("unit", FieldType::String, "persons, percent, per_1000 or count", true).one_of(UNITS),
            f("status", FieldType::String, "printed, rebuilt or missing", true).one_of(&["printed", "rebuilt", "missing"]),
            f("printed", FieldType::Number, "The figure as printed in the table (empty unless status is printed)", false),
            f("value", FieldType::Number, "Printed figure, or the reconciled value of other sources for a rebuilt cell (empty when missing)", false),
            f("low", FieldType::Number, "Low end of the reconciled range (rebuilt cells)", false),
            f("high", FieldType::Number, "High end of the reconciled range (rebuilt cells)", false),
            f("method", FieldType::String, "Reconciliation method of the rebuilt value", false),
            f("sources", FieldType::String, "Sources of the rebuilt value, ';'-joined", false),
            f("flags", FieldType::String, "Flags of the reconciled row behind a rebuilt value (conflict: its sources disagree; see reconciled)", false),
        ],
        primary_key: vec!["source_id", "table", "row", "column"],
        rows,
        parquet: true,
    }
}

fn sort_rows(rows: &mut [Vec<Cell>]) {
    rows.sort_by(|a, b| {
        for (x, y) in a.iter().zip(b) {
            let o = match (x, y) {
                (Cell::Num(Some((p, _))), Cell::Num(Some((q, _)))) => p.total_cmp(q),
                _ => x.text().cmp(&y.text()),
            };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    });
}

pub fn csv_bytes(t: &Table) -> Result<Vec<u8>> {
    let header: Vec<&str> = t.fields.iter().map(|f| f.name).collect();
    let rows: Vec<Vec<String>> = t.rows.iter().map(|r| r.iter().map(|c| c.text()).collect()).collect();
    crate::output::csv_bytes(&header, &rows)
}

pub fn json_bytes(t: &Table) -> Vec<u8> {
    let mut s = String::from("[\n");
    for (i, r) in t.rows.iter().enumerate() {
        s.push_str("  {");
        for (j, (c, fd)) in r.iter().zip(&t.fields).enumerate() {
            if j > 0 {
                s.push_str(", ");
            }
            s.push_str(&serde_json::to_string(fd.name).unwrap_or_default());
            s.push_str(": ");
            match c {
                Cell::Str(x) => s.push_str(&serde_json::to_string(x).unwrap_or_default()),
                Cell::Num(None) => s.push_str("null"),
                n => s.push_str(&n.text()),
            }
        }
        s.push('}');
        if i + 1 < t.rows.len() {
            s.push(',');
        }
        s.push('\n');
    }
    s.push_str("]\n");
    s.into_bytes()
}

fn days_since_epoch(d: Date) -> i32 {
    // days from 1970-01-01 (proleptic Gregorian), Howard Hinnant's algorithm
    let y = if d.m <= 2 { d.y - 1 } else { d.y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = d.m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d.d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146097 + doe - 719468) as i32
}

pub fn parquet_bytes(t: &Table) -> Result<Vec<u8>> {
    use polars::prelude::*;
    let mut cols: Vec<Column> = Vec::new();
    for (j, fd) in t.fields.iter().enumerate() {
        let name: PlSmallStr = fd.name.into();
        let col = match fd.ty {
            FieldType::String => Column::new(name, t.rows.iter().map(|r| r[j].text()).collect::<Vec<String>>()),
            FieldType::Date => {
                let days: Vec<Option<i32>> = t.rows.iter().map(|r| Date::parse(&r[j].text()).map(days_since_epoch)).collect();
                Column::new(name, days).cast(&DataType::Date).map_err(|e| Error::Other(e.to_string()))?
            }
            FieldType::Number => Column::new(name, t.rows.iter().map(|r| match &r[j] { Cell::Num(Some((v, d))) => fmt_num(*v, *d).parse::<f64>().ok(), _ => None }).collect::<Vec<Option<f64>>>()),
            FieldType::Integer => Column::new(name, t.rows.iter().map(|r| match &r[j] { Cell::Int(i) => Some(*i), _ => None }).collect::<Vec<Option<i64>>>()),
            FieldType::Boolean => Column::new(name, t.rows.iter().map(|r| match &r[j] { Cell::Bool(b) => Some(*b), _ => None }).collect::<Vec<Option<bool>>>()),
        };
        cols.push(col);
    }
    let mut df = DataFrame::new(t.rows.len(), cols).map_err(|e| Error::Other(e.to_string()))?;
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf).with_statistics(StatisticsOptions::empty()).finish(&mut df).map_err(|e| Error::Other(e.to_string()))?;
    Ok(buf)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Csv,
    Parquet,
    Json,
    All,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "parquet" => Some(Format::Parquet),
            "json" => Some(Format::Json),
            "all" => Some(Format::All),
            _ => None,
        }
    }
    fn has(&self, x: Format) -> bool {
        *self == Format::All || *self == x
    }
}

/// Write every table in the chosen formats, and `datapackage.json` describing what was written.
pub fn write_all(dir: &Path, tables: &[Table], sources: &[&Source], fmt: Format) -> Result<Vec<String>> {
    let mut written = Vec::new();
    let mut resources = Vec::new();
    for t in tables {
        let mut outs: Vec<(&str, Vec<u8>)> = Vec::new();
        if fmt.has(Format::Csv) {
            outs.push(("csv", csv_bytes(t)?));
        }
        if fmt.has(Format::Json) {
            outs.push(("json", json_bytes(t)));
        }
        if fmt.has(Format::Parquet) && t.parquet {
            outs.push(("parquet", parquet_bytes(t)?));
        }
        for (ext, bytes) in outs {
            let file = format!("{}.{ext}", t.name);
            write_atomic(&dir.join(&file), &bytes)?;
            resources.push(resource(t, &file, ext, &bytes));
            written.push(file);
        }
    }
    let pkg = datapackage(resources, sources);
    write_atomic(&dir.join("datapackage.json"), pkg.as_bytes())?;
    written.push("datapackage.json".into());
    // a file of an earlier export in another format would outlive the package that describes it
    let names = tables.iter().flat_map(|t| ["csv", "json", "parquet"].map(|ext| format!("{}.{ext}", t.name)));
    let removed = crate::output::remove_stale(dir, names, &written)?;
    crate::output::report_removed(dir, &removed);
    Ok(written)
}

fn sha256_hex(bytes: &[u8]) -> String {
    // Frictionless hashes default to md5; we give sha256 with its prefix. Small, dependency-free.
    let mut h: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut msg = bytes.to_vec();
    let bitlen = (bytes.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bitlen.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([chunk[4 * i], chunk[4 * i + 1], chunk[4 * i + 2], chunk[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for i in 0..8 {
            h[i] = h[i].wrapping_add(v[i]);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

fn resource(t: &Table, file: &str, ext: &str, bytes: &[u8]) -> serde_json::Value {
    use serde_json::json;
    let unit_of = |name: &str| -> Option<&'static str> {
        match name {
            "value" | "low" | "high" if t.name == "charts" => Some("the unit of the chart's axis: persons, percent or per_1000; in the coverage chart a count of documents"),
            "value" | "low" | "high" => Some("see the unit field of the row: persons, percent, per_1000 or count"),
            "n_sources" => Some("count"),
            _ => None,
        }
    };
    // a table keyed on `category` declares no missing values (below); an optional number or date
    // of it may still be empty, which its field declares (Table Schema v2, field missingValues)
    let keyed_on_category = t.primary_key.contains(&"category");
    let fields: Vec<serde_json::Value> = t
        .fields
        .iter()
        .map(|fd| {
            let mut o = json!({"name": fd.name, "type": fd.ty.as_str(), "description": fd.description});
            if fd.required {
                o["constraints"] = json!({"required": true});
            } else if keyed_on_category && !matches!(fd.ty, FieldType::String) {
                o["missingValues"] = json!([""]);
            }
            if let Some(u) = unit_of(fd.name) {
                o["unit"] = json!(u);
            }
            if !fd.one_of.is_empty() {
                o["constraints"]["enum"] = json!(fd.one_of);
            }
            o
        })
        .collect();
    let mut r = json!({
        "name": format!("{}-{}", t.name, ext),
        "title": t.title,
        "description": t.description,
        "path": file,
        "hash": format!("sha256:{}", sha256_hex(bytes)),
        // an empty `category` in a primary key is the empty string, not a missing value: a key
        // column may not be null (DuckDB and SQL loaders refuse the declared key otherwise)
        "schema": {"fields": fields, "primaryKey": t.primary_key, "missingValues": if t.primary_key.contains(&"category") { json!([]) } else { json!([""]) }},
    });
    // a table without a key (findings: two findings may read alike) declares none
    if t.primary_key.is_empty() {
        if let Some(o) = r["schema"].as_object_mut() {
            o.remove("primaryKey");
        }
    }
    if ext != "parquet" {
        r["bytes"] = json!(bytes.len());
    }
    match ext {
        "csv" => {
            r["format"] = json!("csv");
            r["mediatype"] = json!("text/csv");
            r["encoding"] = json!("utf-8");
            r["profile"] = json!("tabular-data-resource");
        }
        "json" => {
            r["format"] = json!("json");
            r["mediatype"] = json!("application/json");
            r["encoding"] = json!("utf-8");
        }
        _ => {
            // no `bytes` here: frictionless reads Parquet through pyarrow and cannot count them
            r["format"] = json!("parquet");
            r["mediatype"] = json!("application/vnd.apache.parquet");
        }
    }
    r
}

fn datapackage(resources: Vec<serde_json::Value>, sources: &[&Source]) -> String {
    use serde_json::json;
    let srcs: Vec<serde_json::Value> = sources
        .iter()
        .map(|s| {
            let mut o = json!({"title": s.citation, "_source_id": s.source_id, "_kind": s.kind, "_copy_read": s.copy_read});
            if !s.archival_ref.is_empty() {
                o["_archival_reference"] = json!(s.archival_ref);
            }
            if !s.year.is_empty() {
                o["_year"] = json!(s.year);
            }
            if s.copy_read.starts_with("http") {
                o["path"] = json!(s.copy_read);
            }
            o
        })
        .collect();
    let pkg = json!({
        "name": "gulagstats",
        "title": "gulagstats: archival statistics of the Soviet penal system",
        "description": "Figures typed in from archival documents, compilations and published estimates on the GULAG camps and colonies, prisons, special settlements, arrests, sentences and executions; reconciled series with uncertainty ranges; published totals checked against the data. Every printed value names its source and where it stands in it.",
        "version": env!("CARGO_PKG_VERSION"),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": srcs,
        "resources": resources,
    });
    let mut s = serde_json::to_string_pretty(&pkg).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn sha256_known_vectors() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
    #[test]
    fn epoch_days() {
        assert_eq!(days_since_epoch(Date::jan1(1970)), 0);
        assert_eq!(days_since_epoch(Date::jan1(1939)), -11323);
    }
}
