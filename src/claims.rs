//! The claims registry (`data/claims.csv`) and its small expression language.
//!
//! ```text
//! expr   := term (('+' | '-') term)*
//! term   := factor (('*' | '/') factor)*
//! factor := NUMBER | '(' expr ')' | '-' factor | call
//! call   := at(SERIES, DATE [, CATEGORY])        reconciled stock on a date
//!         | flow(SERIES, YEAR [, CATEGORY])      reconciled flow over one calendar year
//!         | span(SERIES, PERIOD [, CATEGORY])    reconciled value of exactly that period (YYYY-YYYY or D/D)
//!         | sum(SERIES, YEAR, YEAR [, CATEGORY]) sum of yearly flows, every year required
//!         | src(SOURCE, SERIES, PERIOD [, CATEGORY]) one source's printed value
//!         | srcsum(SOURCE, SERIES, YEAR, YEAR [, CATEGORY]) sum of one source's printed yearly
//!                                                flows, every year required
//! ```
//! Arguments of a call are literal words (series names contain dots, dates dashes).

use crate::diag::{kind, Diagnostic};
use crate::model::{parse_year, Date, Observation, Period};
use crate::reconcile::Reconciled;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Neg(Box<Expr>),
    Bin(char, Box<Expr>, Box<Expr>),
    Call { name: String, args: Vec<String>, pos: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// 0-based character offset in the expression.
    pub pos: usize,
    pub message: String,
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    /// Parentheses and signs open around the current factor: bounded, so that a pathological
    /// expression is an error and not a stack overflow.
    depth: usize,
    /// Binary operators read so far: bounded too, since a chain `1+1+...+1` of tens of thousands of terms
    /// builds a tree as deep as it is long, which evaluating or dropping would overflow the stack on.
    ops: usize,
}

/// The deepest nesting of parentheses and unary minus signs an expression may have.
const MAX_DEPTH: usize = 64;

