//! Ingest: read the hand-entered files (bibliography, series vocabulary, printed tables and their
//! manifests) into raw, position-carrying structures. Structural problems are collected as
//! diagnostics; nothing here stops at the first problem or panics on broken input.

use crate::diag::{kind, line_col, Diagnostic};
use crate::model::Unit;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const SOURCE_KINDS: &[&str] = &["archival-document", "compilation", "secondary", "estimate"];

#[derive(Debug, Clone)]
pub struct Source {
    pub source_id: String,
    pub citation: String,
    pub year: String,
    pub kind: String,
    pub archival_ref: String,
    pub copy_read: String,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct SeriesDef {
    pub series: String,
    pub unit: Unit,
    pub kind: String,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    pub column: Spanned<String>,
    pub kind: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotalRow {
    pub column: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub period: Option<Spanned<String>>,
}

/// A row whose period differs from what its key says (e.g. a year printed as '1953' that covers
/// only the first half of 1953).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowPeriod {
    pub column: Spanned<String>,
    pub label: String,
    pub period: Spanned<String>,
    #[serde(default)]
    pub reason: String,
}

/// One cell whose figure is of another series or period than its column and row say (a note under
/// the printed table says that this year's colony figure includes prisons, or that the last row's
/// camp figures are of a later date).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellOverride {
    /// The key column that carries `label`.
    pub column: Spanned<String>,
    pub label: String,
    /// The value column of the cell.
    pub cell: Spanned<String>,
    #[serde(default)]
    pub series: Option<Spanned<String>>,
    #[serde(default)]
    pub period: Option<Spanned<String>>,
    /// Why (the printed note that says so); required.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub series: Option<Spanned<String>>,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub category_from: Option<Spanned<String>>,
    #[serde(default)]
    pub period: Option<Spanned<String>>,
    /// The kind of the table's period key for this column only (a stock column `jan1` beside flow
    /// columns of kind `year`, keyed by the same year).
    #[serde(default)]
    pub period_kind: Option<Spanned<String>>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub sum_of: Vec<Spanned<String>>,
    /// A column printed in this table but counted by another source (a compilation that
    /// sets two counts side by side): the observations carry that source's id.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub skip: bool,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub title: String,
    #[serde(default)]
    pub layout: Option<Spanned<String>>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub copy: String,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub keys: Vec<Spanned<String>>,
    #[serde(default = "default_missing")]
    pub missing: Vec<String>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub footnotes: Vec<String>,
    #[serde(default)]
    pub period: Option<PeriodSpec>,
    #[serde(default)]
    pub total_rows: Vec<TotalRow>,
    #[serde(default)]
    pub row_periods: Vec<RowPeriod>,
    #[serde(default)]
    pub cells: Vec<CellOverride>,
    #[serde(default)]
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    pub shares_sum_to_100: bool,
}

fn default_missing() -> Vec<String> {
    vec![String::new()]
}

impl Manifest {
    pub fn is_long(&self) -> bool {
        self.layout.as_ref().map(|l| l.get_ref() == "long").unwrap_or(false)
    }
}

#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based line of the record in the file.
    pub line: usize,
    pub cells: Vec<String>,
}

/// A printed table as typed in: header, rows, manifest; paths relative to the data folder.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub source_id: String,
    pub table_id: String,
    pub csv_file: String,
    pub manifest_file: String,
    pub manifest_text: String,
    pub manifest: Manifest,
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
}

