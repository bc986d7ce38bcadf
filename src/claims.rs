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
}

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
                    self.i += 1;
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
                    self.i += 1;
                    let r = self.factor()?;
                    l = Expr::Bin(c as char, Box::new(l), Box::new(r));
                }
                _ => return Ok(l),
            }
        }
    }
    fn factor(&mut self) -> Result<Expr, ParseError> {
        self.ws();
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
                t.parse().map(Expr::Num).map_err(|_| ParseError { pos: st, message: format!("'{t}' is not a number") })
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
    let mut p = Parser { s: s.as_bytes(), i: 0 };
    let e = p.expr()?;
    p.ws();
    if p.i < s.len() {
        return p.err(format!("unexpected '{}' after the expression", &s[p.i..]));
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

/// Evaluation: Ok(value) or Err(what is missing) — a missing figure makes a claim not evaluable.
pub fn eval(e: &Expr, env: &Env) -> Result<f64, String> {
    match e {
        Expr::Num(v) => Ok(*v),
        Expr::Neg(x) => Ok(-eval(x, env)?),
        Expr::Bin(op, a, b) => {
            let (a, b) = (eval(a, env)?, eval(b, env)?);
            Ok(match op {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ => {
                    if b == 0.0 {
                        return Err("division by zero".into());
                    }
                    a / b
                }
            })
        }
        Expr::Call { name, args, .. } => {
            let cat = |i: usize| args.get(i).cloned().unwrap_or_default();
            let get = |s: &str, p: Period, c: &str| env.rec.get(&(s.to_string(), p, c.to_string())).map(|r| r.value).ok_or_else(|| format!("no value of {s} for {}..{}{}", p.start, p.end, if c.is_empty() { String::new() } else { format!(" [{c}]") }));
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
                    let (a, b) = (parse_year(&args[1]).ok_or("bad year")?, parse_year(&args[2]).ok_or("bad year")?);
                    (a..=b).map(|y| get(&args[0], Period::year(y), &cat(3))).sum()
                }
                "src" => {
                    let p = Period::parse(&args[2]).ok_or_else(|| format!("'{}' is not a period", args[2]))?;
                    let c = cat(3);
                    env.obs
                        .iter()
                        .find(|o| o.source_id == args[0] && o.series == args[1] && o.period == p && o.category == c)
                        .map(|o| o.value)
                        .ok_or_else(|| format!("{} prints no {} for {}", args[0], args[1], args[2]))
                }
                "srcsum" => {
                    let (a, b) = (parse_year(&args[2]).ok_or("bad year")?, parse_year(&args[3]).ok_or("bad year")?);
                    let c = cat(4);
                    (a..=b)
                        .map(|y| {
                            env.obs
                                .iter()
                                .find(|o| o.source_id == args[0] && o.series == args[1] && o.period == Period::year(y) && o.category == c)
                                .map(|o| o.value)
                                .ok_or_else(|| format!("{} prints no {} for {y}", args[0], args[1]))
                        })
                        .sum()
                }
                _ => Err(format!("unknown function {name}")),
            }
        }
    }
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
    pub tolerance_text: String,
    pub explanation: String,
}

pub const CLAIM_COLUMNS: &[&str] = &["id", "statement", "source_id", "location", "expression", "expected", "tolerance", "explanation"];

pub fn load(data_dir: &std::path::Path, cat: &crate::ingest::Catalog, diags: &mut Vec<Diagnostic>) -> Vec<Claim> {
    let path = data_dir.join("claims.csv");
    let rel = "data/claims.csv";
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
        let expr = match parse(&cell(4)) {
            Ok(e) => e,
            Err(e) => {
                // column: the cell's column; point into the expression by character offset
                diags.push(Diagnostic::error(rel, r.line, ix(4) + 1, kind::CLAIM_ERROR, format!("claim {id}: at character {} of the expression: {}", e.pos + 1, e.message)));
                continue;
            }
        };
        let mut cs = vec![];
        calls(&expr, &mut cs);
        for (name, args, _) in &cs {
            let by_source = name == "src" || name == "srcsum";
            let s = if by_source { &args[1] } else { &args[0] };
            if !cat.series_known(s) && !s.starts_with("camps.death_rate") && !DERIVED_SERIES.contains(&s.as_str()) {
                diags.push(Diagnostic::error(rel, r.line, ix(4) + 1, kind::UNKNOWN_SERIES, format!("claim {id}: series '{s}' is not in series.csv")));
            }
            if by_source && !cat.sources.contains_key(&args[0]) {
                diags.push(Diagnostic::error(rel, r.line, ix(4) + 1, kind::UNKNOWN_SOURCE, format!("claim {id}: source '{}' is not in sources.csv", args[0])));
            }
        }
        let Some((expected, expected_decimals)) = crate::model::parse_figure(&cell(5)) else {
            diags.push(Diagnostic::error(rel, r.line, ix(5) + 1, kind::NOT_A_NUMBER, format!("claim {id}: expected '{}' is not a number", cell(5))));
            continue;
        };
        let tt = cell(6);
        let tolerance = if let Some(p) = tt.strip_suffix('%') {
            match crate::model::parse_figure(p) {
                Some((v, _)) => expected.abs() * v / 100.0,
                None => {
                    diags.push(Diagnostic::error(rel, r.line, ix(6) + 1, kind::NOT_A_NUMBER, format!("claim {id}: tolerance '{tt}' is not a number or percent")));
                    continue;
                }
            }
        } else {
            match crate::model::parse_figure(&tt) {
                Some((v, _)) => v,
                None => {
                    diags.push(Diagnostic::error(rel, r.line, ix(6) + 1, kind::NOT_A_NUMBER, format!("claim {id}: tolerance '{tt}' is not a number or percent")));
                    continue;
                }
            }
        };
        out.push(Claim { line: r.line, id, statement: cell(1), source_id: cell(2), location: cell(3), expression: cell(4), expr, expected, expected_decimals, tolerance, tolerance_text: tt, explanation: cell(7) });
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
    }
}
