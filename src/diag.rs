//! Diagnostics: every problem found in the data, with file, line and column.
//!
//! Errors make `validate` fail; findings are reported but do not (printed totals that the cells do
//! not add up to, shares that do not sum to 100, accounting identities that do not hold).

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Finding,
}

/// Stable kebab-case kinds. Tests and scripts rely on these names.
pub mod kind {
    pub const NOT_A_NUMBER: &str = "not-a-number";
    pub const MISSING_CELL: &str = "missing-cell";
    pub const EXTRA_CELL: &str = "extra-cell";
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    pub const NEGATIVE_COUNT: &str = "negative-count";
    pub const PERCENT_OUT_OF_RANGE: &str = "percent-out-of-range";
    pub const BAD_PERIOD: &str = "bad-period";
    pub const UNKNOWN_SOURCE: &str = "unknown-source";
    pub const UNKNOWN_SERIES: &str = "unknown-series";
    pub const INVALID_UTF8: &str = "invalid-utf8";
    pub const EMPTY_FILE: &str = "empty-file";
    pub const MISSING_FILE: &str = "missing-file";
    pub const MANIFEST_ERROR: &str = "manifest-error";
    pub const CSV_ERROR: &str = "csv-error";
    pub const BAD_UNIT: &str = "bad-unit";
    pub const CLAIM_ERROR: &str = "claim-error";
    pub const CONFIG_ERROR: &str = "config-error";
    pub const BAD_ROUNDING: &str = "bad-rounding";
    pub const BAD_BOUND: &str = "bad-bound";
    pub const RELATIVE_LOCATION: &str = "relative-location";
    // registers (see src/register.rs): cells not read and register structure
    pub const MISSING_COLUMN: &str = "missing-column";
    pub const DUPLICATE_COLUMN: &str = "duplicate-column";
    pub const UNNAMED_COLUMN: &str = "unnamed-column";
    pub const OUTSIDE_RANGE: &str = "outside-range";
    pub const ANNOTATED_FIGURE: &str = "annotated-figure";
    pub const SEVERAL_FIGURES: &str = "several-figures";
    pub const BAD_THOUSANDS_SEPARATOR: &str = "bad-thousands-separator";
    pub const ZERO_NO_FIGURE: &str = "zero-no-figure";
    pub const DUPLICATE_NAME: &str = "duplicate-name";
    pub const ROW_NOT_READ: &str = "row-not-read";
    // findings
    pub const TOTAL_MISMATCH: &str = "total-mismatch";
    pub const SHARES_NOT_100: &str = "shares-not-100";
    pub const SOURCE_DIFFERS_FROM_ITSELF: &str = "source-differs-from-itself";
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub kind: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, line: usize, column: usize, kind: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_string(), line, column, severity: Severity::Error, kind, message: message.into() }
    }
    pub fn finding(file: &str, line: usize, column: usize, kind: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_string(), line, column, severity: Severity::Finding, kind, message: message.into() }
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The one-line report with the file named as given: `file:line:column: severity[kind]: message`.
    fn line_with(&self, file: &str) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Finding => "finding",
        };
        format!("{file}:{}:{}: {sev}[{}]: {}", self.line, self.column, self.kind, self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line_with(&self.file))
    }
}

/// Where the data folder the command reads lies, for the terminal: diagnostics store a data file's
/// path from the data folder's name on (`data/claims.csv`; `ingest::rel_path`), which exports keep so
/// that they do not depend on where the folder is or how it was named on the command line; on the
/// terminal, the path is shown as the user can open it from the current folder (`/tmp/x/data/claims.csv`
/// for `--data /tmp/x/data`, `../claims.csv` for `--data ..`). Holds the folder as given and its name.
static DATA_FOLDER: std::sync::OnceLock<(std::path::PathBuf, String)> = std::sync::OnceLock::new();

/// Record the data folder the command reads (the first call counts; later calls are ignored).
pub fn set_data_folder(dir: &std::path::Path) {
    let _ = DATA_FOLDER.set((dir.to_path_buf(), crate::ingest::folder_name(dir)));
}

