//! Check: evaluate the claims registry against the reconciled series, and the accounting
//! identities (part not above whole, counts against shares, stock-flow) as findings.

use crate::claims::{eval_traced, Claim, Env, Expr, Iv, Term};
use crate::model::{fmt_num, fmt_thousands, fmt_value, Observation, Period, Unit};
use crate::reconcile::Reconciled;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClaimResult {
    pub id: String,
    pub statement: String,
    pub source_id: String,
    pub location: String,
    pub expected: String,
    pub computed: String,
    pub tolerance: String,
    pub status: String,
    #[serde(skip)]
    pub explanation: String,
    #[serde(skip)]
    pub expression: String,
    #[serde(skip)]
    pub why: String,
    /// The range the data allows for the computed value (interval arithmetic over the reconciled
    /// ranges), as text; empty when not evaluable. Shown to people, not exported.
    #[serde(skip)]
    pub range: String,
}

/// The decimals a claim's computed value is shown with: those of its expected figure, or of its
/// tolerance where that is finer, so that the comparison can be read off the figures shown ("5
/// percent" with a tolerance of 0.5 shows 5.35 as 5.3 or 5.4, not as 5; a ratio "doubled", 2 with a
/// tolerance of 0.25, shows 3.50).
fn shown_decimals(c: &Claim) -> usize {
    let t = crate::claims::tolerance_figure(&c.tolerance_text);
    let tol = if t.ends_with('%') { 0 } else { crate::model::parse_figure(t).map_or(0, |(_, d)| d) };
    c.expected_decimals.max(tol)
}

