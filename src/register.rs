//! Registers: per-camp yearly counts from a published register (the Memorial reference book's camp
//! list, as digitised by urbica/gulag-admin), read through a declarative TOML manifest, summed
//! bottom-up and set against the reconciled top-down `camps.population`.
//!
//! Reading never stops at the first problem and never panics: every cell that holds something but
//! is not read as a figure is reported with file, line and column and a stable kebab-case kind
//! (see [`crate::diag::kind`]); blanks are counted. Structural problems (no file, a quote never
//! closed, a manifest naming columns the header lacks) are errors.

use crate::diag::{kind, line_col, Diagnostic};
use crate::error::{Error, Result};
use crate::model::{fmt_thousands, Bound, Date, Evidence, Observation, Period, Unit};
use crate::reconcile::Reconciled;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toml::Spanned;

/// The manifest used when `--manifest` is not given and `registers/camps-register.toml` is absent.
pub const DEFAULT_MANIFEST: &str = include_str!("../registers/camps-register.toml");
pub const DEFAULT_MANIFEST_PATH: &str = "registers/camps-register.toml";

pub const SERIES_CAMP: &str = "camp.population";
pub const SERIES_SUM: &str = "register.camps_population_sum";
pub const SERIES_REPORTING: &str = "register.camps_reporting";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub title: String,
    pub source_id: Spanned<String>,
    #[serde(default)]
    pub location: String,
    pub id_column: Spanned<String>,
    pub name_column: Spanned<String>,
    /// Columns holding other names of the entity (searched by the claim checks).
    #[serde(default)]
    pub alias_columns: Vec<Spanned<String>>,
    /// Columns naming the entities this one was split into (shown by the claim checks).
    #[serde(default)]
    pub successor_columns: Vec<Spanned<String>>,
    /// Markers meaning "no figure", compared after trimming spaces.
    #[serde(default = "default_missing")]
    pub missing: Vec<String>,
    /// A cell holding 0 is "no figure", not an empty camp (reported as `zero-no-figure`).
    #[serde(default)]
    pub zero_means_missing: bool,
    /// Characters allowed between groups of three digits, e.g. [" ", "\u00a0"].
    #[serde(default)]
    pub thousands_separators: Vec<String>,
    #[serde(default)]
    pub notes: String,
    pub values: ValueSpec,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueSpec {
    /// Header pattern of the yearly columns, with `{year}` standing for four digits.
    pub pattern: Spanned<String>,
    pub from: i32,
    pub to: i32,
    /// `jan1` (stock on 1 January of the year), `dec31` (stock on 31 December) or `year` (flow).
    pub period: Spanned<String>,
    #[serde(default = "default_series")]
    pub series: String,
    #[serde(default)]
    pub note: String,
}