impl RawTable {
    /// Line and column of a span in the manifest.
    pub fn mpos(&self, span: std::ops::Range<usize>) -> (usize, usize) {
        line_col(&self.manifest_text, span.start)
    }
    pub fn col_index(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub data_dir: PathBuf,
    pub sources: BTreeMap<String, Source>,
    pub series: BTreeMap<String, SeriesDef>,
    pub tables: Vec<RawTable>,
    /// `sources.csv` (`series.csv`) could not be read at all (not UTF-8, empty, no header...): every
    /// source id (series name) elsewhere would be unknown, so those follow-on errors are held back.
    pub sources_unread: bool,
    pub series_unread: bool,
}

impl Catalog {
    /// The known series name nearest to a mistyped one, for a "did you mean" hint.
    pub fn nearest_series<'a>(&'a self, name: &str, more: &[&'a str]) -> Option<&'a str> {
        nearest(name, self.series.keys().map(String::as_str).chain(more.iter().copied()))
    }
    /// The source id nearest to a mistyped one, for a "did you mean" hint.
    pub fn nearest_source(&self, name: &str) -> Option<&str> {
        nearest(name, self.sources.keys().map(String::as_str))
    }
    pub fn series_known(&self, name: &str) -> bool {
        self.series.contains_key(name) || (name.starts_with("estimate.") && name.len() > 9 && valid_series_name(name))
    }
}

pub fn valid_series_name(s: &str) -> bool {
    let mut parts = s.splitn(2, '.');
    let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let ok = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_');
    ok(a) && ok(b)
}

/// A file's text: reads, strips a UTF-8 BOM, reports missing, empty and non-UTF-8 files.
pub fn read_text(path: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diags.push(Diagnostic::error(rel, 1, 1, kind::MISSING_FILE, "file not found"));
            return None;
        }
        Err(e) => {
            diags.push(Diagnostic::error(rel, 1, 1, kind::MISSING_FILE, format!("cannot read: {e}")));
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        diags.push(Diagnostic::error(rel, 1, 1, kind::EMPTY_FILE, "the file is empty"));
        return None;
    }
    crate::diag::utf8_text(bytes, rel, diags)
}

/// Parse CSV text into header and rows, checking every row has as many cells as the header.
/// Problems are placed by cell, the column convention of every table diagnostic.
pub fn parse_csv(text: &str, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<(Vec<String>, Vec<RawRow>)> {
    let parsed = crate::csvpos::read(text);
    diags.extend(parsed.problems.iter().map(|p| p.diagnostic(rel, p.cell)));
    // a quote never closed swallows the rest of the file into one cell: it is reported where it
    // opens, rather than the rows it ate as missing cells
    if !parsed.complete {
        return None;
    }
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for rec in &parsed.records {
        let line = rec.line;
        let cells = rec.texts();
        // the exports copy text cells as they are, and a spreadsheet runs a cell that begins
        // with '=', '+' or '@' as a formula
        for (i, c) in cells.iter().enumerate().filter(|(_, c)| c.trim_start().starts_with(['=', '+', '@'])) {
            diags.push(Diagnostic::error(rel, line, i + 1, kind::CSV_ERROR, format!("'{}' begins with '{}': a spreadsheet would run it as a formula", crate::diag::cell_text(c.trim(), 40), c.trim_start().chars().next().unwrap_or('='))));
        }
        // a control character (NUL, ESC...) would travel into the exports and the terminal unseen;
        // tab, line feed and carriage return are text (a quoted cell may span lines)
        for (i, c) in cells.iter().enumerate() {
            if let Some(ch) = c.chars().find(|ch| ch.is_control() && !matches!(ch, '\t' | '\n' | '\r')) {
                diags.push(Diagnostic::error(rel, line, i + 1, kind::CSV_ERROR, format!("the cell holds the control character U+{:04X}: not text a table prints", ch as u32)));
            }
        }
        match &header {
            None => {
                let h: Vec<String> = cells.iter().map(|c| c.trim().to_string()).collect();
                let mut seen = BTreeSet::new();
                for (i, name) in h.iter().enumerate() {
                    if !seen.insert(name.clone()) {
                        diags.push(Diagnostic::error(rel, line, i + 1, kind::CSV_ERROR, format!("column name '{name}' appears twice in the header")));
                    }
                }
                header = Some(h);
            }
            Some(h) => {
                if cells.len() > h.len() {
                    diags.push(Diagnostic::error(rel, line, h.len() + 1, kind::EXTRA_CELL, format!("row has {} cells, the header has {}", cells.len(), h.len())));
                } else if cells.len() < h.len() {
                    diags.push(Diagnostic::error(rel, line, cells.len() + 1, kind::MISSING_CELL, format!("row has {} cells, the header has {}: column '{}' is missing", cells.len(), h.len(), h[cells.len()])));
                }
                rows.push(RawRow { line, cells });
            }
        }
    }
    match header {
        None => {
            diags.push(Diagnostic::error(rel, 1, 1, kind::EMPTY_FILE, "the file has no header row"));
            None
        }
        Some(h) => Some((h, rows)),
    }
}

/// The candidate nearest to a mistyped name: at most two edits away (one for a name of five
/// characters or fewer); among equally near ones, the first in alphabetical order.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 2);
    candidates.map(|k| (edit_distance(name, k), k)).filter(|(d, _)| *d <= limit).min().map(|(_, k)| k)
}

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// How a file of the data folder is named in diagnostics: the data folder's own name, then the
/// path inside it (`data/tables/x/y.csv`, or `deep/reconcile.toml` for `--data deep`).
/// The name is the folder's own, however it was given (`--data .` or `--data ..` name it too), so that
/// exports are the same wherever the folder lies and whatever the current folder.
pub fn rel_path(data_dir: &Path, p: &Path) -> String {
    let shown = Path::new(&folder_name(data_dir)).join(p.strip_prefix(data_dir).unwrap_or(p));
    shown.to_string_lossy().replace('\\', "/")
}

/// A folder's own name: its last component, or for a path that ends in `.` or `..` the last
/// component of its absolute form (`data` for `--data .` run inside `data/`).
pub fn folder_name(dir: &Path) -> String {
    let named = |p: &Path| p.file_name().map(|s| s.to_string_lossy().into_owned()).filter(|_| !matches!(p.components().next_back(), Some(std::path::Component::CurDir | std::path::Component::ParentDir)));
    named(dir).or_else(|| std::fs::canonicalize(dir).ok().and_then(|c| named(&c))).unwrap_or_default()
}

/// Read a small CSV with a fixed header into records of strings keyed by column name.
fn read_keyed_csv(path: &Path, rel: &str, required: &[&str], diags: &mut Vec<Diagnostic>) -> Vec<(usize, BTreeMap<String, String>)> {
    let Some(text) = read_text(path, rel, diags) else { return vec![] };
    let Some((header, rows)) = parse_csv(&text, rel, diags) else { return vec![] };
    for r in required {
        if !header.iter().any(|h| h == r) {
            diags.push(Diagnostic::error(rel, 1, 1, kind::CSV_ERROR, format!("the header lacks column '{r}'")));
            return vec![];
        }
    }
    for (i, h) in header.iter().enumerate().filter(|(_, h)| !required.contains(&h.as_str())) {
        diags.push(Diagnostic::error(rel, 1, i + 1, kind::CSV_ERROR, format!("column '{h}' is not one of {}: nothing would read it", required.join(", "))));
    }
    // a row with too few or too many cells is already an error (parse_csv): skip it, so that no
    // column is read from a row that lacks it
    rows.into_iter()
        .filter(|r| r.cells.len() == header.len())
        .map(|r| {
            let m = header.iter().cloned().zip(r.cells.iter().map(|c| c.trim().to_string())).collect();
            (r.line, m)
        })
        .collect()
}

/// The kinds of `series.csv`: a count at an instant, a count over an interval, shares by category,
/// a change against an earlier period, a published estimate.
pub const SERIES_KINDS: &[&str] = &["stock", "flow", "composition", "change", "estimate"];

pub fn load(data_dir: &Path, diags: &mut Vec<Diagnostic>) -> Catalog {
    let mut cat = Catalog { data_dir: data_dir.to_path_buf(), ..Default::default() };

    // Bibliography.
    let sp = data_dir.join("sources.csv");
    let srel = rel_path(data_dir, &sp);
    let cols = ["source_id", "citation", "year", "kind", "archival_ref", "copy_read", "notes"];
    let before = diags.len();
    let rows = read_keyed_csv(&sp, &srel, &cols, diags);
    cat.sources_unread = rows.is_empty() && diags[before..].iter().any(|d| d.is_error() && d.file == srel);
    for (line, m) in rows {
        let g = |k: &str| m.get(k).cloned().unwrap_or_default();
        let id = g("source_id");
        if id.is_empty() || !id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_') {
            diags.push(Diagnostic::error(&srel, line, 1, kind::CSV_ERROR, format!("source_id '{id}' must be lowercase letters, digits, '-' or '_'")));
            continue;
        }
        if !SOURCE_KINDS.contains(&g("kind").as_str()) {
            diags.push(Diagnostic::error(&srel, line, 4, kind::CSV_ERROR, format!("kind '{}' is not one of {}", g("kind"), SOURCE_KINDS.join(", "))));
        }
        let year = g("year");
        let four_digits = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
        if !year.is_empty() && !four_digits {
            diags.push(Diagnostic::error(&srel, line, 3, kind::CSV_ERROR, format!("source '{id}': year '{year}' is not a year (four digits) or empty")));
        }
        if g("citation").is_empty() {
            diags.push(Diagnostic::error(&srel, line, 2, kind::MISSING_CELL, format!("source '{id}' has no citation")));
        }
        if g("copy_read").is_empty() {
            diags.push(Diagnostic::error(&srel, line, 6, kind::MISSING_CELL, format!("source '{id}' does not say which copy was read")));
        }
        if cat.sources.contains_key(&id) {
            diags.push(Diagnostic::error(&srel, line, 1, kind::DUPLICATE_KEY, format!("source '{id}' is listed twice")));
            continue;
        }
        cat.sources.insert(id.clone(), Source { source_id: id, citation: g("citation"), year: g("year"), kind: g("kind"), archival_ref: g("archival_ref"), copy_read: g("copy_read"), notes: g("notes") });
    }