pub fn evaluate(claims: &[Claim], rec: &[Reconciled], obs: &[Observation]) -> Vec<ClaimResult> {
    let env = Env::new(rec, obs);
    let mut out: Vec<ClaimResult> = claims
        .iter()
        .map(|c| {
            let (computed, status, why, range) = match eval_traced(&c.expr, &env, &mut Vec::new()) {
                Ok(iv) => {
                    let v = iv.value;
                    let ok = c.bound.admits(v, c.expected, c.tolerance);
                    let st = if ok { "pass" } else if !c.explanation.is_empty() { "documented" } else { "fail" };
                    let shown = shown_decimals(c);
                    let rd = crate::model::range_decimals(Unit::Percent, iv.low, iv.high, shown);
                    let range = format!("{} to {}", fmt_bound(iv.low, rd), fmt_bound(iv.high, rd));
                    (fmt_num(v, shown), st.to_string(), String::new(), range)
                }
                Err(m) => (String::new(), "not-evaluable".to_string(), m, String::new()),
            };
            ClaimResult {
                id: c.id.clone(),
                statement: c.statement.clone(),
                source_id: c.source_id.clone(),
                location: c.location.clone(),
                expected: fmt_num(c.expected, c.expected_decimals),
                computed,
                tolerance: c.tolerance_text.clone(),
                status,
                explanation: c.explanation.clone(),
                expression: c.expression.clone(),
                why,
                range,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub identity: String,
    pub series: String,
    pub period: String,
    pub message: String,
    /// The reconciled rows (series, period; uncategorised) of the quantities the broken identity
    /// joins, which the pipeline flags `identity-finding` (for an identity broken within one
    /// source's figures, the rows of those quantities).
    #[serde(skip)]
    pub rows: Vec<(String, Period)>,
}

/// Accounting identities over the printed observations (each source on its own) and reconciled rows.
pub fn identities(obs: &[Observation], rec: &[Reconciled], derived: &[Reconciled]) -> Vec<Finding> {
    let mut f = Vec::new();
    let find = |s: &str, p: Period, src: &str| obs.iter().find(|o| o.series == s && o.period == p && o.source_id == src && o.category.is_empty());
    // part not above whole, counts against shares: within each source
    for o in obs.iter().filter(|o| o.category.is_empty() && o.evidence == crate::model::Evidence::Printed) {
        let pairs: &[(&str, &str)] = &[("camps.population", "gulag.population"), ("colonies.population", "gulag.population"), ("gulag.population", "custody.population"), ("camps.counterrevolutionaries", "camps.population")];
        for (part, whole) in pairs {
            if o.series == *part {
                if let Some(w) = find(whole, o.period, &o.source_id) {
                    if o.value > w.value + o.half_unit() + w.half_unit() {
                        f.push(Finding { identity: "part-not-above-whole".into(), series: part.to_string(), period: o.period.start.to_string(), message: format!("{}: {part} {} exceeds {whole} {}", o.source_id, fmt_thousands(o.value), fmt_thousands(w.value)), rows: vec![(part.to_string(), o.period), (whole.to_string(), o.period)] });
                    }
                }
            }
        }
        if o.series == "camps.counterrevolutionaries" {
            if let (Some(sh), Some(pop)) = (find("camps.counterrevolutionaries_share", o.period, &o.source_id), find("camps.population", o.period, &o.source_id)) {
                let implied = sh.value / 100.0 * pop.value;
                let slack = sh.rounding() / 100.0 * pop.value + o.half_unit();
                if (implied - o.value).abs() > slack {
                    f.push(Finding { identity: "count-against-share".into(), series: o.series.clone(), period: o.period.start.to_string(), message: format!("{}: {} counter-revolutionaries, but {}% of {} is {}", o.source_id, fmt_thousands(o.value), fmt_num(sh.value, sh.decimals), fmt_thousands(pop.value), fmt_thousands(implied)), rows: vec![(o.series.clone(), o.period), (sh.series.clone(), o.period)] });
                }
            }
        }
    }
    // reconciled camps within camps + colonies: the population, and the deaths (whose two series
    // come from different documents, so the check within one source cannot see them)
    for (part, whole, what) in [("camps.population", "gulag.population", "camps"), ("camps.deaths", "gulag.deaths", "camp deaths")] {
        for r in rec.iter().filter(|r| r.series == part && r.category.is_empty()) {
            if let Some(w) = rec.iter().chain(derived).find(|w| w.series == whole && w.period == r.period && w.category.is_empty()) {
                if r.value > w.value {
                    f.push(Finding { identity: "part-not-above-whole".into(), series: part.into(), period: r.period.start.to_string(), message: format!("reconciled {what} {} above camps + colonies {} ({})", fmt_thousands(r.value), fmt_thousands(w.value), w.sources.join(";")), rows: vec![(part.to_string(), r.period), (whole.to_string(), w.period)] });
                }
            }
        }
    }
    // printed totals against the sum of their reconciled parts at the same date (camps + colonies;
    // camps + colonies + prisons), beyond the printed precision of the figures that give the values
    let slack = |r: &Reconciled| obs.iter().find(|o| o.series == r.series && o.period == r.period && o.category == r.category && o.value == r.value).map_or(0.0, crate::reconcile::range_slack);
    let get = |s: &str, p: Period| rec.iter().find(|r| r.series == s && r.period == p && r.category.is_empty() && !r.method.starts_with("monte-carlo"));
    for (whole, parts) in [
        ("gulag.population", &["camps.population", "colonies.population"][..]),
        ("custody.population", &["camps.population", "colonies.population", "prisons.population"][..]),
        ("colonies_prisons.population", &["colonies.population", "prisons.population"][..]),
    ] {
        for w in rec.iter().filter(|r| r.series == whole && r.category.is_empty() && r.period.is_instant() && !r.method.starts_with("monte-carlo")) {
            let ps: Vec<&Reconciled> = parts.iter().filter_map(|p| get(p, w.period)).collect();
            if ps.len() != parts.len() {
                continue;
            }
            let sum: f64 = ps.iter().map(|r| r.value).sum();
            let tol = slack(w) + ps.iter().map(|r| slack(r)).sum::<f64>();
            if (w.value - sum).abs() > tol + 1e-9 {
                let named: Vec<String> = ps.iter().map(|r| format!("{} {}", r.series.split('.').next().unwrap_or(""), fmt_thousands(r.value))).collect();
                // the sources that print the total's value (the row may list others, whose figures differ)
                let printers: Vec<&str> = w.sources.iter().map(String::as_str).filter(|s| obs.iter().any(|o| o.series == w.series && o.period == w.period && o.category.is_empty() && o.source_id == *s && o.value == w.value)).collect();
                let rows = std::iter::once((whole.to_string(), w.period)).chain(ps.iter().map(|r| (r.series.clone(), r.period))).collect();
                // (a total whose value no source prints, a median of documents, is named with all its sources)
                let (what, who) = if printers.is_empty() { ("reconciled", w.sources.join(";")) } else { ("printed", printers.join(";")) };
                f.push(Finding { identity: "total-not-sum-of-parts".into(), series: whole.into(), period: w.period.start.to_string(), message: format!("{what} {whole} {} ({who}) against its reconciled parts, {} = {}; difference {}", fmt_thousands(w.value), named.join(" + "), fmt_thousands(sum), fmt_thousands(w.value - sum)), rows });
            }
        }
    }
    f.extend(spans_below_their_parts(rec));
    // stock-flow residuals whose interval excludes zero
    for d in derived.iter().filter(|d| d.series == "camps.stock_flow_residual") {
        if d.low > 0.0 || d.high < 0.0 {
            f.push(Finding { identity: "stock-flow".into(), series: d.series.clone(), period: format!("{}", d.period.start.y), message: format!("population does not follow from the flows: residual {} (95% interval {} to {})", fmt_thousands(d.value), fmt_thousands(d.low), fmt_thousands(d.high)), rows: vec![(d.series.clone(), d.period)] });
        }
    }
    f.sort_by(|a, b| (&a.identity, &a.series, &a.period, &a.message).cmp(&(&b.identity, &b.series, &b.period, &b.message)));
    f.dedup();
    f
}

/// Flows of persons over disjoint periods inside a longer period (or one such flow) cannot add up to
/// more than the longer period's figure (the prison deaths of 1940 and of 1941-1945 against those of 1939-1951).
/// For each reconciled flow, the disjoint set of shorter reconciled flows of the same series within
/// it whose lows add up to the most (weighted interval scheduling) is compared with the span's high:
/// a finding only when even the lows exceed it. A span printed as a lower bound has no high to
/// exceed, and a part printed as an upper bound has no low to count: both are left out, as are the
/// published estimates (each author's own guess, not a count).
fn spans_below_their_parts(rec: &[Reconciled]) -> Vec<Finding> {
    let usable = |r: &&Reconciled| r.category.is_empty() && !r.period.is_instant() && r.unit == Unit::Persons && !r.method.starts_with("monte-carlo") && !r.series.starts_with("estimate.");
    let mut out = Vec::new();
    for w in rec.iter().filter(usable).filter(|w| !w.has_flag("lower-bound")) {
        let mut parts: Vec<&Reconciled> = rec.iter().filter(usable).filter(|r| r.series == w.series && r.period != w.period && r.period.within(&w.period) && !r.has_flag("upper-bound")).collect();
        if parts.is_empty() {
            continue;
        }
        parts.sort_by_key(|r| (r.period.end, r.period.start));
        // best[i]: the largest sum of lows over disjoint parts among the first i, and which
        let mut best: Vec<(f64, Vec<usize>)> = vec![(0.0, Vec::new())];
        for (i, p) in parts.iter().enumerate() {
            let before = parts[..i].iter().rposition(|q| q.period.end < p.period.start).map_or(0, |j| j + 1);
            let take = best[before].0 + p.low;
            let next = if take > best[i].0 { (take, best[before].1.iter().copied().chain([i]).collect()) } else { best[i].clone() };
            best.push(next);
        }
        let (sum, chosen) = &best[parts.len()];
        if *sum > w.high + 1e-9 {
            let named: Vec<String> = chosen.iter().map(|&i| format!("{} {} ({})", parts[i].period.label(), fmt_thousands(parts[i].low), parts[i].sources.join(";"))).collect();
            let rows = std::iter::once((w.series.clone(), w.period)).chain(chosen.iter().map(|&i| (w.series.clone(), parts[i].period))).collect();
            out.push(Finding {
                identity: "parts-above-span".into(),
                series: w.series.clone(),
                period: w.period.start.to_string(),
                message: format!("{} over {}: at most {} ({}), but {} within it {} at least {}: {}", w.series, w.period.label(), fmt_thousands(w.high), w.sources.join(";"), if chosen.len() == 1 { "a flow" } else { "flows" }, if chosen.len() == 1 { "is" } else { "add up to" }, fmt_thousands(*sum), named.join(" + ")),
                rows,
            });
        }
    }
    out
}

/// A non-negative figure with thousands grouped and between `min` and `max` decimals: `max`
/// decimals, then trailing zeros dropped down to `min` (3201.500 to 1 decimal at least: 3,201.5).
fn grouped(v: f64, min: usize, max: usize) -> String {
    let s = fmt_num(v, max);
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut frac = frac.to_string();
    while frac.len() > min && frac.ends_with('0') {
        frac.pop();
    }
    // a difference too small to show once trimmed keeps all its decimals ("0.00", not "0")
    if int.bytes().all(|b| b == b'0') && frac.bytes().all(|b| b == b'0') {
        frac = s.split_once('.').map(|(_, f)| f.to_string()).unwrap_or_default();
    }
    let int = fmt_thousands(int.parse::<f64>().unwrap_or(0.0));
    if frac.is_empty() { int } else { format!("{int}.{frac}") }
}

/// A range bound as text: unbounded, or the figure to the expected value's decimals.
fn fmt_bound(v: f64, decimals: usize) -> String {
    if v.is_infinite() {
        "unbounded".to_string()
    } else {
        fmt_num(v, decimals)
    }
}

/// Text report for people.
pub fn render_text(results: &[ClaimResult], findings: &[Finding]) -> String {
    let mut s = String::new();
    for r in results {
        let mark = match r.status.as_str() {
            "pass" => "PASS",
            "fail" => "FAIL",
            "documented" => "DOC ",
            _ => "N/A ",
        };
        // a one-sided tolerance reads as written ("at least"), a two-sided one as "±50000"
        let tol = if r.tolerance.starts_with("at ") { r.tolerance.clone() } else { format!("±{}", r.tolerance) };
        s.push_str(&format!("{mark} {:<28} expected {:>12}  computed {:>12}  {tol}  {} ({}, {})\n", r.id, r.expected, if r.computed.is_empty() { "-" } else { &r.computed }, r.statement, r.source_id, r.location));
        if r.status == "documented" || r.status == "fail" {
            s.push_str(&format!("     range the data allows: {}\n", r.range));
        }
        if r.status == "documented" {
            s.push_str(&format!("     documented: {}\n", r.explanation));
        }
        if r.status == "not-evaluable" {
            s.push_str(&format!("     not evaluable: {}\n", r.why));
        }
    }
    let count = |st: &str| results.iter().filter(|r| r.status == st).count();
    s.push_str(&format!("\nclaims: {} pass, {} fail, {} documented, {} not-evaluable\n", count("pass"), count("fail"), count("documented"), count("not-evaluable")));
    if !findings.is_empty() {
        s.push_str(&format!("\naccounting identities: {} finding(s)\n", findings.len()));
        for f in findings {
            s.push_str(&format!("  [{}] {} {}: {}\n", f.identity, f.series, f.period, f.message));
        }
    }
    s
}

/// A published figure to compare an evaluation with (`gulagstats eval --expected`).
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub value: f64,
    /// Decimals as written: the computed value is shown to as many.
    pub decimals: usize,
    /// Absolute tolerance, already resolved from a percent if written as such.
    pub tolerance: f64,
    /// Both sides of the figure, or one (`--tolerance "at least"`).
    pub bound: crate::claims::Bound,
    pub tolerance_text: String,
}

/// How an expected figure stands against an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Equal to the computed value within the tolerance.
    Equal,
    /// Not equal, but inside the range the data allows (widened by the tolerance).
    InRange,
    /// Outside the range too.
    Outside,
}

impl Verdict {
    pub fn of(iv: Iv, e: &Expected) -> Verdict {
        use crate::claims::Bound;
        // inside the range: some value the data allows agrees with the statement
        let in_range = match e.bound {
            Bound::Both => e.value >= iv.low - e.tolerance - 1e-9 && e.value <= iv.high + e.tolerance + 1e-9,
            Bound::AtLeast => e.bound.admits(iv.high, e.value, e.tolerance),
            Bound::AtMost => e.bound.admits(iv.low, e.value, e.tolerance),
        };
        if e.bound.admits(iv.value, e.value, e.tolerance) {
            Verdict::Equal
        } else if in_range {
            Verdict::InRange
        } else {
            Verdict::Outside
        }
    }
}

/// An expression of the claims language evaluated on the data, with its range and every figure
/// it used.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub expression: String,
    pub iv: Iv,
    pub terms: Vec<Term>,
    pub expected: Option<Expected>,
    /// Registry claims with the same expression, with their status.
    pub registry: Vec<(String, String)>,
}