fn default_missing() -> Vec<String> {
    vec![String::new()]
}
fn default_series() -> String {
    SERIES_CAMP.into()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PeriodKind {
    Jan1,
    Dec31,
    Year,
}

impl PeriodKind {
    pub fn period(&self, y: i32) -> Period {
        match self {
            PeriodKind::Jan1 => Period::instant(Date::jan1(y)),
            PeriodKind::Dec31 => Period::instant(Date::dec31(y)),
            PeriodKind::Year => Period::year(y),
        }
    }
    /// The 1 January on which the central (top-down) stock is compared with year `y`.
    pub fn top_down_year(&self, y: i32) -> i32 {
        match self {
            PeriodKind::Dec31 => y + 1,
            _ => y,
        }
    }
    /// The other reading of a stock's year, for a sensitivity comparison: for `jan1` the next
    /// 1 January (the column read as the count at the year's end), for `dec31` the year's own
    /// 1 January; none for flows over the year.
    pub fn alt_top_down_year(&self, y: i32) -> Option<i32> {
        match self {
            PeriodKind::Jan1 => Some(y + 1),
            PeriodKind::Dec31 => Some(y),
            PeriodKind::Year => None,
        }
    }
    /// What the other reading of a year means, as a column heading (empty for flows over the year).
    pub fn alt_reading(&self) -> &'static str {
        match self {
            PeriodKind::Jan1 => "year read as its end",
            PeriodKind::Dec31 => "year read as its start",
            PeriodKind::Year => "",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Import

#[derive(Debug, Clone)]
pub struct Value {
    pub year: i32,
    pub value: f64,
    pub line: usize,
    pub column: usize,
    pub header: String,
}

#[derive(Debug, Clone)]
pub struct Camp {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub successors: Vec<String>,
    pub line: usize,
    pub values: Vec<Value>,
}

impl Camp {
    pub fn value(&self, y: i32) -> Option<f64> {
        self.values.iter().find(|v| v.year == y).map(|v| v.value)
    }
}

#[derive(Debug, Clone)]
pub struct Import {
    pub file: String,
    pub manifest_file: String,
    pub manifest: Manifest,
    pub manifest_text: String,
    pub period: PeriodKind,
    pub rows: usize,
    pub columns: usize,
    pub year_columns: Vec<(usize, i32, String)>,
    pub camps: Vec<Camp>,
    pub blank_cells: usize,
    pub value_cells: usize,
    /// Every problem, and every cell holding something that was not read, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Import {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
    /// Cells reported as not read, by kind.
    pub fn unread_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for d in &self.diagnostics {
            *m.entry(d.kind).or_insert(0) += 1;
        }
        m
    }
}

/// Line and column of a span in the import's manifest.
pub fn manifest_pos(imp: &Import, span: std::ops::Range<usize>) -> (usize, usize) {
    line_col(&imp.manifest_text, span.start)
}

/// Parse a manifest, reporting errors with line and column in it.
/// Institutions of the central series vocabulary (`data/series.csv`, the contract's names, and the
/// register's own sums): a per-camp series may not take one of them.
const CENTRAL_INSTITUTIONS: &[&str] = &["camps", "colonies", "prisons", "gulag", "custody", "special_settlements", "nkvd", "counterrev", "register"];

pub fn parse_manifest(text: &str, file: &str, diags: &mut Vec<Diagnostic>) -> Option<(Manifest, PeriodKind)> {
    let m: Manifest = match toml::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            let (l, c) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            diags.push(Diagnostic::error(file, l, c, kind::MANIFEST_ERROR, e.message().replace('\n', " ")));
            return None;
        }
    };
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let mut ok = true;
    let pk = match m.values.period.get_ref().as_str() {
        "jan1" => PeriodKind::Jan1,
        "dec31" => PeriodKind::Dec31,
        "year" => PeriodKind::Year,
        other => {
            let (l, c) = at(m.values.period.span());
            diags.push(Diagnostic::error(file, l, c, kind::MANIFEST_ERROR, format!("period '{other}' is not jan1, dec31 or year")));
            ok = false;
            PeriodKind::Jan1
        }
    };
    if m.values.pattern.get_ref().matches("{year}").count() != 1 {
        let (l, c) = at(m.values.pattern.span());
        diags.push(Diagnostic::error(file, l, c, kind::MANIFEST_ERROR, "the pattern must hold '{year}' exactly once"));
        ok = false;
    }
    if m.values.from > m.values.to {
        diags.push(Diagnostic::error(file, 1, 1, kind::MANIFEST_ERROR, format!("values.from ({}) is after values.to ({})", m.values.from, m.values.to)));
        ok = false;
    } else if m.values.from < 1800 || m.values.to > 2100 {
        // as for the dates of the data: a year outside these is a typing error, and a span of
        // millions of years would make the run crawl through them
        diags.push(Diagnostic::error(file, 1, 1, kind::MANIFEST_ERROR, format!("values.from and values.to ({}-{}) must be years between 1800 and 2100", m.values.from, m.values.to)));
        ok = false;
    }
    // settings that would read figures wrongly without a word
    let mut bad = |msg: String| {
        diags.push(Diagnostic::error(file, 1, 1, kind::MANIFEST_ERROR, msg));
        ok = false;
    };
    if !crate::ingest::valid_series_name(&m.values.series) {
        bad(format!("values.series '{}' is not of the form institution.measure", m.values.series));
    } else if CENTRAL_INSTITUTIONS.iter().any(|i| m.values.series.split('.').next() == Some(*i)) {
        // per-camp figures under a central name would read as central totals in the exports
        bad(format!("values.series '{}' is a name of the central series (institution {}): per-camp figures take a series of their own, e.g. camp.population", m.values.series, m.values.series.split('.').next().unwrap_or("")));
    }
    for sep in &m.thousands_separators {
        let mut cs = sep.chars();
        let one = match (cs.next(), cs.next()) {
            (Some(c), None) => c.is_whitespace() || matches!(c, ',' | '.' | '\'' | '\u{2019}' | '_'),
            _ => false,
        };
        if !one {
            bad(format!("thousands separator '{sep}' is not one space, no-break space, ',', '.', an apostrophe or '_'"));
        }
    }
    for mk in m.missing.iter().filter(|mk| crate::model::parse_figure(mk).is_some()) {
        bad(format!("missing marker '{mk}' is a figure: printed {mk}s would be read as gaps"));
    }
    let yearly = |h: &str| {
        let (pre, post) = m.values.pattern.get_ref().split_once("{year}").unwrap_or(("", ""));
        h.strip_prefix(pre).and_then(|r| r.strip_suffix(post)).is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
    };
    for c in [&m.id_column, &m.name_column] {
        if yearly(c.get_ref()) {
            bad(format!("column '{}' is a yearly column of the pattern: it cannot also be the id or name", c.get_ref()));
        }
    }
    if ok {
        Some((m, pk))
    } else {
        None
    }
}

fn short(s: &str) -> String {
    let one: String = s.trim().replace("\r\n", " / ").replace('\n', " / ");
    if one.chars().count() > 100 {
        one.chars().take(97).collect::<String>() + "..."
    } else {
        one
    }
}

/// Read a figure: digits, optionally grouped by threes with a declared separator.
/// Err: (kind, why).
pub fn read_figure(cell: &str, seps: &[String]) -> std::result::Result<f64, (&'static str, String)> {
    // no camp held a billion prisoners: more than 9 digits is a slip (and sums of such figures
    // would no longer be exact)
    let count = |digits: &str| -> std::result::Result<f64, (&'static str, String)> {
        if digits.trim_start_matches('0').len() > 9 {
            return Err((kind::NOT_A_NUMBER, format!("'{}': more than 9 digits, not a count of prisoners", short(digits))));
        }
        digits.parse::<f64>().map_err(|_| (kind::NOT_A_NUMBER, "too long a number".into()))
    };
    let t = cell.trim_matches(|c: char| c.is_whitespace());
    if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
        return count(t);
    }
    // grouped by a declared separator
    let mut s = t.to_string();
    for sep in seps.iter().filter(|s| !s.is_empty()) {
        s = s.replace(sep.as_str(), "\u{0}");
    }
    let groups: Vec<&str> = s.split('\u{0}').collect();
    if groups.len() > 1 && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|c| c.is_ascii_digit())) {
        if groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3) {
            let joined: String = groups.concat();
            return count(&joined);
        }
        return Err((kind::BAD_THOUSANDS_SEPARATOR, format!("'{}': separated digits are not groups of three, so not one figure", short(t))));
    }
    if t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()) && t.chars().any(|c| c.is_ascii_digit()) {
        return Err((kind::BAD_THOUSANDS_SEPARATOR, format!("'{}': digits separated by a character the manifest does not declare as a thousands separator", short(t))));
    }
    if let Some(rest) = t.strip_prefix('-') {
        if !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_digit()) {
            return Err((kind::NEGATIVE_COUNT, format!("'{t}': a count of people cannot be negative")));
        }
    }
    let has_digit = t.chars().any(|c| c.is_ascii_digit());
    let only_figures = t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '–' | '—' | ',' | ';' | '/'));
    let numbers = t.split(|c: char| !c.is_ascii_digit() && c != ' ').filter(|p| p.trim().chars().any(|c| c.is_ascii_digit())).count();
    if has_digit && only_figures && numbers > 1 {
        return Err((kind::SEVERAL_FIGURES, format!("'{}': several figures in one cell (counts at different dates or a range); none chosen", short(t))));
    }
    if has_digit {
        return Err((kind::ANNOTATED_FIGURE, format!("'{}': a figure qualified by words (estimate, plan, average, '?'); not taken as a count", short(t))));
    }
    Err((kind::NOT_A_NUMBER, format!("'{}': text, no figure", short(t))))
}