/// The most binary operators (`+ - * /`) an expression may have.
const MAX_OPERATORS: usize = 1000;

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn err<T>(&self, m: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { pos: self.i, message: m.into() })
    }
    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut l = self.term()?;
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(&c) if c == b'+' || c == b'-' => {
                    self.operator()?;
                    let r = self.term()?;
                    l = Expr::Bin(c as char, Box::new(l), Box::new(r));
                }
                _ => return Ok(l),
            }
        }
    }
    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut l = self.factor()?;
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(&c) if c == b'*' || c == b'/' => {
                    self.operator()?;
                    let r = self.factor()?;
                    l = Expr::Bin(c as char, Box::new(l), Box::new(r));
                }
                _ => return Ok(l),
            }
        }
    }
    /// Step over a binary operator, counting it.
    fn operator(&mut self) -> Result<(), ParseError> {
        if self.ops >= MAX_OPERATORS {
            return self.err(format!("the expression has more than {MAX_OPERATORS} operators"));
        }
        self.ops += 1;
        self.i += 1;
        Ok(())
    }
    fn factor(&mut self) -> Result<Expr, ParseError> {
        self.ws();
        if self.depth >= MAX_DEPTH {
            return self.err(format!("the expression is nested more than {MAX_DEPTH} deep"));
        }
        self.depth += 1;
        let f = self.factor_inner();
        self.depth -= 1;
        f
    }
    fn factor_inner(&mut self) -> Result<Expr, ParseError> {
        match self.s.get(self.i) {
            None => self.err("expected a number, a call or '(' but the expression ended"),
            Some(b'(') => {
                self.i += 1;
                let e = self.expr()?;
                self.ws();
                if self.s.get(self.i) != Some(&b')') {
                    return self.err("expected ')'");
                }
                self.i += 1;
                Ok(e)
            }
            Some(b'-') => {
                self.i += 1;
                Ok(Expr::Neg(Box::new(self.factor()?)))
            }
            Some(c) if c.is_ascii_digit() => {
                let st = self.i;
                while self.i < self.s.len() && (self.s[self.i].is_ascii_digit() || self.s[self.i] == b'.') {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[st..self.i]).unwrap_or("");
                // the same figures as in the data: at most 15 digits, a digit after a point
                crate::model::parse_figure(t).map(|(v, _)| Expr::Num(v)).ok_or_else(|| ParseError { pos: st, message: format!("'{t}' is not a number (digits, one '.' with digits after it, at most 15 digits)") })
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let st = self.i;
                while self.i < self.s.len() && self.s[self.i].is_ascii_alphanumeric() {
                    self.i += 1;
                }
                let name = String::from_utf8_lossy(&self.s[st..self.i]).to_string();
                if !matches!(name.as_str(), "at" | "flow" | "span" | "sum" | "src" | "srcsum") {
                    return Err(ParseError { pos: st, message: format!("unknown function '{name}' (at, flow, span, sum, src, srcsum)") });
                }
                self.ws();
                if self.s.get(self.i) != Some(&b'(') {
                    return self.err(format!("expected '(' after '{name}'"));
                }
                self.i += 1;
                let mut args = vec![];
                let mut cur = String::new();
                loop {
                    match self.s.get(self.i) {
                        None => return self.err("unclosed '(': expected ')'"),
                        Some(b')') => {
                            self.i += 1;
                            args.push(cur.trim().to_string());
                            break;
                        }
                        Some(b',') => {
                            args.push(cur.trim().to_string());
                            cur.clear();
                            self.i += 1;
                        }
                        Some(b'(') => return self.err("calls cannot be nested inside arguments"),
                        // a quoted argument holds commas and parentheses as they are: a category
                        // printed with commas ("factory fire, Turkmenistan")
                        Some(b'"') if cur.trim().is_empty() => {
                            let open = self.i;
                            let Some(len) = self.s[open + 1..].iter().position(|&b| b == b'"') else {
                                return Err(ParseError { pos: open, message: "unclosed '\"': a quoted argument ends with '\"'".into() });
                            };
                            cur = String::from_utf8_lossy(&self.s[open + 1..open + 1 + len]).to_string();
                            self.i = open + len + 2;
                            self.ws();
                            if !matches!(self.s.get(self.i), Some(b',') | Some(b')')) {
                                return self.err("expected ',' or ')' after a quoted argument");
                            }
                            if cur.trim().is_empty() {
                                return Err(ParseError { pos: open, message: "a quoted argument is empty".into() });
                            }
                            // kept as quoted (the trim below leaves inner spaces alone)
                            continue;
                        }
                        Some(_) => {
                            // arguments are UTF-8 words; copy the whole character
                            let rest = std::str::from_utf8(&self.s[self.i..]).unwrap_or("");
                            let ch = rest.chars().next().unwrap_or(' ');
                            cur.push(ch);
                            self.i += ch.len_utf8().max(1);
                        }
                    }
                }
                let want = match name.as_str() {
                    "at" | "flow" | "span" => 2..=3,
                    "sum" | "src" => 3..=4,
                    "srcsum" => 4..=5,
                    _ => 0..=0,
                };
                if !want.contains(&args.len()) || args.iter().take(*want.start()).any(|a| a.is_empty()) {
                    return Err(ParseError { pos: st, message: format!("'{name}' takes {} to {} arguments, got {}", want.start(), want.end(), args.len()) });
                }
                Ok(Expr::Call { name, args, pos: st })
            }
            Some(&c) => self.err(format!("unexpected '{}'", c as char)),
        }
    }
}

pub fn parse(s: &str) -> Result<Expr, ParseError> {
    let mut p = Parser { s: s.as_bytes(), i: 0, depth: 0, ops: 0 };
    let e = p.expr()?;
    p.ws();
    if p.i < s.len() {
        // the rest as far as 40 characters: a long tail is not echoed whole
        let rest = String::from_utf8_lossy(&p.s[p.i..]);
        return p.err(format!("unexpected '{}' after the expression", crate::diag::cell_text(&rest, 40)));
    }
    Ok(e)
}

/// What expressions are evaluated against.
pub struct Env<'a> {
    pub rec: BTreeMap<(String, Period, String), &'a Reconciled>,
    pub obs: &'a [Observation],
}

impl<'a> Env<'a> {
    pub fn new(rec: &'a [Reconciled], obs: &'a [Observation]) -> Self {
        Env { rec: rec.iter().map(|r| ((r.series.clone(), r.period, r.category.clone()), r)).collect(), obs }
    }
}

/// A value with a range: each figure's reconciled range carried through the arithmetic by interval
/// arithmetic. Not a confidence interval, and an outer bound: a figure that occurs twice in an
/// expression is bounded as if it were two independent figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iv {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Iv {
    pub fn exact(v: f64) -> Iv {
        Iv { value: v, low: v, high: v }
    }
}

/// One figure an expression used: a reconciled row, or (from `src`/`srcsum`) a printed one.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub series: String,
    pub period: Period,
    pub category: String,
    pub iv: Iv,
    pub unit: crate::model::Unit,
    pub decimals: usize,
    /// The reconciled row's sources, or the one source whose printed value was taken.
    pub sources: Vec<String>,
    /// The reconciled row's flags; `printed` for a source's own value.
    pub flags: Vec<String>,
}