impl Evaluation {
    pub fn verdict(&self) -> Option<Verdict> {
        self.expected.as_ref().map(|e| Verdict::of(self.iv, e))
    }
}

/// Evaluate one expression on the analysed data. Err: the figure it needs is missing.
pub fn evaluate_expression(text: &str, expr: &Expr, rec: &[Reconciled], obs: &[Observation], claims: &[ClaimResult], expected: Option<Expected>) -> Result<Evaluation, String> {
    let env = Env::new(rec, obs);
    let mut terms = Vec::new();
    let iv = eval_traced(expr, &env, &mut terms)?;
    // each figure once, in the order first used
    let mut seen = std::collections::BTreeSet::new();
    terms.retain(|t| seen.insert((t.series.clone(), t.period, t.category.clone(), t.sources.clone())));
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let registry = claims.iter().filter(|c| squash(&c.expression) == squash(text)).map(|c| (c.id.clone(), c.status.clone())).collect();
    Ok(Evaluation { expression: text.trim().to_string(), iv, terms, expected, registry })
}

/// Text report of an evaluation, for people.
pub fn render_evaluation(ev: &Evaluation) -> String {
    // a published figure's decimals; else two, or enough for three significant digits of a small value
    let small = |v: f64| if v != 0.0 && v.abs() < 1.0 { ((-v.abs().log10()).ceil() as usize + 2).min(12) } else { 2 };
    let dec = ev.expected.as_ref().map(|e| e.decimals).unwrap_or_else(|| small(ev.iv.value));
    let num = crate::model::fmt_grouped;
    // the ends keep a half unit of the value's decimals (4.75 to 4.85 around 4.8)
    let rd = crate::model::range_decimals(Unit::Percent, ev.iv.low, ev.iv.high, dec);
    let mut s = format!("{} = {}  (range {} to {})\n", ev.expression, num(ev.iv.value, dec), num(ev.iv.low, rd), num(ev.iv.high, rd));
    s.push_str(&format!("figures used ({}):\n", ev.terms.len()));
    for t in &ev.terms {
        let per = t.period.label();
        let cat = if t.category.is_empty() { String::new() } else { format!(" [{}]", t.category) };
        let v = |x: f64, d: usize| fmt_value(t.unit, x, d);
        let rd = crate::model::range_decimals(t.unit, t.iv.low, t.iv.high, t.decimals);
        let range = if t.iv.low == t.iv.high { String::new() } else { format!(" ({} to {})", v(t.iv.low, rd), v(t.iv.high, rd)) };
        let line = format!("  {} {per}{cat}: {}{range}  {}  {}", t.series, v(t.iv.value, t.decimals), t.sources.join(";"), t.flags.join(";"));
        s.push_str(line.trim_end());
        s.push('\n');
    }
    if let Some(e) = &ev.expected {
        let diff = ev.iv.value - e.value;
        // the difference as a percent of the published figure's size, with the difference's sign
        // a difference too small to show at two decimals is written without a sign, not "-0.00%"
        let share = diff / e.value.abs() * 100.0;
        let pct = if e.value == 0.0 { String::new() } else if share.abs() < 0.005 { " (0.00%)".to_string() } else { format!(" ({share:+.2}%)") };
        let sign = if diff > 0.0 { "+" } else if diff < 0.0 { "-" } else { "" };
        let verdict = match Verdict::of(ev.iv, e) {
            Verdict::Equal => match e.bound {
                crate::claims::Bound::Both => format!("equal within ±{}", e.tolerance_text),
                // "at least" or "at least 500": the computed value is on the statement's side
                _ => format!("on the side the statement gives ({})", e.tolerance_text),
            },
            Verdict::InRange => "not equal, but inside the range the data allows".to_string(),
            Verdict::Outside => "outside the range the data allows".to_string(),
        };
        // the difference to up to two more decimals than the expected figure (trailing zeros beyond
        // the expected figure's own decimals dropped), thousands grouped, unless both are whole
        let d = if (diff - diff.round()).abs() < 1e-9 { fmt_thousands(diff.abs()) } else { grouped(diff.abs(), dec, dec + 2) };
        let how = if diff == 0.0 { "the computed value is the same".to_string() } else { format!("computed differs by {sign}{d}{pct}") };
        s.push_str(&format!("expected {}: {how}; {verdict}\n", num(e.value, dec)));
    }
    for (id, status) in &ev.registry {
        s.push_str(&format!("registry: claim {id} has this expression ({status}; `gulagstats check`)\n"));
    }
    s
}