/// Read a register through its manifest. Never panics; returns every problem in `diagnostics`.
pub fn import(text: &str, file: &str, manifest: Manifest, period: PeriodKind, manifest_file: &str, manifest_text: &str) -> Import {
    let mut diags = Vec::new();
    let mut imp = Import { file: file.into(), manifest_file: manifest_file.into(), manifest: manifest.clone(), manifest_text: manifest_text.to_string(), period, rows: 0, columns: 0, year_columns: vec![], camps: vec![], blank_cells: 0, value_cells: 0, diagnostics: vec![] };
    // a register's problems are placed by character, so that an editor's cursor finds them
    let parsed = crate::csvpos::read(text);
    diags.extend(parsed.problems.iter().map(|p| p.diagnostic(file, p.column)));
    if !parsed.complete {
        imp.diagnostics = diags;
        return imp;
    }
    let records = parsed.records;
    let Some((head, body)) = records.split_first() else {
        diags.push(Diagnostic::error(file, 1, 1, kind::EMPTY_FILE, "the file has no header row"));
        imp.diagnostics = diags;
        return imp;
    };
    let header: Vec<String> = head.fields.iter().map(|f| f.text.trim().to_string()).collect();
    imp.columns = header.len();
    let mpos = |span: std::ops::Range<usize>| line_col(manifest_text, span.start);
    let find = |name: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>| -> Option<usize> {
        let i = header.iter().position(|h| h == name.get_ref());
        if i.is_none() {
            let (l, c) = mpos(name.span());
            diags.push(Diagnostic::error(manifest_file, l, c, kind::MISSING_COLUMN, format!("{what} '{}' is not in the header of {file}", name.get_ref())));
        }
        i
    };
    let id_col = find(&manifest.id_column, "id_column", &mut diags);
    let name_col = find(&manifest.name_column, "name_column", &mut diags);
    let alias_cols: Vec<usize> = manifest.alias_columns.iter().filter_map(|c| find(c, "alias column", &mut diags)).collect();
    let succ_cols: Vec<usize> = manifest.successor_columns.iter().filter_map(|c| find(c, "successor column", &mut diags)).collect();

    // header: yearly columns by pattern, unnamed and duplicate names
    let pat = manifest.values.pattern.get_ref();
    let (prefix, suffix) = pat.split_once("{year}").unwrap_or((pat.as_str(), ""));
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut years_seen: BTreeSet<i32> = BTreeSet::new();
    for (i, h) in header.iter().enumerate() {
        let f = &head.fields[i];
        if h.is_empty() {
            let after = header[..i].iter().rev().find(|x| !x.is_empty()).map(|x| format!(" (after '{x}')")).unwrap_or_default();
            diags.push(Diagnostic::finding(file, f.line, f.column, kind::UNNAMED_COLUMN, format!("column {} has no name{after}: its non-blank cells are listed as not read", i + 1)));
            continue;
        }
        if let Some(&j) = seen.get(h.as_str()) {
            diags.push(Diagnostic::error(file, f.line, f.column, kind::DUPLICATE_COLUMN, format!("column name '{h}' appears twice (columns {} and {}); only the first is read", j + 1, i + 1)));
            continue;
        }
        seen.insert(h, i);
        if let Some(mid) = h.strip_prefix(prefix).and_then(|r| r.strip_suffix(suffix)) {
            if let Some(y) = crate::model::parse_year(mid).filter(|_| mid.len() == 4) {
                if (manifest.values.from..=manifest.values.to).contains(&y) {
                    imp.year_columns.push((i, y, h.clone()));
                    years_seen.insert(y);
                } else {
                    diags.push(Diagnostic::finding(file, f.line, f.column, kind::OUTSIDE_RANGE, format!("column '{h}' matches the pattern but {y} is outside {}-{}: not read", manifest.values.from, manifest.values.to)));
                }
            }
        }
    }
    let absent: Vec<String> = (manifest.values.from..=manifest.values.to).filter(|y| !years_seen.contains(y)).map(|y| y.to_string()).collect();
    if !absent.is_empty() {
        let (l, c) = mpos(manifest.values.pattern.span());
        diags.push(Diagnostic::finding(manifest_file, l, c, kind::MISSING_COLUMN, format!("no column for year(s) {} in {file}", absent.join(", "))));
    }
    if imp.year_columns.is_empty() {
        let (l, c) = mpos(manifest.values.pattern.span());
        diags.push(Diagnostic::error(manifest_file, l, c, kind::MISSING_COLUMN, format!("no header of {file} matches '{pat}'")));
    }
    let (Some(id_col), Some(name_col)) = (id_col, name_col) else {
        diags.sort();
        imp.diagnostics = diags;
        return imp;
    };
    let unnamed: Vec<usize> = (0..header.len()).filter(|&i| header[i].is_empty()).collect();
    let dup_cols: Vec<usize> = (0..header.len()).filter(|&i| !header[i].is_empty() && header.iter().position(|h| h == &header[i]) != Some(i)).collect();
    let seps = &manifest.thousands_separators;
    let missing: Vec<&str> = manifest.missing.iter().map(|m| m.trim()).collect();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut names: BTreeMap<String, (String, usize)> = BTreeMap::new();

    for rec in body {
        imp.rows += 1;
        let fl = &rec.fields;
        let first = &fl[0];
        if fl.len() < header.len() {
            diags.push(Diagnostic::finding(file, rec.line, fl[fl.len() - 1].column, kind::MISSING_CELL, format!("row has {} cells, the header has {}: the missing cells are not read", fl.len(), header.len())));
        }
        for f in fl.iter().skip(header.len()) {
            if !f.text.trim().is_empty() {
                diags.push(Diagnostic::finding(file, f.line, f.column, kind::EXTRA_CELL, format!("cell beyond the header's {} columns: '{}' not read", header.len(), short(&f.text))));
            }
        }
        let get = |i: usize| fl.get(i).map(|f| f.text.trim().to_string()).unwrap_or_default();
        let id = get(id_col);
        let name = get(name_col);
        // why a row's values cannot be kept
        let mut skip_why: Option<String> = None;
        if id.is_empty() {
            diags.push(Diagnostic::finding(file, rec.line, first.column, kind::MISSING_CELL, "row has no id: its values are not read"));
            skip_why = Some("its row has no id".into());
        } else if let Some(l) = ids.get(&id) {
            diags.push(Diagnostic::finding(file, rec.line, fl.get(id_col).map(|f| f.column).unwrap_or(1), kind::DUPLICATE_KEY, format!("id '{id}' already used on line {l}: this row's values are not read")));
            skip_why = Some(format!("id '{id}' is a duplicate"));
        } else {
            ids.insert(id.clone(), rec.line);
            if !name.is_empty() {
                if let Some((other, l)) = names.get(&name) {
                    diags.push(Diagnostic::finding(file, rec.line, fl.get(name_col).map(|f| f.column).unwrap_or(1), kind::DUPLICATE_NAME, format!("name '{name}' also names id {other} (line {l}): possible double counting, both rows are summed")));
                } else {
                    names.insert(name.clone(), (id.clone(), rec.line));
                }
            }
        }
        // cells of unnamed and duplicated columns
        for &i in unnamed.iter().chain(dup_cols.iter()) {
            if let Some(f) = fl.get(i) {
                if !f.text.trim().is_empty() {
                    let what = if header[i].is_empty() {
                        let after = header[..i].iter().rev().find(|x| !x.is_empty()).cloned().unwrap_or_default();
                        (kind::UNNAMED_COLUMN, format!("cell in the unnamed column {} (after '{after}'): '{}' not read", i + 1, short(&f.text)))
                    } else {
                        (kind::DUPLICATE_COLUMN, format!("cell in the second column named '{}': '{}' not read", header[i], short(&f.text)))
                    };
                    diags.push(Diagnostic::finding(file, f.line, f.column, what.0, what.1));
                }
            }
        }
        let mut camp = Camp { id: id.clone(), name: name.clone(), aliases: alias_cols.iter().map(|&i| get(i)).filter(|s| !s.is_empty()).collect(), successors: succ_cols.iter().map(|&i| get(i)).filter(|s| !s.is_empty()).collect(), line: rec.line, values: vec![] };
        for (i, y, h) in &imp.year_columns {
            let Some(f) = fl.get(*i) else { continue };
            let t = f.text.trim();
            if missing.contains(&t) {
                imp.blank_cells += 1;
                continue;
            }
            let c = f.column;
            if let Some(why) = &skip_why {
                diags.push(Diagnostic::finding(file, f.line, c, kind::ROW_NOT_READ, format!("{h} = '{}' not read: {why}", short(t))));
                continue;
            }
            match read_figure(t, seps) {
                Ok(v) if v == 0.0 && manifest.zero_means_missing => {
                    diags.push(Diagnostic::finding(file, f.line, c, kind::ZERO_NO_FIGURE, format!("{h} of id {id} is 0: read as 'no figure', as the manifest says")));
                }
                Ok(v) => {
                    imp.value_cells += 1;
                    camp.values.push(Value { year: *y, value: v, line: f.line, column: c, header: h.clone() });
                }
                Err((k, why)) => diags.push(Diagnostic::finding(file, f.line, c, k, format!("{h} of id {id}: {why}"))),
            }
        }
        if skip_why.is_none() {
            imp.camps.push(camp);
        }
    }
    if imp.rows == 0 {
        diags.push(Diagnostic::error(file, 1, 1, kind::EMPTY_FILE, "the register has a header but no rows"));
    }
    diags.sort();
    diags.dedup();
    imp.diagnostics = diags;
    imp
}