/// Evaluate with ranges, recording every figure used in `terms` (in the order used). Err says
/// what is missing: a missing figure makes a claim not evaluable.
pub fn eval_traced(e: &Expr, env: &Env, terms: &mut Vec<Term>) -> Result<Iv, String> {
    match e {
        Expr::Num(v) => Ok(Iv::exact(*v)),
        Expr::Neg(x) => {
            let a = eval_traced(x, env, terms)?;
            Ok(Iv { value: -a.value, low: -a.high, high: -a.low })
        }
        Expr::Bin(op, a, b) => {
            let (a, b) = (eval_traced(a, env, terms)?, eval_traced(b, env, terms)?);
            let r = match op {
                '+' => add(a, b),
                '-' => Iv { value: a.value - b.value, low: a.low - b.high, high: a.high - b.low },
                '*' => corners(a.value * b.value, [mul_end(a.low, b.low), mul_end(a.low, b.high), mul_end(a.high, b.low), mul_end(a.high, b.high)]),
                _ => {
                    if b.value == 0.0 {
                        return Err("division by zero".into());
                    }
                    if b.low <= 0.0 && b.high >= 0.0 {
                        // the divisor's range includes zero: the quotient's range is unbounded
                        Iv { value: a.value / b.value, low: f64::NEG_INFINITY, high: f64::INFINITY }
                    } else {
                        corners(a.value / b.value, [a.low / b.low, a.low / b.high, a.high / b.low, a.high / b.high])
                    }
                }
            };
            // a value beyond the range of numbers is no value (its range may be unbounded)
            if r.value.is_finite() {
                Ok(r)
            } else {
                Err("the result is too large to compute".into())
            }
        }
        Expr::Call { name, args, .. } => {
            let cat = |i: usize| args.get(i).cloned().unwrap_or_default();
            let mut get = |s: &str, p: Period, c: &str| -> Result<Iv, String> {
                let r = env.rec.get(&(s.to_string(), p, c.to_string())).ok_or_else(|| format!("no value of {s} for {}..{}{}", p.start, p.end, if c.is_empty() { String::new() } else { format!(" [{c}]") }))?;
                // a value that is only a source's "more than" (or "at most") allows anything above
                // (below) it, as far as such a figure can go: its range is open on that side (a
                // lower and an upper bound together keep the interval between them)
                let (lower, upper) = (r.has_flag("lower-bound"), r.has_flag("upper-bound"));
                let (floor, ceiling) = limits(r.unit, r.low, r.high);
                let iv = Iv { value: r.value, low: if upper && !lower { floor } else { r.low }, high: if lower && !upper { ceiling } else { r.high } };
                terms.push(Term { series: s.to_string(), period: p, category: c.to_string(), iv, unit: r.unit, decimals: r.decimals, sources: r.sources.clone(), flags: r.flags.clone() });
                Ok(iv)
            };
            let printed = |terms: &mut Vec<Term>, src: &str, s: &str, p: Period, c: &str, what: &str| -> Result<Iv, String> {
                let rows: Vec<&Observation> = env.obs.iter().filter(|o| o.source_id == src && o.series == s && o.period == p && o.category == c).collect();
                let o = rows.first().ok_or_else(|| format!("{src} prints no {s} for {what}"))?;
                // the values the source's figure allows: its rounding, a bound's open side, a
                // printed range's two ends (the rows taken together)
                let (low, high) = rows.iter().map(|o| crate::reconcile::allowed(o)).fold((f64::NEG_INFINITY, f64::INFINITY), |(l, h), (a, b)| (l.max(a), h.min(b)));
                let (low, high) = if low <= o.value && o.value <= high { (low, high) } else { (o.value, o.value) };
                let (floor, ceiling) = limits(o.unit, o.value, o.value);
                let iv = Iv { value: o.value, low: low.max(floor), high: high.min(ceiling) };
                let mut flags = vec![o.evidence.as_str().to_string()];
                flags.extend(rows.iter().filter_map(|o| o.bound.flag()).map(String::from));
                flags.dedup();
                terms.push(Term { series: s.to_string(), period: p, category: c.to_string(), iv, unit: o.unit, decimals: o.decimals, sources: vec![src.to_string()], flags });
                Ok(iv)
            };
            match name.as_str() {
                "at" => {
                    let d = Date::parse(&args[1]).ok_or_else(|| format!("'{}' is not a date", args[1]))?;
                    get(&args[0], Period::instant(d), &cat(2))
                }
                "flow" => {
                    let y = parse_year(&args[1]).ok_or_else(|| format!("'{}' is not a year", args[1]))?;
                    get(&args[0], Period::year(y), &cat(2))
                }
                "span" => {
                    let p = Period::parse(&args[1]).ok_or_else(|| format!("'{}' is not a period", args[1]))?;
                    get(&args[0], p, &cat(2))
                }
                "sum" => {
                    let (a, b) = years(&args[1], &args[2])?;
                    let c = cat(3);
                    (a..=b).map(|y| get(&args[0], Period::year(y), &c)).try_fold(Iv::exact(0.0), |t, x| x.map(|x| add(t, x)))
                }
                "src" => {
                    let p = Period::parse(&args[2]).ok_or_else(|| format!("'{}' is not a period", args[2]))?;
                    printed(terms, &args[0], &args[1], p, &cat(3), &args[2])
                }
                "srcsum" => {
                    let (a, b) = years(&args[2], &args[3])?;
                    let c = cat(4);
                    (a..=b).map(|y| printed(terms, &args[0], &args[1], Period::year(y), &c, &y.to_string())).try_fold(Iv::exact(0.0), |t, x| x.map(|x| add(t, x)))
                }
                _ => Err(format!("unknown function {name}")),
            }
        }
    }
}