/// A stored path as the terminal shows it: a path of the data folder (it starts with the folder's
/// name) is rewritten onto the folder as given; any other path is as stored. Diagnostics of files
/// outside the data folder (a register and its manifest) are printed as stored (`Diagnostic`'s
/// `Display`), never through this.
pub fn shown(file: &str) -> String {
    match DATA_FOLDER.get() {
        Some((dir, name)) => match file.strip_prefix(name.as_str()) {
            Some("") => slashes(dir),
            Some(rest) if rest.starts_with('/') => slashes(&dir.join(&rest[1..])),
            _ => file.to_string(),
        },
        None => file.to_string(),
    }
}

fn slashes(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A file of the data folder (`coverage.toml`), as the terminal shows it, whether or not it exists.
pub fn shown_path(data_dir: &std::path::Path, file: &str) -> String {
    shown(&crate::ingest::rel_path(data_dir, &data_dir.join(file)))
}

impl Diagnostic {
    /// The one-line report as the terminal prints it (the path as `shown` gives it).
    pub fn shown(&self) -> String {
        self.line_with(&shown(&self.file))
    }
}

/// Line and column (1-based) of a byte offset in a text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// A file's bytes as text, or an invalid-utf8 error at the first bad byte's line and column.
pub fn utf8_text(bytes: &[u8], rel: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(e) => {
            let ok = &bytes[..e.valid_up_to()];
            let (line, col) = line_col(&String::from_utf8_lossy(ok), ok.len());
            diags.push(Diagnostic::error(rel, line, col, kind::INVALID_UTF8, "the file is not valid UTF-8 here"));
            None
        }
    }
}

/// Read a TOML configuration file of the data folder: its value and its text (for locating
/// problems later). A missing file gives the default; a file that is not UTF-8 is an error, and a
/// syntax error becomes a config-error at its line and column in `rel`; both give the default.
pub fn read_toml<T: for<'de> serde::Deserialize<'de> + Default>(path: &std::path::Path, rel: &str, diags: &mut Vec<Diagnostic>) -> (T, String) {
    // a missing file means the defaults; a file that cannot be read (not UTF-8, say) is an error,
    // never silently the defaults
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (T::default(), String::new()),
        Err(e) => {
            diags.push(Diagnostic::error(rel, 1, 1, kind::MISSING_FILE, format!("cannot read: {e}")));
            return (T::default(), String::new());
        }
    };
    let Some(text) = utf8_text(&bytes, rel, diags) else { return (T::default(), String::new()) };
    // a file that is there but holds nothing besides comments is most likely truncated (every file
    // opens with a block of comments): an error, never silently no rules
    if text.lines().map(str::trim).all(|l| l.is_empty() || l.starts_with('#')) {
        let what = if text.trim().is_empty() { "the file is empty" } else { "the file holds only comments" };
        diags.push(Diagnostic::error(rel, 1, 1, kind::EMPTY_FILE, format!("{what} (leave the file out to have no entries)")));
        return (T::default(), text);
    }
    match toml::from_str::<T>(&text) {
        Ok(v) => (v, text),
        Err(e) => {
            let (l, c) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
            diags.push(Diagnostic::error(rel, l, c, kind::CONFIG_ERROR, e.message().replace('\n', " ")));
            (T::default(), text)
        }
    }
}

/// The line (1-based) of the `i`-th `[[table]]` header in a TOML text, so that an error in a
/// rule points at the rule; line 1 if the header cannot be found (for example, inline arrays).
pub fn nth_table_line(text: &str, table: &str, i: usize) -> usize {
    let header = format!("[[{table}]]");
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with(&header))
        .nth(i)
        .map_or(1, |(n, _)| n + 1)
}

/// Text as a message quotes it: up to `max` characters, then how long it is, so that a cell or an
/// expression of megabytes does not fill the terminal.
pub fn cell_text(raw: &str, max: usize) -> String {
    let n = raw.chars().count();
    if n <= max {
        raw.to_string()
    } else {
        format!("{}... ({n} characters)", raw.chars().take(max).collect::<String>())
    }
}