/// Read the register and manifest files. `manifest` None: `registers/camps-register.toml` when it
/// exists in the current folder, else the built-in copy of it.
pub fn load(path: &Path, manifest: Option<&Path>) -> Result<Import> {
    let mut diags = Vec::new();
    let (mtext, mfile) = match manifest {
        Some(p) => (crate::ingest::read_text(p, &p.display().to_string(), &mut diags), p.display().to_string()),
        None => {
            let p = Path::new(DEFAULT_MANIFEST_PATH);
            if p.is_file() {
                (crate::ingest::read_text(p, DEFAULT_MANIFEST_PATH, &mut diags), DEFAULT_MANIFEST_PATH.to_string())
            } else {
                (Some(DEFAULT_MANIFEST.to_string()), format!("{DEFAULT_MANIFEST_PATH} (built in)"))
            }
        }
    };
    let file = path.display().to_string();
    let text = crate::ingest::read_text(path, &file, &mut diags);
    let parsed = mtext.as_deref().and_then(|t| parse_manifest(t, &mfile, &mut diags));
    match (text, parsed) {
        (Some(text), Some((m, pk))) => Ok(import(&text, &file, m, pk, &mfile, mtext.as_deref().unwrap_or(""))),
        _ => Err(Error::Invalid(diags)),
    }
}

// ---------------------------------------------------------------------------------------------
// Totals, comparison, observations

#[derive(Debug, Clone)]
pub struct YearTotal {
    pub year: i32,
    pub sum: f64,
    pub reporting: usize,
}

pub fn totals(imp: &Import) -> Vec<YearTotal> {
    let mut m: BTreeMap<i32, (f64, usize)> = BTreeMap::new();
    for c in &imp.camps {
        for v in &c.values {
            let e = m.entry(v.year).or_insert((0.0, 0));
            e.0 += v.value;
            e.1 += 1;
        }
    }
    m.into_iter().map(|(year, (sum, reporting))| YearTotal { year, sum, reporting }).collect()
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub total: YearTotal,
    pub top_down_date: Date,
    pub top_down: Option<Reconciled>,
    /// The central stock on the other reading of the year (`PeriodKind::alt_top_down_year`): many
    /// register rows file a 1 January count under the year before (docs/registers.md).
    pub alt_date: Option<Date>,
    pub alt: Option<Reconciled>,
}

