//! Typed observations: the canonical long form every stage after ingestion works on.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(y: i32, m: u32, d: u32) -> Option<Date> {
        if (1800..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) {
            Some(Date { y, m, d })
        } else {
            None
        }
    }
    pub fn jan1(y: i32) -> Date {
        Date { y, m: 1, d: 1 }
    }
    pub fn dec31(y: i32) -> Date {
        Date { y, m: 12, d: 31 }
    }
    /// Parse `YYYY-MM-DD` strictly.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        // digits only: "1939-+1-+1" is no date, although "+1" parses as a number
        if !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
            return None;
        }
        let y = s[0..4].parse().ok()?;
        let m = s[5..7].parse().ok()?;
        let d = s[8..10].parse().ok()?;
        Date::new(y, m, d)
    }
    /// Fractional year, for plotting.
    pub fn year_f(&self) -> f64 {
        self.y as f64 + ((self.m - 1) as f64 * 30.44 + (self.d - 1) as f64) / 365.25
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Parse a year label strictly: four digits.
pub fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit()) {
        let y: i32 = s.parse().ok()?;
        if (1800..=2100).contains(&y) {
            return Some(y);
        }
    }
    None
}

/// A period: a stock at an instant (start == end) or a flow over an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub fn instant(d: Date) -> Period {
        Period { start: d, end: d }
    }
    pub fn year(y: i32) -> Period {
        Period { start: Date::jan1(y), end: Date::dec31(y) }
    }
    pub fn years(a: i32, b: i32) -> Period {
        Period { start: Date::jan1(a), end: Date::dec31(b) }
    }
    pub fn is_instant(&self) -> bool {
        self.start == self.end
    }
    /// For people: the date of a stock, `start..end` for a flow.
    pub fn label(&self) -> String {
        if self.is_instant() {
            self.start.to_string()
        } else {
            format!("{}..{}", self.start, self.end)
        }
    }
    /// Does this period lie wholly inside `span`?
    pub fn within(&self, span: &Period) -> bool {
        span.start <= self.start && self.end <= span.end
    }
    /// Parse `YYYY-MM-DD`, `YYYY-MM-DD/YYYY-MM-DD`, `YYYY` (a year's flow) or `YYYY-YYYY`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('/') {
            let (a, b) = (Date::parse(a.trim())?, Date::parse(b.trim())?);
            return if a <= b { Some(Period { start: a, end: b }) } else { None };
        }
        if let Some(d) = Date::parse(s) {
            return Some(Period::instant(d));
        }
        if let Some(y) = parse_year(s) {
            return Some(Period::year(y));
        }
        if let Some((a, b)) = s.split_once('-') {
            let (a, b) = (parse_year(a)?, parse_year(b)?);
            return if a <= b { Some(Period::years(a, b)) } else { None };
        }
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Unit {
    #[serde(rename = "persons")]
    Persons,
    #[serde(rename = "percent")]
    Percent,
    #[serde(rename = "per_1000")]
    Per1000,
    #[serde(rename = "count")]
    Count,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        match s.trim() {
            "persons" => Some(Unit::Persons),
            "percent" => Some(Unit::Percent),
            "per_1000" => Some(Unit::Per1000),
            "count" => Some(Unit::Count),
            _ => None,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Unit::Persons => "persons",
            Unit::Percent => "percent",
            Unit::Per1000 => "per_1000",
            Unit::Count => "count",
        }
    }
    /// Decimals used when the pipeline writes a derived value of this unit.
    pub fn derived_decimals(&self) -> usize {
        match self {
            Unit::Persons | Unit::Count => 0,
            Unit::Percent | Unit::Per1000 => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    Printed,
    Derived,
}

impl Evidence {
    pub fn as_str(&self) -> &'static str {
        match self {
            Evidence::Printed => "printed",
            Evidence::Derived => "derived",
        }
    }
}

/// A printed figure that is a bound, not a value: "more than" (lower) or "did not exceed" (upper).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bound {
    #[default]
    None,
    Lower,
    Upper,
}

impl Bound {
    /// The flag of a reconciled row whose value is such a bound (`lower-bound`, `upper-bound`).
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Bound::None => None,
            Bound::Lower => Some("lower-bound"),
            Bound::Upper => Some("upper-bound"),
        }
    }
    /// The words a reader sees beside such a figure ("at least", "at most").
    pub fn words(self) -> Option<&'static str> {
        match self {
            Bound::None => None,
            Bound::Lower => Some("at least"),
            Bound::Upper => Some("at most"),
        }
    }
    pub fn parse(s: &str) -> Option<Bound> {
        match s {
            "" => Some(Bound::None),
            "lower" => Some(Bound::Lower),
            "upper" => Some(Bound::Upper),
            _ => None,
        }
    }
}