    // Series vocabulary.
    let vp = data_dir.join("series.csv");
    let vrel = rel_path(data_dir, &vp);
    let before = diags.len();
    let rows = read_keyed_csv(&vp, &vrel, &["series", "unit", "kind", "description"], diags);
    cat.series_unread = rows.is_empty() && diags[before..].iter().any(|d| d.is_error() && d.file == vrel);
    for (line, m) in rows {
        let name = m["series"].clone();
        if !valid_series_name(&name) {
            diags.push(Diagnostic::error(&vrel, line, 1, kind::UNKNOWN_SERIES, format!("'{name}' is not of the form institution.measure")));
            continue;
        }
        let Some(unit) = Unit::parse(&m["unit"]) else {
            diags.push(Diagnostic::error(&vrel, line, 2, kind::BAD_UNIT, format!("unit '{}' is not persons, percent, per_1000 or count", m["unit"])));
            continue;
        };
        if cat.series.contains_key(&name) {
            diags.push(Diagnostic::error(&vrel, line, 1, kind::DUPLICATE_KEY, format!("series '{name}' is listed twice")));
            continue;
        }
        // the kind decides checks (a flow runs over an interval): a typo would switch them off
        if !SERIES_KINDS.contains(&m["kind"].as_str()) {
            diags.push(Diagnostic::error(&vrel, line, 3, kind::CSV_ERROR, format!("series '{name}': kind '{}' is not one of {}", m["kind"], SERIES_KINDS.join(", "))));
        }
        if m["description"].is_empty() {
            diags.push(Diagnostic::error(&vrel, line, 4, kind::MISSING_CELL, format!("series '{name}' needs a description: what it counts")));
        }
        cat.series.insert(name.clone(), SeriesDef { series: name, unit, kind: m["kind"].clone(), description: m["description"].clone() });
    }