impl Comparison {
    /// sum / value and its range sum / high .. sum / low.
    pub fn ratio(&self) -> Option<(f64, f64, f64)> {
        let r = self.top_down.as_ref()?;
        if r.value <= 0.0 {
            return None;
        }
        let lo = if r.high > 0.0 { self.total.sum / r.high } else { f64::NAN };
        let hi = if r.low > 0.0 { self.total.sum / r.low } else { f64::INFINITY };
        Some((self.total.sum / r.value, lo, hi))
    }
    /// sum / the central value on the other reading of the year.
    pub fn alt_ratio(&self) -> Option<f64> {
        self.alt.as_ref().filter(|r| r.value > 0.0).map(|r| self.total.sum / r.value)
    }
}

/// Set each year's bottom-up sum against the reconciled central `camps.population` (no category).
pub fn compare(imp: &Import, totals: &[YearTotal], reconciled: &[Reconciled]) -> Vec<Comparison> {
    let central: BTreeMap<Date, &Reconciled> = reconciled.iter().filter(|r| r.series == "camps.population" && r.category.is_empty() && r.period.is_instant()).map(|r| (r.period.start, r)).collect();
    totals
        .iter()
        .map(|t| {
            let d = Date::jan1(imp.period.top_down_year(t.year));
            let alt_date = imp.period.alt_top_down_year(t.year).map(Date::jan1);
            let alt = alt_date.and_then(|a| central.get(&a)).map(|r| (*r).clone());
            Comparison { total: t.clone(), top_down_date: d, top_down: central.get(&d).map(|r| (*r).clone()), alt_date, alt }
        })
        .collect()
}

pub fn observations(imp: &Import, totals: &[YearTotal]) -> Vec<Observation> {
    let src = imp.manifest.source_id.get_ref().clone();
    let series = imp.manifest.values.series.clone();
    let mut out = Vec::new();
    for c in &imp.camps {
        for v in &c.values {
            out.push(Observation {
                series: series.clone(),
                period: imp.period.period(v.year),
                category: c.id.clone(),
                value: v.value,
                decimals: 0,
                rounded_to: 0.0,
                bound: Bound::None,
                unit: Unit::Persons,
                source_id: src.clone(),
                location: format!("row id {}, column '{}' ({}:{}:{})", c.id, v.header, imp.file, v.line, v.column),
                evidence: Evidence::Printed,
                note: c.name.clone(),
                file: imp.file.clone(),
                line: v.line,
                column: v.column,
            });
        }
    }
    for t in totals {
        for (s, v, u, note) in [
            (SERIES_SUM, t.sum, Unit::Persons, format!("sum of {series} over the {} camps with a figure for {}", t.reporting, t.year)),
            (SERIES_REPORTING, t.reporting as f64, Unit::Count, format!("number of camps with a figure for {} in the register", t.year)),
        ] {
            out.push(Observation { series: s.into(), period: imp.period.period(t.year), category: String::new(), value: v, decimals: 0, rounded_to: 0.0, bound: Bound::None, unit: u, source_id: src.clone(), location: "derived: rule register-sum".into(), evidence: Evidence::Derived, note, file: String::new(), line: 0, column: 0 });
        }
    }
    crate::tidy::sort_observations(&mut out);
    out
}