/// One value as a source gives it, remembering the cell it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub series: String,
    pub period: Period,
    pub category: String,
    pub value: f64,
    /// Decimals as printed (for deciding what is rounding and what is a conflict).
    pub decimals: usize,
    /// The unit a whole figure is rounded to where the source prints it rounded ("2,3 million":
    /// 100,000; "some 45,000": 1,000), as the data says in a long table's `rounded_to` column;
    /// 0 for a figure exact to its printed digits.
    pub rounded_to: f64,
    /// Whether the figure is a bound ("more than 1.7 million", "did not exceed 44 percent"), as the
    /// data says in a long table's `bound` column.
    pub bound: Bound,
    pub unit: Unit,
    pub source_id: String,
    pub location: String,
    pub evidence: Evidence,
    pub note: String,
    /// Provenance: the cell (file relative to the data folder, 1-based line and column).
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Observation {
    pub fn key(&self) -> (&str, Period, &str) {
        (&self.series, self.period, &self.category)
    }
    /// Half a unit in the last printed place: how far the true value may be from the printed one.
    pub fn rounding(&self) -> f64 {
        0.5 * 10f64.powi(-(self.decimals as i32))
    }
    /// Half a unit of the printed precision: of the last printed decimal, else of the unit the
    /// data says the figure is rounded to (`rounded_to`), else of the last digit (0.5).
    pub fn half_unit(&self) -> f64 {
        if self.decimals > 0 {
            self.rounding()
        } else if self.rounded_to > 0.0 {
            self.rounded_to / 2.0
        } else {
            0.5
        }
    }
    pub fn value_text(&self) -> String {
        fmt_num(self.value, self.decimals)
    }
    /// What the data says of the figure's precision, as the exports and `conflicts` show it:
    /// `lower bound` / `upper bound`, then `rounded to 100,000`; empty for a figure printed in full.
    pub fn precision_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self.bound.flag().map(|f| f.replace('-', " ")).into_iter().collect();
        if self.rounded_to > 0.0 {
            tags.push(format!("rounded to {}", fmt_grouped(self.rounded_to, 0)));
        }
        tags
    }
}

/// A range's ends rounded outward to the decimals they are written with (`range_decimals`), so that
/// the written range always contains the computed one: a widened 8,011.3 is written 8,012, not 8,011.
pub fn round_outward(unit: Unit, low: f64, high: f64, decimals: usize) -> (f64, f64) {
    if !low.is_finite() || !high.is_finite() {
        return (low, high);
    }
    let s = 10f64.powi(range_decimals(unit, low, high, decimals) as i32);
    // a tolerance of a millionth of a unit keeps 22.65 (2264.9999999 after scaling) where it is
    ((low * s + 1e-6).floor() / s, (high * s - 1e-6).ceil() / s)
}

/// The decimals that show a range's ends as they are: the value's own, or one more where the ends
/// lie half a printed unit away (22.7 percent is 22.65 to 22.75, not "22.6 to
/// 22.8"; 4.8 and 4.81 give 4.75 to 4.85, not "4.8 to 4.8"). Whole counts stay whole, and ends that
/// are no multiple of such a half unit (a Monte Carlo quantile, a relative widening) keep the value's
/// decimals.
pub fn range_decimals(unit: Unit, low: f64, high: f64, decimals: usize) -> usize {
    // a whole count stays whole (a relative widening may end on .5 of a person)
    if matches!(unit, Unit::Persons | Unit::Count) && decimals == 0 {
        return decimals;
    }
    let whole = |x: f64| !x.is_finite() || (x - x.round()).abs() < 1e-6 * x.abs().max(1.0);
    let scale = 10f64.powi(decimals as i32);
    if whole(low * scale * 2.0) && whole(high * scale * 2.0) && !(whole(low * scale) && whole(high * scale)) {
        decimals + 1
    } else {
        decimals
    }
}

/// Fixed formatting of a number with `decimals` places; never `-0`.
pub fn fmt_num(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v);
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A value for people to read: counts of persons or things with thousands separators, others
/// with their printed decimals.
pub fn fmt_value(unit: Unit, v: f64, decimals: usize) -> String {
    if v.is_infinite() {
        return "unbounded".to_string();
    }
    match unit {
        Unit::Persons | Unit::Count => fmt_thousands(v),
        _ => fmt_num(v, decimals),
    }
}