/// How far a figure can go, given the extent it is known to keep to: not below 0 where that is not
/// negative (counts and shares, as reconciliation clips), not above 100 where a percent keeps below it.
fn limits(unit: crate::model::Unit, low: f64, high: f64) -> (f64, f64) {
    let floor = if low >= 0.0 { 0.0 } else { f64::NEG_INFINITY };
    let ceiling = if unit == crate::model::Unit::Percent && high <= 100.0 { 100.0 } else { f64::INFINITY };
    (floor, ceiling)
}

fn add(a: Iv, b: Iv) -> Iv {
    Iv { value: a.value + b.value, low: a.low + b.low, high: a.high + b.high }
}

fn corners(value: f64, c: [f64; 4]) -> Iv {
    let (low, high) = (c.iter().copied().fold(f64::INFINITY, f64::min), c.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    // every corner undefined (inf / inf): nothing is known of the range
    if low <= high {
        Iv { value, low, high }
    } else {
        Iv { value, low: f64::NEG_INFINITY, high: f64::INFINITY }
    }
}

/// A product of two range ends: 0 times an unbounded end is 0 (the end of 0 * [1, inf) is 0), not NaN.
fn mul_end(x: f64, y: f64) -> f64 {
    if x == 0.0 || y == 0.0 {
        0.0
    } else {
        x * y
    }
}

fn years(a: &str, b: &str) -> Result<(i32, i32), String> {
    let y = |s: &str| parse_year(s).ok_or_else(|| format!("'{s}' is not a year"));
    let (a, b) = (y(a)?, y(b)?);
    if a > b {
        return Err(format!("the years {a} and {b} are in the wrong order"));
    }
    Ok((a, b))
}

/// Whether a call takes one source's printed figures (its first argument names the source).
pub fn reads_source(name: &str) -> bool {
    name == "src" || name == "srcsum"
}

/// The sources whose printed figures an expression reads by name (`src`, `srcsum`), in order.
pub fn sources_read(e: &Expr) -> Vec<String> {
    let mut cs = vec![];
    calls(e, &mut cs);
    cs.into_iter().filter(|(name, args, _)| reads_source(name) && !args.is_empty()).map(|(_, mut args, _)| args.swap_remove(0)).collect()
}

/// A call's series, for validation against the vocabulary.
pub fn calls(e: &Expr, out: &mut Vec<(String, Vec<String>, usize)>) {
    match e {
        Expr::Num(_) => {}
        Expr::Neg(x) => calls(x, out),
        Expr::Bin(_, a, b) => {
            calls(a, out);
            calls(b, out);
        }
        Expr::Call { name, args, pos } => out.push((name.clone(), args.clone(), *pos)),
    }
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub line: usize,
    /// The column of the expression cell (for diagnostics).
    pub column: usize,
    pub id: String,
    pub statement: String,
    pub source_id: String,
    pub location: String,
    pub expression: String,
    pub expr: Expr,
    pub expected: f64,
    pub expected_decimals: usize,
    /// Absolute tolerance, already resolved from a percent if printed as such.
    pub tolerance: f64,
    /// Both sides of the expected figure, or one ("more than", "at least": `at least` in the
    /// tolerance cell).
    pub bound: Bound,
    pub tolerance_text: String,
    pub explanation: String,
}

/// Which side of the expected figure a published statement allows. "About 1.5 million" allows
/// both (equal within the tolerance); "more than 1.5 million" or "at least" allows any amount
/// above it (`at least` in the tolerance cell), "at most" or "fewer than" any amount below (`at
/// most`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bound {
    #[default]
    Both,
    AtLeast,
    AtMost,
}