/// The largest camps of each year: (year, rank, camp, value).
pub fn largest(imp: &Import, n: usize) -> Vec<(i32, usize, &Camp, f64)> {
    let mut by_year: BTreeMap<i32, Vec<(&Camp, f64)>> = BTreeMap::new();
    for c in &imp.camps {
        for v in &c.values {
            by_year.entry(v.year).or_default().push((c, v.value));
        }
    }
    let mut out = Vec::new();
    for (y, mut v) in by_year {
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        for (i, (c, x)) in v.into_iter().take(n).enumerate() {
            out.push((y, i + 1, c, x));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Claims the register can check

#[derive(Debug, Clone)]
pub struct RegisterClaim {
    /// Line of the claim in its file.
    pub line: usize,
    pub id: String,
    pub statement: String,
    pub source_id: String,
    pub location: String,
    /// Lowercase fragments searched in the name and alias columns.
    pub patterns: Vec<String>,
    /// The date the claim speaks of (1 January).
    pub date: Date,
    pub more_than: bool,
    pub value: f64,
    /// Why the register does not bear the claim out, where that is known (optional column
    /// `explanation`): a failing claim with one is `documented`, as in `gulagstats check`.
    pub explanation: String,
}

/// Claims about single camps, checked against a register: `data/register-claims.csv`
/// (id, statement, source_id, location, name_patterns `;`-separated, date, comparison
/// `equals` or `more_than`, value, and optionally explanation). A missing file means no claims;
/// bad rows are errors with file, line and column, all reported in one pass into `diags`; the
/// claims returned are the rows without an error.
pub fn load_claims(data: &Path, known_source: impl Fn(&str) -> bool, diags: &mut Vec<Diagnostic>) -> Vec<RegisterClaim> {
    let path = data.join("register-claims.csv");
    if !path.exists() {
        return vec![];
    }
    let rel = crate::ingest::rel_path(data, &path);
    // read as every file of the data folder is: an empty file or one that is not UTF-8 is an error,
    // and rows with a cell too many or too few are reported by line and cell
    let Some(text) = crate::ingest::read_text(&path, &rel, diags) else { return vec![] };
    let Some((header, rows)) = crate::ingest::parse_csv(&text, &rel, diags) else { return vec![] };
    let want = ["id", "statement", "source_id", "location", "name_patterns", "date", "comparison", "value"];
    let mut ix = vec![0usize; want.len()];
    let mut complete = true;
    for (k, w) in want.iter().enumerate() {
        match header.iter().position(|h| h == w) {
            Some(i) => ix[k] = i,
            None => {
                diags.push(Diagnostic::error(&rel, 1, 1, kind::MISSING_CELL, format!("column '{w}' is missing from the header")));
                complete = false;
            }
        }
    }
    if !complete {
        return vec![];
    }
    let explanation_ix = header.iter().position(|h| h == "explanation");
    let mut out = vec![];
    // rows the reader already found wrong (a cell too many or too few, a formula)
    let bad: std::collections::BTreeSet<usize> = diags.iter().filter(|d| d.file == rel && d.is_error()).map(|d| d.line).collect();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for rec in &rows {
        let line = rec.line;
        let errors_before = diags.iter().filter(|d| d.is_error()).count();
        let cell = |k: usize| rec.cells.get(ix[k]).map(|c| c.trim().to_string()).unwrap_or_default();
        let col = |k: usize| ix[k] + 1;
        // a claim is named by its id in the report: two claims with one id could not be told apart
        if !cell(0).is_empty() {
            if let Some(first) = ids.insert(cell(0), line) {
                diags.push(Diagnostic::error(&rel, line, col(0), kind::DUPLICATE_KEY, format!("register claim id '{}' is already used on line {first}", cell(0))));
                ids.insert(cell(0), first);
            }
        }
        // the register counts on 1 January of each year: a claim dated otherwise would be checked
        // against the year's 1 January figure without a word
        let date = Date::parse(&cell(5)).filter(|d| d.m == 1 && d.d == 1);
        if date.is_none() {
            diags.push(Diagnostic::error(&rel, line, col(5), kind::BAD_PERIOD, format!("'{}' is not a 1 January date YYYY-01-01 (the register counts on 1 January)", cell(5))));
        }
        let more_than = match cell(6).as_str() {
            "more_than" => Some(true),
            "equals" => Some(false),
            other => {
                diags.push(Diagnostic::error(&rel, line, col(6), kind::CSV_ERROR, format!("comparison '{other}' is not 'equals' or 'more_than'")));
                None
            }
        };
        // a count of prisoners: whole and not negative
        let value = crate::model::parse_figure(&cell(7)).filter(|(v, d)| *d == 0 && *v >= 0.0).map(|(v, _)| v);
        if value.is_none() {
            diags.push(Diagnostic::error(&rel, line, col(7), kind::NOT_A_NUMBER, format!("'{}' is not a count (a whole number, at least 0)", cell(7))));
        }
        let patterns: Vec<String> = cell(4).split(';').map(|p| p.trim().to_lowercase()).filter(|p| !p.is_empty()).collect();
        if patterns.is_empty() {
            diags.push(Diagnostic::error(&rel, line, col(4), kind::MISSING_CELL, "name_patterns: at least one fragment of a camp name is needed"));
        }
        for (k, what) in [(0, "an id"), (1, "a statement (what the figure counts)"), (3, "a location (where it was printed)")] {
            if cell(k).is_empty() {
                diags.push(Diagnostic::error(&rel, line, col(k), kind::MISSING_CELL, format!("a claim needs {what}")));
            }
        }
        if !known_source(&cell(2)) {
            diags.push(Diagnostic::error(&rel, line, col(2), kind::UNKNOWN_SOURCE, format!("register claim {}: source '{}' is not in sources.csv", cell(0), cell(2))));
        }
        let row_ok = !bad.contains(&line) && diags.iter().filter(|d| d.is_error()).count() == errors_before;
        if let (true, Some(date), Some(more_than), Some(value)) = (row_ok, date, more_than, value) {
            let explanation = explanation_ix.and_then(|i| rec.cells.get(i)).map(|c| c.trim().to_string()).unwrap_or_default();
            out.push(RegisterClaim { line, id: cell(0), statement: cell(1), source_id: cell(2), location: cell(3), patterns, date, more_than, value, explanation });
        }
    }
    out
}

#[derive(Debug, Clone)]
pub struct ClaimCheck {
    pub id: String,
    pub status: String,
    pub text: String,
}

fn claim_year(imp: &Import, d: Date) -> i32 {
    match imp.period {
        PeriodKind::Dec31 => d.y - 1,
        _ => d.y,
    }
}

pub fn check_claims(imp: &Import, claims: &[RegisterClaim]) -> Vec<ClaimCheck> {
    let mut out = Vec::new();
    for cl in claims {
        let y = claim_year(imp, cl.date);
        let mut t = format!("{}\n  claim: {} ({}, {})\n", cl.id, cl.statement, cl.source_id, cl.location);
        let ok = |v: f64| if cl.more_than { v > cl.value } else { (v - cl.value).abs() < 0.5 };
        let matched: Vec<&Camp> = imp.camps.iter().filter(|c| {
            let hay = format!("{} {}", c.name, c.aliases.join(" ")).to_lowercase();
            cl.patterns.iter().any(|p| hay.contains(p))
        }).collect();
        let col = imp.manifest.values.pattern.get_ref().replace("{year}", &y.to_string());
        t.push_str(&format!("  register column for {}: {col}; rows whose name or aliases contain {}: {}\n", cl.date, cl.patterns.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(" or "), matched.len()));
        let mut pass = false;
        let mut elsewhere = vec![];
        for c in &matched {
            let around: Vec<String> = (y - 1..=y + 1).map(|yy| format!("{yy}: {}", c.value(yy).map(fmt_thousands).unwrap_or_else(|| "-".into()))).collect();
            t.push_str(&format!("    id {} '{}' (line {}): {}\n", c.id, c.name, c.line, around.join(", ")));
            if let Some(v) = c.value(y) {
                if ok(v) {
                    pass = true;
                }
            }
            for v in &c.values {
                if v.year != y && !cl.more_than && ok(v.value) {
                    elsewhere.push(format!("id {} has {} under '{}' ({}:{}:{})", c.id, fmt_thousands(v.value), v.header, imp.file, v.line, v.column));
                }
            }
            if !c.successors.is_empty() {
                let succ: Vec<&Camp> = imp.camps.iter().filter(|s| c.successors.iter().any(|n| n.trim() == s.name.trim())).collect();
                let sum: f64 = succ.iter().filter_map(|s| s.value(y)).sum();
                let with: Vec<String> = succ.iter().map(|s| format!("{} {}", s.name, s.value(y).map(fmt_thousands).unwrap_or_else(|| "-".into()))).collect();
                t.push_str(&format!("      split into {} camp(s); {} of them found by name; their {y} figures: {} (sum {})\n", c.successors.len(), succ.len(), with.join("; "), fmt_thousands(sum)));
                if cl.more_than && sum > cl.value {
                    pass = true;
                    t.push_str("      the successor camps together satisfy the claim\n");
                }
            }
        }
        for e in &elsewhere {
            t.push_str(&format!("    the claimed figure stands at another year: {e}\n"));
        }
        let status = match (matched.is_empty(), pass, cl.explanation.is_empty()) {
            (true, _, _) => "not-in-register",
            (false, true, _) => "pass",
            (false, false, true) => "fail",
            (false, false, false) => "documented",
        };
        if status == "documented" {
            t.push_str(&format!("  documented: {}\n", cl.explanation));
        }
        t.push_str(&format!("  result: {status}\n"));
        out.push(ClaimCheck { id: cl.id.clone(), status: status.into(), text: t });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Outputs

fn num(v: f64, d: usize) -> String {
    if v.is_finite() {
        crate::model::fmt_num(v, d)
    } else {
        String::new()
    }
}

pub fn totals_csv(totals: &[YearTotal], imp: &Import) -> Result<Vec<u8>> {
    let rows: Vec<Vec<String>> = totals.iter().map(|t| {
        let p = imp.period.period(t.year);
        vec![t.year.to_string(), p.start.to_string(), p.end.to_string(), num(t.sum, 0), t.reporting.to_string()]
    }).collect();
    crate::output::csv_bytes(&["year", "period_start", "period_end", "camps_population_sum", "camps_reporting"], &rows)
}

pub fn comparison_csv(cmp: &[Comparison]) -> Result<Vec<u8>> {
    let rows: Vec<Vec<String>> = cmp.iter().map(|c| {
        let (v, lo, hi, src, flags) = match &c.top_down {
            Some(r) => (num(r.value, 0), num(r.low, 0), num(r.high, 0), r.sources.join(";"), r.flags_text()),
            None => Default::default(),
        };
        let (ra, rl, rh) = c.ratio().map(|(a, b, d)| (num(a, 4), num(b, 4), num(d, 4))).unwrap_or_default();
        let alt_date = c.alt_date.map(|d| d.to_string()).unwrap_or_default();
        let alt_value = c.alt.as_ref().map(|r| num(r.value, 0)).unwrap_or_default();
        let alt_ratio = c.alt_ratio().map(|x| num(x, 4)).unwrap_or_default();
        vec![c.total.year.to_string(), num(c.total.sum, 0), c.total.reporting.to_string(), c.top_down_date.to_string(), v, lo, hi, ra, rl, rh, src, flags, alt_date, alt_value, alt_ratio]
    }).collect();
    crate::output::csv_bytes(&["year", "register_sum", "camps_reporting", "top_down_date", "top_down_value", "top_down_low", "top_down_high", "ratio", "ratio_low", "ratio_high", "top_down_sources", "top_down_flags", "alt_top_down_date", "alt_top_down_value", "alt_ratio"], &rows)
}

pub fn largest_csv(imp: &Import, totals: &[YearTotal], n: usize) -> Result<Vec<u8>> {
    let sums: BTreeMap<i32, f64> = totals.iter().map(|t| (t.year, t.sum)).collect();
    let rows: Vec<Vec<String>> = largest(imp, n).into_iter().map(|(y, rank, c, v)| {
        let share = sums.get(&y).filter(|s| **s > 0.0).map(|s| num(100.0 * v / s, 1)).unwrap_or_default();
        vec![y.to_string(), rank.to_string(), c.id.clone(), c.name.clone(), num(v, 0), share]
    }).collect();
    crate::output::csv_bytes(&["year", "rank", "id", "name", "value", "percent_of_register_sum"], &rows)
}

/// The report of everything not read: a summary, then one line per cell or problem.
pub fn report_text(imp: &Import) -> String {
    let mut s = String::new();
    s.push_str(&format!("register: {}\nmanifest: {}\n", imp.file, imp.manifest_file));
    s.push_str(&format!("rows: {}; camps read: {}; columns: {}; yearly columns: {}\n", imp.rows, imp.camps.len(), imp.columns, imp.year_columns.len()));
    s.push_str(&format!("yearly cells read as figures: {}; blank (no figure): {}\n", imp.value_cells, imp.blank_cells));
    s.push_str("problems and cells not read, by kind:\n");
    for (k, n) in imp.unread_by_kind() {
        s.push_str(&format!("  {k}: {n}\n"));
    }
    s.push('\n');
    for d in &imp.diagnostics {
        s.push_str(&d.to_string());
        s.push('\n');
    }
    s
}

pub fn claims_text(checks: &[ClaimCheck]) -> String {
    if checks.is_empty() {
        return "no register claims: the data folder has no register-claims.csv, or it is empty\n".into();
    }
    checks.iter().map(|c| c.text.clone()).collect::<Vec<_>>().join("\n")
}

/// Charts: bottom-up vs top-down (with camps reporting), and the largest camps by year.
pub fn charts(imp: &Import, totals: &[YearTotal], cmp: &[Comparison]) -> Vec<crate::charts::Chart> {
    use crate::charts::{Chart, Kind, Layer, Pt, Style};
    let x_of = |p: Period| if p.is_instant() { p.start.year_f() } else { p.start.y as f64 + 0.5 };
    let src = imp.manifest.source_id.get_ref().clone();
    let pt = |p: Period, v: f64, lo: f64, hi: f64, single: bool, sources: String, flags: String| Pt { period: p, x: x_of(p), value: v, low: lo, high: hi, single, gap_filled: false, sources, flags };
    let sum_pts: Vec<Pt> = totals.iter().map(|t| pt(imp.period.period(t.year), t.sum, t.sum, t.sum, true, src.clone(), String::new())).collect();
    let td: Vec<Pt> = cmp.iter().filter_map(|c| c.top_down.as_ref()).map(|r| pt(r.period, r.value, r.low, r.high, r.has_flag("single-source"), r.sources.join(";"), r.flags_text())).collect();
    let rep: Vec<Pt> = totals.iter().map(|t| pt(imp.period.period(t.year), t.reporting as f64, t.reporting as f64, t.reporting as f64, true, src.clone(), String::new())).collect();
    let xs: Vec<f64> = sum_pts.iter().map(|p| p.x).collect();
    let (x0, x1) = (xs.iter().cloned().fold(f64::INFINITY, f64::min), xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
    let xr = if xs.is_empty() { (1923.0, 1961.0) } else { (x0.floor() - 0.5, x1.ceil() + 1.0) };
    let date_note = match imp.period {
        PeriodKind::Jan1 => "Register figures at 1 January of their year column (docs/registers.md).",
        PeriodKind::Dec31 => "Register figures plotted at 31 December of their year column.",
        PeriodKind::Year => "Register figures plotted mid-year.",
    };
    let mut a = Chart {
        name: "register-vs-central",
        title: "Camp population: sum of the register's camps against the central totals".into(),
        y_labels: vec!["persons".into(), "camps reporting".into()],
        units: vec![Unit::Persons, Unit::Count],
        layers: vec![
            Layer { label: "Central total, camps.population (reconciled, range)".into(), style: Style::Band, points: td, panel: 0 },
            Layer { label: "Register: sum of the camps with a figure".into(), style: Style::Points, points: sum_pts, panel: 0 },
            Layer { label: "Camps with a figure in the register".into(), style: Style::Points, points: rep, panel: 1 },
        ],
        x_range: xr,
        note: String::new(),
        kind: Kind::Lines,
        rows: vec![],
        legend_right: false,
        log_y: false,
    };
    // the camps that are among the three largest in some year, up to seven (palette), by peak
    let mut peak: BTreeMap<&str, (f64, &Camp)> = BTreeMap::new();
    for (_, rank, c, v) in largest(imp, 3) {
        if rank <= 3 {
            let e = peak.entry(c.id.as_str()).or_insert((v, c));
            e.0 = e.0.max(v);
        }
    }
    let mut top: Vec<(f64, &Camp)> = peak.into_values().collect();
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let layers: Vec<Layer> = top.iter().take(7).map(|(_, c)| {
        let label = format!("{} (id {})", c.name, c.id);
        let label = if label.chars().count() > 48 { label.chars().take(45).collect::<String>() + "..." } else { label };
        Layer { label, style: Style::Band, points: c.values.iter().map(|v| pt(imp.period.period(v.year), v.value, v.value, v.value, true, src.clone(), String::new())).collect(), panel: 0 }
    }).collect();
    let mut b = Chart {
        name: "register-largest-camps",
        title: "The largest camps in the register (the seven with the highest peaks among each year's top three)".into(),
        y_labels: vec!["persons".into()],
        units: vec![Unit::Persons],
        layers,
        x_range: xr,
        note: String::new(),
        kind: Kind::Lines,
        rows: vec![],
        legend_right: false,
        log_y: false,
    };
    a.note = format!("{date_note} Sources: {src}; camps.population reconciled.");
    // a camp entered twice in the register is drawn twice: the note says so
    let mut ids_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (_, c) in top.iter().take(7) {
        ids_of.entry(c.name.as_str()).or_default().push(c.id.as_str());
    }
    let twice: Vec<String> = ids_of.iter().filter(|(_, ids)| ids.len() > 1).map(|(n, ids)| format!("{n} is entered under {} ids ({}): one camp, not two", ids.len(), ids.join(", "))).collect();
    let twice = if twice.is_empty() { String::new() } else { format!(" {} (docs/registers.md).", twice.join("; ")) };
    b.note = format!("Each camp's figures as the register gives them; lines join years with a figure.{twice} {date_note} Source: {src}.");
    for c in [&mut a, &mut b] {
        for l in &mut c.layers {
            l.points.sort_by(|p, q| p.x.total_cmp(&q.x));
        }
    }
    vec![a, b]
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn figures() {
        let seps = vec![" ".to_string(), "\u{a0}".to_string()];
        assert_eq!(read_figure("138 170", &seps), Ok(138170.0));
        assert_eq!(read_figure(" 29 659", &seps), Ok(29659.0));
        assert_eq!(read_figure("1\u{a0}344\u{a0}408", &seps), Ok(1344408.0));
        assert_eq!(read_figure("3800", &seps), Ok(3800.0));
        assert_eq!(read_figure("2 00", &seps).unwrap_err().0, kind::BAD_THOUSANDS_SEPARATOR);
        assert_eq!(read_figure("42853 - 40916", &seps).unwrap_err().0, kind::SEVERAL_FIGURES);
        assert_eq!(read_figure("2000 (?)", &seps).unwrap_err().0, kind::ANNOTATED_FIGURE);
        assert_eq!(read_figure("был закрыт", &seps).unwrap_err().0, kind::NOT_A_NUMBER);
        assert_eq!(read_figure("-5", &seps).unwrap_err().0, kind::NEGATIVE_COUNT);
        assert_eq!(read_figure("1 200", &[]).unwrap_err().0, kind::BAD_THOUSANDS_SEPARATOR);
        assert_eq!(read_figure("100000000000000000000", &seps).unwrap_err().0, kind::NOT_A_NUMBER);
        assert_eq!(read_figure("1 000 000 000", &seps).unwrap_err().0, kind::NOT_A_NUMBER);
        assert_eq!(read_figure("999 999 999", &seps), Ok(999999999.0));
    }

    #[test]
    fn manifest_years_and_series_are_bounded() {
        let base = include_str!("../registers/camps-register.toml");
        let mut d = Vec::new();
        assert!(parse_manifest(base, "m.toml", &mut d).is_some(), "{d:?}");
        let own = "series = \"camp.population\"";
        assert!(base.contains(own));
        for (from, to, series, msg) in [
            ("from = 1923", "to = 2147483647", own, "between 1800 and 2100"),
            ("from = -5", "to = 1960", own, "between 1800 and 2100"),
            ("from = 1923", "to = 1960", "series = \"camps.population\"", "central series"),
            ("from = 1923", "to = 1960", "series = \"register.camps_population_sum\"", "central series"),
        ] {
            let text = base.replace("from = 1923", from).replace("to = 1960", to).replace(own, series);
            let mut d = Vec::new();
            assert!(parse_manifest(&text, "m.toml", &mut d).is_none(), "{text}");
            assert!(d.iter().any(|x| x.message.contains(msg)), "{d:?}");
        }
        // a per-camp series of its own is fine
        let text = base.replace(own, "series = \"camp.deaths\"");
        let mut d = Vec::new();
        assert!(parse_manifest(&text, "m.toml", &mut d).is_some(), "{d:?}");
    }
}