/// An evaluation for programs (`gulagstats eval --format json`): the same content as the text
/// report; an unbounded end of a range is `null`.
pub fn evaluation_json(ev: &Evaluation) -> serde_json::Value {
    // six decimals at most: no binary-float noise (26295 * 1.1 is 28924.500000000004)
    let r6 = |v: f64| (v * 1e6).round() / 1e6;
    let bound = |v: f64| if v.is_finite() { serde_json::json!(r6(v)) } else { serde_json::Value::Null };
    let terms: Vec<serde_json::Value> = ev
        .terms
        .iter()
        .map(|t| {
            serde_json::json!({
                "series": t.series, "period_start": t.period.start.to_string(), "period_end": t.period.end.to_string(),
                "category": t.category, "value": r6(t.iv.value), "low": bound(t.iv.low), "high": bound(t.iv.high), "unit": t.unit.as_str(),
                "sources": t.sources, "flags": t.flags,
            })
        })
        .collect();
    let expected = ev.expected.as_ref().map(|e| {
        let verdict = match Verdict::of(ev.iv, e) {
            Verdict::Equal => "equal",
            Verdict::InRange => "in-range",
            Verdict::Outside => "outside",
        };
        serde_json::json!({"value": e.value, "tolerance": r6(e.tolerance), "bound": e.bound.as_str(), "difference": r6(ev.iv.value - e.value), "verdict": verdict})
    });
    let registry: Vec<serde_json::Value> = ev.registry.iter().map(|(id, st)| serde_json::json!({"id": id, "status": st})).collect();
    serde_json::json!({
        "expression": ev.expression, "status": "evaluated", "value": r6(ev.iv.value), "low": bound(ev.iv.low), "high": bound(ev.iv.high),
        "terms": terms, "expected": expected, "registry": registry,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn differences_are_grouped_and_trimmed() {
        assert_eq!(super::grouped(3201.5, 1, 3), "3,201.5");
        assert_eq!(super::grouped(0.034, 1, 3), "0.034");
        assert_eq!(super::grouped(1234567.25, 0, 2), "1,234,567.25");
        assert_eq!(super::grouped(2.0, 1, 3), "2.0");
        // too small to show once trimmed: all the decimals stay
        assert_eq!(super::grouped(0.000013, 0, 2), "0.00");
        assert_eq!(super::grouped(0.0004, 1, 3), "0.000");
    }

    #[test]
    fn computed_values_are_shown_as_finely_as_the_tolerance() {
        let claim = |expected: &str, tolerance: &str| {
            let (e, d) = crate::model::parse_figure(expected).unwrap();
            let (tol, bound) = crate::claims::parse_tolerance(tolerance, e).unwrap();
            crate::claims::Claim {
                line: 2,
                column: 5,
                id: "x".into(),
                statement: String::new(),
                source_id: String::new(),
                location: String::new(),
                expression: "2".into(),
                expr: crate::claims::parse("2").unwrap(),
                expected: e,
                expected_decimals: d,
                tolerance: tol,
                bound,
                tolerance_text: tolerance.into(),
                explanation: String::new(),
            }
        };
        // "doubled": 2 within 0.25 is judged to hundredths
        assert_eq!(super::shown_decimals(&claim("2", "0.25")), 2);
        // "5 percent" within 0.5: tenths
        assert_eq!(super::shown_decimals(&claim("5", "0.5")), 1);
        // the expected figure's own decimals when the tolerance is coarser or a percent
        assert_eq!(super::shown_decimals(&claim("4.81", "0.5")), 2);
        assert_eq!(super::shown_decimals(&claim("1053829", "1%")), 0);
        assert_eq!(super::shown_decimals(&claim("24.9", "0")), 1);
        // and evaluate shows the computed value so
        let r = super::evaluate(&[claim("3", "0.25")], &[], &[]);
        assert_eq!(r[0].computed, "2.00");
        assert_eq!(r[0].status, "fail");
        // one-sided: 2 is "at least 1" and "at most 3", not "at least 3" nor "at most 1"; the
        // tolerance widens the stated side only
        let status = |e: &str, t: &str| super::evaluate(&[claim(e, t)], &[], &[])[0].status.clone();
        assert_eq!(status("1", "at least"), "pass");
        assert_eq!(status("3", "at most"), "pass");
        assert_eq!(status("3", "at least"), "fail");
        assert_eq!(status("1", "at most"), "fail");
        assert_eq!(status("2.5", "at least 0.5"), "pass");
        assert_eq!(status("2.5", "at least 0.4"), "fail");
        assert_eq!(status("2", "at most"), "pass");
        // and its figure sets the decimals shown as a two-sided tolerance's does
        assert_eq!(super::shown_decimals(&claim("2", "at least 0.25")), 2);
    }
}
