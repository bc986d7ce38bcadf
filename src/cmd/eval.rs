use crate::check::{Expected, Verdict};
use crate::error::{Error, Result};
use std::path::PathBuf;

/// Evaluate one expression of the claims language on the data, with its range and the figures it
/// used; with --expected, compare a published figure with it.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// An expression as in data/claims.csv, e.g. "sum(camps.deaths, 1934, 1953)"
    pub expression: String,
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// A published figure to compare with the computed value (shown to as many decimals)
    #[arg(long, allow_hyphen_values = true)]
    pub expected: Option<String>,
    /// How far from the computed value --expected may be and still count as equal: a figure, or
    /// a percent of the expected figure ("0.5%"); "at least" or "at most" (alone or before a
    /// figure) for a one-sided statement ("more than 700,000")
    #[arg(long, default_value = "0", requires = "expected")]
    pub tolerance: String,
    /// text (for people) or json (for programs)
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Exit status: 0 evaluated (and --expected equal or inside the data's range), 1 a figure the
/// expression needs is missing or --expected lies outside the range, 2 a bad expression.
pub fn run(a: &Args) -> Result<i32> {
    let expr = crate::claims::parse(&a.expression).map_err(|e| Error::Usage(format!("at character {} of the expression: {}", e.pos + 1, e.message)))?;
    let expected = match &a.expected {
        None => None,
        Some(t) => {
            let (value, decimals) = crate::model::parse_figure(&without_grouping(t.trim())).ok_or_else(|| Error::Usage(format!("--expected '{t}' is not a number (digits, optional '-', thousands commas and '.')")))?;
            let (tolerance, bound) = crate::claims::parse_tolerance(&a.tolerance, value).ok_or_else(|| Error::Usage(format!("--tolerance '{}' is not {}", a.tolerance, crate::claims::TOLERANCE_FORMS)))?;
            Some(Expected { value, decimals, tolerance, bound, tolerance_text: a.tolerance.trim().to_string() })
        }
    };
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    let problems: Vec<String> = crate::claims::call_problems(&expr, &an.loaded.catalog).into_iter().map(|(_, m)| m).collect();
    if !problems.is_empty() {
        return Err(Error::Usage(problems.join("; ")));
    }
    match crate::check::evaluate_expression(&a.expression, &expr, &an.reconciled, &an.observations, &an.claims, expected) {
        Ok(ev) => {
            crate::output::stdout(&match a.format {
                Format::Text => crate::check::render_evaluation(&ev),
                Format::Json => pretty(&crate::check::evaluation_json(&ev)),
            })?;
            Ok(if ev.verdict() == Some(Verdict::Outside) { 1 } else { 0 })
        }
        Err(m) => {
            crate::output::stdout(&match a.format {
                Format::Text => format!("{}: not evaluable: {m}\n", a.expression.trim()),
                Format::Json => pretty(&serde_json::json!({"expression": a.expression.trim(), "status": "not-evaluable", "why": m})),
            })?;
            Ok(1)
        }
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

/// "1,053,829" -> "1053829": commas between groups of three digits, as figures are printed in
/// English; anything else is left for the figure parser to reject.
fn without_grouping(t: &str) -> String {
    let (int, frac) = t.split_once('.').map_or((t, None), |(a, b)| (a, Some(b)));
    let digits = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = digits.split(',').collect();
    let grouped = groups.len() > 1 && (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3) && groups.iter().all(|g| g.bytes().all(|c| c.is_ascii_digit()));
    if !grouped {
        return t.to_string();
    }
    let mut s = format!("{}{}", if int.starts_with('-') { "-" } else { "" }, groups.concat());
    if let Some(f) = frac {
        s.push('.');
        s.push_str(f);
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouping_commas_only_between_groups_of_three() {
        use super::without_grouping as w;
        assert_eq!(w("1,053,829"), "1053829");
        assert_eq!(w("-3,202.5"), "-3202.5");
        assert_eq!(w("86.7"), "86.7");
        // a decimal comma or a misplaced comma is not grouping: left for the parser to reject
        assert_eq!(w("86,7"), "86,7");
        assert_eq!(w("1,05,3829"), "1,05,3829");
    }
}
