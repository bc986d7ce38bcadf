//! Check: evaluate the claims registry against the reconciled series, and the accounting
//! identities (part not above whole, counts against shares, stock-flow) as findings.

use crate::claims::{eval, Claim, Env};
use crate::model::{fmt_num, fmt_thousands, Observation, Period};
use crate::reconcile::{half_unit, Reconciled};
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
}

pub fn evaluate(claims: &[Claim], rec: &[Reconciled], obs: &[Observation]) -> Vec<ClaimResult> {
    let env = Env::new(rec, obs);
    let mut out: Vec<ClaimResult> = claims
        .iter()
        .map(|c| {
            let (computed, status, why) = match eval(&c.expr, &env) {
                Ok(v) => {
                    let ok = (v - c.expected).abs() <= c.tolerance + 1e-9;
                    let st = if ok { "pass" } else if !c.explanation.is_empty() { "documented" } else { "fail" };
                    (fmt_num(v, c.expected_decimals), st.to_string(), String::new())
                }
                Err(m) => (String::new(), "not-evaluable".to_string(), m),
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
                    if o.value > w.value + half_unit(o) + half_unit(w) {
                        f.push(Finding { identity: "part-not-above-whole".into(), series: part.to_string(), period: o.period.start.to_string(), message: format!("{}: {part} {} exceeds {whole} {}", o.source_id, fmt_thousands(o.value), fmt_thousands(w.value)) });
                    }
                }
            }
        }
        if o.series == "camps.counterrevolutionaries" {
            if let (Some(sh), Some(pop)) = (find("camps.counterrevolutionaries_share", o.period, &o.source_id), find("camps.population", o.period, &o.source_id)) {
                let implied = sh.value / 100.0 * pop.value;
                let slack = sh.rounding() / 100.0 * pop.value + half_unit(o);
                if (implied - o.value).abs() > slack {
                    f.push(Finding { identity: "count-against-share".into(), series: o.series.clone(), period: o.period.start.to_string(), message: format!("{}: {} counter-revolutionaries, but {}% of {} is {}", o.source_id, fmt_thousands(o.value), fmt_num(sh.value, sh.decimals), fmt_thousands(pop.value), fmt_thousands(implied)) });
                }
            }
        }
    }
    // reconciled camps within camps + colonies
    for r in rec.iter().filter(|r| r.series == "camps.population" && r.category.is_empty()) {
        if let Some(w) = rec.iter().chain(derived).find(|w| w.series == "gulag.population" && w.period == r.period && w.category.is_empty()) {
            if r.value > w.value {
                f.push(Finding { identity: "part-not-above-whole".into(), series: "camps.population".into(), period: r.period.start.to_string(), message: format!("reconciled camps {} above camps + colonies {}", fmt_thousands(r.value), fmt_thousands(w.value)) });
            }
        }
    }
    // stock-flow residuals whose interval excludes zero
    for d in derived.iter().filter(|d| d.series == "camps.stock_flow_residual") {
        if d.low > 0.0 || d.high < 0.0 {
            f.push(Finding { identity: "stock-flow".into(), series: d.series.clone(), period: format!("{}", d.period.start.y), message: format!("population does not follow from the flows: residual {} (95% interval {} to {})", fmt_thousands(d.value), fmt_thousands(d.low), fmt_thousands(d.high)) });
        }
    }
    f.sort_by(|a, b| (&a.identity, &a.series, &a.period, &a.message).cmp(&(&b.identity, &b.series, &b.period, &b.message)));
    f.dedup();
    f
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
        s.push_str(&format!("{mark} {:<28} expected {:>12}  computed {:>12}  ±{}  {} ({}, {})\n", r.id, r.expected, if r.computed.is_empty() { "-" } else { &r.computed }, r.tolerance, r.statement, r.source_id, r.location));
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