impl Bound {
    /// Whether `computed` agrees with the statement: within the tolerance of the expected figure,
    /// or on the statement's side of it (the tolerance widening that side by as much).
    pub fn admits(self, computed: f64, expected: f64, tolerance: f64) -> bool {
        const EPS: f64 = 1e-9;
        match self {
            Bound::Both => (computed - expected).abs() <= tolerance + EPS,
            Bound::AtLeast => computed >= expected - tolerance - EPS,
            Bound::AtMost => computed <= expected + tolerance + EPS,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Both => "both",
            Bound::AtLeast => "at-least",
            Bound::AtMost => "at-most",
        }
    }
}

/// A category argument that names no category of its series in the printed data (`[men]` for
/// `men`): the claim would be merely not-evaluable, so it is an error at the claim.
pub fn category_problems(rel: &str, claims: &[Claim], obs: &[crate::model::Observation]) -> Vec<Diagnostic> {
    let known: std::collections::BTreeSet<(&str, &str)> = obs.iter().map(|o| (o.series.as_str(), o.category.as_str())).collect();
    let mut out = vec![];
    for c in claims {
        let mut cs = vec![];
        calls(&c.expr, &mut cs);
        for (name, args, _) in &cs {
            let (series, at) = match name.as_str() {
                "at" | "flow" | "span" => (0, 2),
                "sum" | "src" => (if name == "src" { 1 } else { 0 }, 3),
                "srcsum" => (1, 4),
                _ => continue,
            };
            let (Some(s), Some(cat)) = (args.get(series), args.get(at)) else { continue };
            // estimates' reconciled rows are named by author, not by the printed category
            if !cat.is_empty() && !DERIVED_SERIES.contains(&s.as_str()) && !s.starts_with("estimate.") && !known.contains(&(s.as_str(), cat.as_str())) {
                let d = Diagnostic::error(rel, c.line, c.column, kind::CLAIM_ERROR, format!("claim {}: {s} has no category '{cat}' in the data", c.id));
                // one report per claim and category, however often the expression names it
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
    }
    out
}

pub const CLAIM_COLUMNS: &[&str] = &["id", "statement", "source_id", "location", "expression", "expected", "tolerance", "explanation"];

pub fn load(data_dir: &std::path::Path, cat: &crate::ingest::Catalog, diags: &mut Vec<Diagnostic>) -> Vec<Claim> {
    let path = data_dir.join("claims.csv");
    let rel = &crate::ingest::rel_path(data_dir, &path);
    if !path.exists() {
        return vec![];
    }
    let Some(text) = crate::ingest::read_text(&path, rel, diags) else { return vec![] };
    let Some((header, rows)) = crate::ingest::parse_csv(&text, rel, diags) else { return vec![] };
    let idx: Vec<Option<usize>> = CLAIM_COLUMNS.iter().map(|c| header.iter().position(|h| h == c)).collect();
    if let Some(missing) = CLAIM_COLUMNS.iter().zip(&idx).find(|(_, i)| i.is_none()) {
        diags.push(Diagnostic::error(rel, 1, 1, kind::CLAIM_ERROR, format!("the header lacks column '{}'", missing.0)));
        return vec![];
    }
    let ix = |k: usize| idx[k].unwrap_or(0);
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in rows {
        if r.cells.len() != header.len() {
            continue;
        }
        let cell = |k: usize| r.cells[ix(k)].trim().to_string();
        let id = cell(0);
        if id.is_empty() || !seen.insert(id.clone()) {
            diags.push(Diagnostic::error(rel, r.line, ix(0) + 1, kind::DUPLICATE_KEY, format!("claim id '{id}' is empty or used twice")));
            continue;
        }
        if !cat.sources.contains_key(&cell(2)) {
            diags.push(Diagnostic::error(rel, r.line, ix(2) + 1, kind::UNKNOWN_SOURCE, format!("claim {id}: source '{}' is not in sources.csv", cell(2))));
        }
        // a published total says what it counts and where it was printed, each on one line
        for (k, what) in [(1, "statement (what the figure counts)"), (3, "location (where it was printed)")] {
            if cell(k).is_empty() {
                diags.push(Diagnostic::error(rel, r.line, ix(k) + 1, kind::MISSING_CELL, format!("claim {id}: a {what} is needed")));
            }
        }
        for (k, name) in CLAIM_COLUMNS.iter().enumerate().skip(1) {
            if cell(k).contains(['\n', '\r']) {
                diags.push(Diagnostic::error(rel, r.line, ix(k) + 1, kind::CSV_ERROR, format!("claim {id}: '{name}' runs over several lines; write it on one")));
            }
        }
        let expr = match parse(&cell(4)) {
            Ok(e) => e,
            Err(e) => {
                // column: the cell's column; point into the expression by character offset
                diags.push(Diagnostic::error(rel, r.line, ix(4) + 1, kind::CLAIM_ERROR, format!("claim {id}: at character {} of the expression: {}", e.pos + 1, e.message)));
                continue;
            }
        };
        for (k, m) in call_problems(&expr, cat) {
            diags.push(Diagnostic::error(rel, r.line, ix(4) + 1, k, format!("claim {id}: {m}")));
        }
        let Some((expected, expected_decimals)) = crate::model::parse_figure(&cell(5)) else {
            diags.push(Diagnostic::error(rel, r.line, ix(5) + 1, kind::NOT_A_NUMBER, format!("claim {id}: expected '{}' is not a number", cell(5))));
            continue;
        };
        let tt = cell(6);
        let Some((tolerance, bound)) = parse_tolerance(&tt, expected) else {
            diags.push(Diagnostic::error(rel, r.line, ix(6) + 1, kind::NOT_A_NUMBER, format!("claim {id}: tolerance '{tt}' is not {TOLERANCE_FORMS}")));
            continue;
        };
        out.push(Claim { line: r.line, column: ix(4) + 1, id, statement: cell(1), source_id: cell(2), location: cell(3), expression: cell(4), expr, expected, expected_decimals, tolerance, bound, tolerance_text: tt, explanation: cell(7) });
    }
    out
}

/// What a tolerance cell may hold, for messages.
pub const TOLERANCE_FORMS: &str = "a figure or a percent of at least zero, or 'at least' or 'at most' (alone or before one)";

/// A tolerance as written in the registry: an absolute figure, or a percent of the expected value
/// (`0.5%`); before either, or alone, `at least` or `at most` for a statement that allows one side
/// of its figure ("more than 700,000": `at least`; "at least 1.5 million, give or take the
/// rounding": `at least 50000`).
/// A negative tolerance is none: no difference would ever be inside it.
pub fn parse_tolerance(t: &str, expected: f64) -> Option<(f64, Bound)> {
    let t = t.trim();
    let (bound, rest) = match (t.strip_prefix("at least"), t.strip_prefix("at most")) {
        (Some(r), _) => (Bound::AtLeast, r.trim()),
        (_, Some(r)) => (Bound::AtMost, r.trim()),
        _ => (Bound::Both, t),
    };
    if bound != Bound::Both && rest.is_empty() {
        return Some((0.0, bound));
    }
    let v = match rest.strip_suffix('%') {
        Some(p) => crate::model::parse_figure(p).map(|(v, _)| expected.abs() * v / 100.0),
        None => crate::model::parse_figure(rest).map(|(v, _)| v),
    };
    v.filter(|v| *v >= 0.0).map(|v| (v, bound))
}

/// The figure of a tolerance cell, without its `at least` or `at most`.
pub fn tolerance_figure(t: &str) -> &str {
    let t = t.trim();
    t.strip_prefix("at least").or_else(|| t.strip_prefix("at most")).unwrap_or(t).trim()
}

/// What is wrong with an expression's calls, as (diagnostic kind, message): a series or source the
/// catalog does not know, or an argument that is not a date, year or period.
pub fn call_problems(e: &Expr, cat: &crate::ingest::Catalog) -> Vec<(&'static str, String)> {
    let mut cs = vec![];
    calls(e, &mut cs);
    let mut out = vec![];
    for (name, args, _) in &cs {
        let by_source = reads_source(name);
        let s = if by_source { &args[1] } else { &args[0] };
        if !cat.series_known(s) && !DERIVED_SERIES.contains(&s.as_str()) {
            out.push((kind::UNKNOWN_SERIES, format!("series '{s}' is not in series.csv")));
        }
        // a stock is read at a date, a flow over a year or a span: the other way round finds nothing
        let by_date = name == "at" || (name == "src" && args.get(2).is_some_and(|w| Date::parse(w).is_some()));
        let over_years = matches!(name.as_str(), "flow" | "sum" | "srcsum");
        match cat.series.get(s).map(|d| d.kind.as_str()) {
            Some("flow") if by_date => out.push((kind::CLAIM_ERROR, format!("{s} is a flow, counted over a year or a span: {name}(...) at a single date finds nothing"))),
            Some("stock") if over_years => out.push((kind::CLAIM_ERROR, format!("{s} is a stock, counted at a date: use at(...), not {name}(...)"))),
            _ => {}
        }
        if by_source && !cat.sources.contains_key(&args[0]) {
            out.push((kind::UNKNOWN_SOURCE, format!("source '{}' is not in sources.csv", args[0])));
        }
        let when: Vec<&String> = if by_source { args[2..].iter().take(if name == "src" { 1 } else { 2 }).collect() } else { args[1..].iter().take(if name == "sum" { 2 } else { 1 }).collect() };
        // what the call's date arguments must be, and how to read one
        let (what, ok): (&str, fn(&str) -> bool) = match name.as_str() {
            "at" => ("a date (YYYY-MM-DD)", |w| Date::parse(w).is_some()),
            "flow" | "sum" | "srcsum" => ("a year (YYYY)", |w| parse_year(w).is_some()),
            _ => ("a period (YYYY, YYYY-YYYY, a date or DATE/DATE)", |w| Period::parse(w).is_some()),
        };
        for w in when.iter().filter(|w| !ok(w)) {
            out.push((kind::CLAIM_ERROR, format!("'{w}' in {name}(...) is not {what}")));
        }
        if (name == "sum" || name == "srcsum") && when.len() == 2 {
            if let (Some(a), Some(b)) = (parse_year(when[0]), parse_year(when[1])) {
                if a > b {
                    out.push((kind::CLAIM_ERROR, format!("{name}(...) runs from {a} back to {b}")));
                }
            }
        }
    }
    out
}

/// Series that only the pipeline computes (documented in docs/series.md).
pub const DERIVED_SERIES: &[&str] = &["camps.death_rate", "gulag.death_rate", "gulag.death_rate_custody", "gulag.average_population_implied", "camps.stock_flow_residual"];

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses_and_reports_position() {
        assert!(parse("sum(camps.deaths, 1934, 1953)").is_ok());
        assert!(parse("at(camps.population, 1939-01-01) - at(camps.population, 1938-01-01)").is_ok());
        let e = parse("at(camps.population, 1939-01-01) +").unwrap_err();
        assert_eq!(e.pos, 34);
        let e = parse("foo(x)").unwrap_err();
        assert!(e.message.contains("unknown function"));
        assert!(parse("(1 + 2").is_err());
        assert!(parse("at(a.b)").is_err());
        // deep nesting is an error, not a stack overflow
        assert!(parse(&format!("{}1{}", "(".repeat(60), ")".repeat(60))).is_ok());
        let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(parse(&deep).unwrap_err().message.contains("nested more than 64 deep"));
        assert!(parse(&format!("{}1", "-".repeat(100_000))).is_err());
        // so is a long flat chain, whose tree is as deep as it is long
        assert!(parse(&format!("1{}", "+1".repeat(1000))).is_ok());
        let long = format!("1{}", "+1".repeat(30_000));
        assert!(parse(&long).unwrap_err().message.contains("more than 1000 operators"));
        assert!(parse(&format!("1{}", "*2-3".repeat(600))).is_err());
        // a long tail after the expression is not echoed whole; a non-ASCII one does not panic
        let e = parse(&format!("1 ){}", "x".repeat(10_000))).unwrap_err();
        assert!(e.message.len() < 100, "{}", e.message);
        assert!(parse("1 é").unwrap_err().message.contains("é"));
    }

    #[test]
    fn quoted_arguments_keep_their_commas() {
        let args = |s: &str| match parse(s).unwrap() {
            Expr::Call { args, .. } => args,
            e => panic!("{e:?}"),
        };
        assert_eq!(args("span(nkvd.arrests, 1937-1938, \"factory fire, Turkmenistan\")"), ["nkvd.arrests", "1937-1938", "factory fire, Turkmenistan"]);
        assert_eq!(args("at(x.y, 1945-10-01,\"a (b), c\" )"), ["x.y", "1945-10-01", "a (b), c"]);
        // unquoted arguments are split at commas, as before
        assert_eq!(args("at(x.y, 1945-10-01, a b)"), ["x.y", "1945-10-01", "a b"]);
        let e = parse("at(x.y, 1945-10-01, \"a, b)").unwrap_err();
        assert_eq!(e.pos, 20);
        assert!(e.message.contains("unclosed"), "{}", e.message);
        assert!(parse("at(x.y, 1945-10-01, \"a\" b)").unwrap_err().message.contains("after a quoted argument"));
        assert!(parse("at(x.y, 1945-10-01, \"\")").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn ranges_follow_interval_arithmetic() {
        let env = Env { rec: BTreeMap::new(), obs: &[] };
        let iv = |s: &str| eval_traced(&parse(s).unwrap(), &env, &mut vec![]).unwrap();
        assert_eq!(iv("2 - -3"), Iv::exact(5.0));
        assert_eq!(iv("(1 + 2) * 4 / 2"), Iv::exact(6.0));
        assert!(eval_traced(&parse("1 / (2 - 2)").unwrap(), &env, &mut vec![]).is_err());
        // a figure with a range: terms record it, differences and quotients widen it
        let r = Reconciled { series: "x.y".into(), period: Period::year(1940), category: String::new(), value: 10.0, low: 8.0, high: 12.0, unit: crate::model::Unit::Persons, decimals: 0, n_sources: 2, method: "median".into(), sources: vec!["a".into(), "b".into()], flags: vec![] };
        let mut rec = BTreeMap::new();
        rec.insert(("x.y".to_string(), Period::year(1940), String::new()), &r);
        let env = Env { rec, obs: &[] };
        let mut terms = vec![];
        let v = eval_traced(&parse("100 - flow(x.y, 1940)").unwrap(), &env, &mut terms).unwrap();
        assert_eq!(v, Iv { value: 90.0, low: 88.0, high: 92.0 });
        assert_eq!(terms.len(), 1);
        assert_eq!(terms[0].sources, vec!["a", "b"]);
        let v = eval_traced(&parse("-flow(x.y, 1940) * 2").unwrap(), &env, &mut vec![]).unwrap();
        assert_eq!(v, Iv { value: -20.0, low: -24.0, high: -16.0 });
        let v = eval_traced(&parse("60 / flow(x.y, 1940)").unwrap(), &env, &mut vec![]).unwrap();
        assert_eq!(v, Iv { value: 6.0, low: 5.0, high: 7.5 });
        // a divisor whose range includes zero: unbounded
        let v = eval_traced(&parse("1 / (flow(x.y, 1940) - 9)").unwrap(), &env, &mut vec![]).unwrap();
        assert_eq!((v.value, v.low, v.high), (1.0, f64::NEG_INFINITY, f64::INFINITY));
        // a sum needs every year
        assert!(eval_traced(&parse("sum(x.y, 1940, 1941)").unwrap(), &env, &mut vec![]).unwrap_err().contains("1941-01-01..1941-12-31"));
    }

    #[test]
    fn open_ranges_stay_numbers() {
        use crate::model::{Bound, Evidence, Unit};
        // a "more than 10" count (open above) and an "at most 44 percent" share (open below)
        let row = |s: &str, unit: Unit, v: f64, flag: &str| Reconciled { series: s.into(), period: Period::year(1940), category: String::new(), value: v, low: v, high: v, unit, decimals: 0, n_sources: 1, method: "single-document".into(), sources: vec!["a".into()], flags: vec![flag.into()] };
        let (lo, up) = (row("x.y", Unit::Persons, 10.0, "lower-bound"), row("x.s", Unit::Percent, 44.0, "upper-bound"));
        let mut rec = BTreeMap::new();
        rec.insert(("x.y".to_string(), Period::year(1940), String::new()), &lo);
        rec.insert(("x.s".to_string(), Period::year(1940), String::new()), &up);
        let ob = |v: f64, bound: Bound| Observation { series: "x.y".into(), period: Period::year(1940), category: String::new(), value: v, decimals: 0, rounded_to: 0.0, bound, unit: Unit::Persons, source_id: "r".into(), location: format!("p. {v}"), evidence: Evidence::Printed, note: String::new(), file: String::new(), line: 0, column: 0 };
        let obs = [ob(351.0, Bound::Lower), ob(360.0, Bound::Upper)];
        let env = Env { rec, obs: &obs };
        let iv = |s: &str| eval_traced(&parse(s).unwrap(), &env, &mut vec![]).unwrap();
        // open sides end where a count or a share ends
        assert_eq!(iv("flow(x.y, 1940)"), Iv { value: 10.0, low: 10.0, high: f64::INFINITY });
        assert_eq!(iv("flow(x.s, 1940)"), Iv { value: 44.0, low: 0.0, high: 44.0 });
        assert_eq!(iv("100 - flow(x.s, 1940)"), Iv { value: 56.0, low: 56.0, high: 100.0 });
        // 0 times an open range is 0, never NaN
        let v = iv("0 * (flow(x.y, 1940) - flow(x.y, 1940)) + flow(x.y, 1940)");
        assert!(v.low == 10.0 && v.high == f64::INFINITY, "{v:?}");
        // a source's printed range, entered as its two ends, is the interval between them
        assert_eq!(iv("src(r, x.y, 1940)"), Iv { value: 351.0, low: 351.0, high: 360.0 });
    }
}