    // Tables: data/tables/<source_id>/<table_id>.{csv,toml}
    let tdir = data_dir.join("tables");
    // a file that is not where a table goes would be silently left out (dotfiles are ignored)
    let hidden = |p: &Path| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
    let stray = |p: &Path, diags: &mut Vec<Diagnostic>| {
        diags.push(Diagnostic::error(&rel_path(data_dir, p), 1, 1, kind::CSV_ERROR, "not a table: a source's folder under tables/ holds only <table>.csv files and their <table>.toml manifests"));
    };
    let mut dirs: Vec<PathBuf> = match std::fs::read_dir(&tdir) {
        Ok(rd) => {
            let mut all: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| !hidden(p)).collect();
            all.sort();
            for p in all.iter().filter(|p| !p.is_dir()) {
                stray(p, diags);
            }
            all.into_iter().filter(|p| p.is_dir()).collect()
        }
        Err(e) if tdir.is_dir() => {
            diags.push(Diagnostic::error(&rel_path(data_dir, &tdir), 1, 1, kind::MISSING_FILE, format!("the tables folder cannot be read: {e}")));
            vec![]
        }
        Err(_) => {
            diags.push(Diagnostic::error(&rel_path(data_dir, &tdir), 1, 1, kind::MISSING_FILE, "no tables folder"));
            vec![]
        }
    };
    dirs.sort();
    for dir in dirs {
        let source_id = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        // a source's folder that cannot be listed would drop its tables without a word
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| !hidden(p)).collect(),
            Err(e) => {
                diags.push(Diagnostic::error(&rel_path(data_dir, &dir), 1, 1, kind::MISSING_FILE, format!("the source's folder cannot be read: {e}")));
                continue;
            }
        };
        files.sort();
        for p in files.iter().filter(|p| p.is_dir() || !matches!(p.extension().and_then(|e| e.to_str()), Some("csv") | Some("toml"))) {
            stray(p, diags);
        }
        let stems: BTreeSet<String> = files
            .iter()
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("csv") | Some("toml")))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
            .collect();
        for stem in stems {
            let csv_path = dir.join(format!("{stem}.csv"));
            let man_path = dir.join(format!("{stem}.toml"));
            let crel = rel_path(data_dir, &csv_path);
            let mrel = rel_path(data_dir, &man_path);
            if !cat.sources.contains_key(&source_id) {
                diags.push(Diagnostic::error(&crel, 1, 1, kind::UNKNOWN_SOURCE, format!("folder '{source_id}' names no source in sources.csv")));
            }
            let mtext = read_text(&man_path, &mrel, diags);
            let ctext = read_text(&csv_path, &crel, diags);
            let manifest = match &mtext {
                Some(t) => match toml::from_str::<Manifest>(t) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        let (line, col) = e.span().map(|s| line_col(t, s.start)).unwrap_or((1, 1));
                        let msg = e.message().replace('\n', " ");
                        diags.push(Diagnostic::error(&mrel, line, col, kind::MANIFEST_ERROR, msg));
                        None
                    }
                },
                None => None,
            };
            let parsed = ctext.as_deref().and_then(|t| parse_csv(t, &crel, diags));
            if let (Some(manifest), Some((header, rows))) = (manifest, parsed) {
                cat.tables.push(RawTable {
                    source_id: source_id.clone(),
                    table_id: stem.clone(),
                    csv_file: crel,
                    manifest_file: mrel,
                    manifest_text: mtext.unwrap_or_default(),
                    manifest,
                    header,
                    rows,
                });
            }
        }
    }
    if cat.tables.is_empty() && tdir.is_dir() && !diags.iter().any(|d| d.is_error()) {
        diags.push(Diagnostic::error(&rel_path(data_dir, &tdir), 1, 1, kind::MISSING_FILE, "no tables: the data has no figures"));
    }
    cat
}

#[cfg(test)]
mod tests {

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(super::edit_distance("camps.populaton", "camps.population"), 1);
        assert_eq!(super::edit_distance("", "abc"), 3);
        assert_eq!(super::edit_distance("gulag.deaths", "gulag.deaths"), 0);
    }
}