/// Number with thousands separators (for people, in text and charts).
pub fn fmt_thousands(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < -0.5 {
        format!("-{out}")
    } else {
        out
    }
}

/// A number for people to read: thousands grouped, and `decimals` places only where the number
/// has a fraction (1,057,031 but 1,162,734.10); unbounded ends as "unbounded".
pub fn fmt_grouped(v: f64, decimals: usize) -> String {
    if v.is_infinite() {
        return "unbounded".to_string();
    }
    if decimals == 0 || (v - v.round()).abs() < 1e-9 {
        return fmt_thousands(v);
    }
    let s = fmt_num(v, decimals);
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let sign = if int.starts_with('-') { "-" } else { "" };
    let digits: f64 = int.trim_start_matches('-').parse().unwrap_or(0.0);
    format!("{sign}{}.{frac}", fmt_thousands(digits))
}

/// Parse a printed figure: optional '-', digits, optional '.' and digits. Returns value and decimals.
pub fn parse_figure(s: &str) -> Option<(f64, usize)> {
    let t = s.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    if body.is_empty() {
        return None;
    }
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let decimals = match frac {
        Some(f) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => f.len(),
        Some(_) => return None,
        None => 0,
    };
    // no figure of this field has more than 15 digits: a longer one is a slip (and beyond 2^53 it
    // would not even be stored exactly; beyond f64 it would become infinite)
    if int.trim_start_matches('0').len() + decimals > 15 {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| (v, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn no_figure_or_date_out_of_bounds() {
        assert_eq!(parse_figure(&"9".repeat(310)), None);
        assert_eq!(parse_figure("99999999999999999999"), None);
        assert_eq!(parse_figure("999999999999999"), Some((999999999999999.0, 0)));
        assert_eq!(Date::parse("1939-+1-+1"), None);
        assert_eq!(Date::parse("1939-01-01").map(|d| d.to_string()), Some("1939-01-01".to_string()));
    }
    #[test]
    fn grouped_numbers() {
        assert_eq!(fmt_grouped(1057031.0, 2), "1,057,031");
        assert_eq!(fmt_grouped(1162734.1, 2), "1,162,734.10");
        assert_eq!(fmt_grouped(-1234.5, 1), "-1,234.5");
        assert_eq!(fmt_grouped(-0.23, 2), "-0.23");
        assert_eq!(fmt_grouped(f64::NEG_INFINITY, 0), "unbounded");
    }
    #[test]
    fn range_ends_keep_their_half_units() {
        let pc = Unit::Percent;
        assert_eq!(range_decimals(pc, 22.65, 22.75, 1), 2);
        assert_eq!(fmt_num(22.65, range_decimals(pc, 22.65, 22.75, 1)), "22.65");
        assert_eq!(range_decimals(pc, 48.5, 49.5, 0), 1);
        assert_eq!(range_decimals(pc, 12.55, 12.85, 1), 2);
        assert_eq!(range_decimals(pc, 12.6, 12.8, 1), 1);
        // counts stay whole; Monte Carlo quantiles and relative widenings keep the value's decimals
        assert_eq!(range_decimals(Unit::Persons, 45402.5, 45402.5, 0), 0);
        assert_eq!(range_decimals(Unit::Persons, 1500.45, 1500.55, 1), 2);
        assert_eq!(range_decimals(Unit::Per1000, 69.2213, 75.1437, 2), 2);
        assert_eq!(range_decimals(Unit::Per1000, 157.434, 173.821, 2), 2);
        assert_eq!(range_decimals(pc, f64::NEG_INFINITY, 3.0, 0), 0);
    }
    #[test]
    fn figures() {
        assert_eq!(parse_figure("1344408"), Some((1344408.0, 0)));
        assert_eq!(parse_figure("4.81"), Some((4.81, 2)));
        assert_eq!(parse_figure("1 344"), None);
        assert_eq!(parse_figure("1,344"), None);
        assert_eq!(parse_figure("12."), None);
        assert_eq!(parse_figure("abc"), None);
    }
    #[test]
    fn periods() {
        assert_eq!(Period::parse("1921-1953"), Some(Period::years(1921, 1953)));
        assert_eq!(Period::parse("1939-02-30"), None);
        assert!(Period::parse("1939-01-01").unwrap().is_instant());
        assert_eq!(Period::parse("1940-01-01/1939-01-01"), None);
    }
    #[test]
    fn thousands() {
        assert_eq!(fmt_thousands(1344408.0), "1,344,408");
        assert_eq!(fmt_thousands(999.0), "999");
        assert_eq!(fmt_num(-0.0001, 2), "0.00");
    }
}
