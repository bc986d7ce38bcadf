//! Reconcile: align observations on (series, period, category), choose a value by the rule that
//! `data/reconcile.toml` declares for the series, and give an honest range: the spread of the
//! sources (with their printed rounding) widened by the systematic uncertainty that
//! `data/uncertainty.toml` declares. Conflicts are flagged, never averaged away silently.

use crate::diag::{kind, nth_table_line, read_toml, Diagnostic};
use crate::model::{Bound, Observation, Period, Unit};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    #[serde(default)]
    pub default_method: Option<String>,
    #[serde(default)]
    pub witnesses: Vec<WitnessGroup>,
    #[serde(default)]
    pub series: Vec<SeriesRule>,
    /// Printed values kept in the observations but left out of reconciliation, each with a reason
    /// (a witness's damaged cell, such as digits lost in a reprint).
    #[serde(default)]
    pub exclude: Vec<Exclusion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub source: String,
    pub series: String,
    /// One period, matched exactly ...
    #[serde(default)]
    pub period: String,
    /// ... or every period of the source that lies within this span.
    #[serde(default)]
    pub within: String,
    #[serde(default)]
    pub category: String,
    pub reason: String,
    /// The line of the rule in reconcile.toml (set when read; for diagnostics).
    #[serde(skip)]
    pub line: usize,
}

impl Exclusion {
    /// Does this exclusion name this printed value?
    pub fn matches(&self, o: &Observation) -> bool {
        self.source == o.source_id
            && self.series == o.series
            && self.category == o.category
            && if self.within.is_empty() {
                Period::parse(&self.period) == Some(o.period)
            } else {
                Period::parse(&self.within).is_some_and(|w| o.period.within(&w))
            }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessGroup {
    /// The document the sources witness.
    pub document: String,
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesRule {
    pub series: String,
    /// Limits the rule to the periods of the series inside this span (`1946`, `1930-1939`); a
    /// rule with a span comes before the series' rule without one.
    #[serde(default)]
    pub within: String,
    /// Limits the rule to exactly this period (`1937-1938` as a whole, not the years inside it);
    /// it comes before a rule `within` a span and the series' rule without either.
    #[serde(default)]
    pub period: String,
    /// `preferred` (first source of `prefer` that has a value) or `median` (of independent documents).
    pub method: String,
    #[serde(default)]
    pub prefer: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// The line of the rule in reconcile.toml (set when read; for diagnostics).
    #[serde(skip)]
    pub line: usize,
}

impl SeriesRule {
    /// The periods the rule is limited to, as reports say it: " within 1937-1938", " for
    /// 1937-1938" (that period only), or nothing for the series' general rule.
    pub fn scope(&self) -> String {
        if !self.period.is_empty() {
            format!(" for {}", self.period)
        } else if !self.within.is_empty() {
            format!(" within {}", self.within)
        } else {
            String::new()
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    #[serde(default)]
    pub rule: Vec<UncertaintyRule>,
}

/// A documented systematic uncertainty: widens the range of a series over a span of years.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintyRule {
    pub id: String,
    pub series: String,
    #[serde(default)]
    pub from: Option<i32>,
    #[serde(default)]
    pub to: Option<i32>,
    /// Subtract from the low end / add to the high end (absolute, in the series' unit).
    #[serde(default)]
    pub low_add: f64,
    #[serde(default)]
    pub high_add: f64,
    /// Multiply the low end by (1 - low_rel) and the high end by (1 + high_rel).
    #[serde(default)]
    pub low_rel: f64,
    #[serde(default)]
    pub high_rel: f64,
    pub rationale: String,
    pub citation: String,
    /// The line of the rule's `[[rule]]` header (set when read).
    #[serde(skip)]
    pub line: usize,
}

impl UncertaintyRule {
    pub fn applies(&self, series: &str, p: &Period) -> bool {
        self.series == series && self.from.is_none_or(|f| p.start.y >= f) && self.to.is_none_or(|t| p.end.y <= t)
    }
}

/// Read `reconcile.toml` and `uncertainty.toml`. Besides their syntax, the rules must name known
/// sources and series of the catalog, a source may witness one document only, and an uncertainty
/// rule must widen (never narrow) a range over a valid span, with its rationale and citation.
pub fn load_rules(data_dir: &Path, catalog: &crate::ingest::Catalog, diags: &mut Vec<Diagnostic>) -> (Rules, Uncertainty) {
    let known = |s: &str| catalog.sources.contains_key(s);
    let (rpath, upath) = (data_dir.join("reconcile.toml"), data_dir.join("uncertainty.toml"));
    let rel = crate::ingest::rel_path(data_dir, &rpath);
    let urel = crate::ingest::rel_path(data_dir, &upath);
    let (mut r, text): (Rules, String) = read_toml(&rpath, &rel, diags);
    for (i, x) in r.exclude.iter_mut().enumerate() {
        x.line = nth_table_line(&text, "exclude", i);
    }
    for (i, s) in r.series.iter_mut().enumerate() {
        s.line = nth_table_line(&text, "series", i);
    }
    let (mut u, utext): (Uncertainty, String) = read_toml(&upath, &urel, diags);
    for (i, x) in u.rule.iter_mut().enumerate() {
        x.line = nth_table_line(&utext, "rule", i);
    }
    for (i, x) in u.rule.iter().enumerate() {
        let line = x.line;
        let mut bad = |k: &'static str, msg: String| diags.push(Diagnostic::error(&urel, line, 1, k, format!("uncertainty rule '{}': {msg}", x.id)));
        if !catalog.series_known(&x.series) {
            bad(kind::UNKNOWN_SERIES, format!("series '{}' is not in series.csv", x.series));
        }
        if let (Some(a), Some(b)) = (x.from, x.to) {
            if a > b {
                bad(kind::CONFIG_ERROR, format!("from {a} is after to {b}"));
            }
        }
        let amounts = [x.low_rel, x.high_rel, x.low_add, x.high_add];
        // amounts added are bounded like the figures of the data (at most 15 digits, below 1e12 here):
        // an end of 1e308 would overflow to infinity in the charts' axes
        if !(0.0..1.0).contains(&x.low_rel) || !(0.0..=10.0).contains(&x.high_rel) || !amounts.iter().all(|a| a.is_finite() && *a >= 0.0 && *a < 1e12) {
            bad(kind::CONFIG_ERROR, "a rule widens a range: low_rel must be at least 0 and below 1, high_rel from 0 to 10, low_add and high_add at least 0 and below 1e12".to_string());
        } else if amounts.iter().all(|a| *a == 0.0) {
            bad(kind::CONFIG_ERROR, "all four amounts are 0: the rule would do nothing".to_string());
        }
        // one id may name one assumption over several series, but not twice over the same one
        if u.rule[..i].iter().any(|o| o.id == x.id && o.series == x.series) {
            bad(kind::CONFIG_ERROR, format!("another rule with this id widens {} already: it would be applied twice", x.series));
        }
        if x.from.is_some_and(|y| !(1800..=2100).contains(&y)) || x.to.is_some_and(|y| !(1800..=2100).contains(&y)) {
            bad(kind::CONFIG_ERROR, "from and to are years between 1800 and 2100".to_string());
        }
        if x.id.trim().is_empty() || x.rationale.trim().is_empty() || x.citation.trim().is_empty() {
            bad(kind::CONFIG_ERROR, "id, rationale and citation are required".to_string());
        }
    }
    // an error in the i-th [[table]] of reconcile.toml, reported at that table's header line
    let at = |i: usize, table: &str, k: &'static str, msg: String| Diagnostic::error(&rel, nth_table_line(&text, table, i), 1, k, msg);
    let err = |i: usize, table: &str, msg: String| at(i, table, kind::CONFIG_ERROR, msg);
    for (i, x) in r.exclude.iter().enumerate() {
        if !catalog.series_known(&x.series) {
            diags.push(at(i, "exclude", kind::UNKNOWN_SERIES, format!("exclude: series '{}' is not in series.csv", x.series)));
        }
        if !known(&x.source) {
            diags.push(at(i, "exclude", kind::UNKNOWN_SOURCE, format!("exclude: source '{}' is not in sources.csv", x.source)));
        }
        match (x.period.is_empty(), x.within.is_empty()) {
            (false, true) if Period::parse(&x.period).is_none() => {
                diags.push(err(i, "exclude", format!("exclude: '{}' is not a period", x.period)));
            }
            (true, false) if Period::parse(&x.within).is_none() => {
                diags.push(err(i, "exclude", format!("exclude: within '{}' is not a period", x.within)));
            }
            (false, false) | (true, true) => {
                diags.push(err(i, "exclude", format!("exclude {} {}: set exactly one of period and within", x.source, x.series)));
            }
            _ => {}
        }
        if x.reason.trim().is_empty() {
            diags.push(err(i, "exclude", format!("exclude {} {} {}{}: a reason is required", x.source, x.series, x.period, x.within)));
        }
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, w) in r.witnesses.iter().enumerate() {
        if w.sources.is_empty() || w.document.trim().is_empty() {
            diags.push(err(i, "witnesses", "a witness group needs the document it witnesses and its sources".to_string()));
        }
        if r.witnesses[..i].iter().any(|o| o.document == w.document) {
            diags.push(err(i, "witnesses", format!("document '{}' has a witness group already: one group per document", w.document)));
        }
        for src in &w.sources {
            if !known(src) {
                diags.push(at(i, "witnesses", kind::UNKNOWN_SOURCE, format!("witnesses '{}': source '{src}' is not in sources.csv", w.document)));
            }
            if let Some(other) = seen.insert(src, &w.document) {
                diags.push(err(i, "witnesses", format!("source '{src}' witnesses two documents: '{other}' and '{}'", w.document)));
            }
        }
    }
    for (i, s) in r.series.iter().enumerate() {
        if !catalog.series_known(&s.series) {
            diags.push(at(i, "series", kind::UNKNOWN_SERIES, format!("series rule: series '{}' is not in series.csv", s.series)));
        }
        for src in s.prefer.iter().filter(|p| !known(p)) {
            diags.push(at(i, "series", kind::UNKNOWN_SOURCE, format!("series '{}': preferred source '{src}' is not in sources.csv", s.series)));
        }
        if !s.within.is_empty() && Period::parse(&s.within).is_none() {
            diags.push(err(i, "series", format!("series '{}': within '{}' is not a period", s.series, s.within)));
        }
        if !s.period.is_empty() && Period::parse(&s.period).is_none() {
            diags.push(err(i, "series", format!("series '{}': period '{}' is not a period", s.series, s.period)));
        }
        if !s.period.is_empty() && !s.within.is_empty() {
            diags.push(err(i, "series", format!("series '{}': set period or within, not both", s.series)));
        }
        if !matches!(s.method.as_str(), "preferred" | "median") {
            diags.push(err(i, "series", format!("series '{}': method '{}' is not preferred or median", s.series, s.method)));
        }
        // a rule that would silently do something else than it says
        if s.method == "preferred" && s.prefer.is_empty() {
            diags.push(err(i, "series", format!("series '{}': method preferred needs a prefer list", s.series)));
        }
        if s.method == "median" && !s.prefer.is_empty() {
            diags.push(err(i, "series", format!("series '{}': prefer is read only with method = \"preferred\"", s.series)));
        }
        if r.series[..i].iter().any(|o| o.series == s.series && o.within == s.within && o.period == s.period) {
            diags.push(err(i, "series", format!("series '{}' has a rule{} already; this one would never apply", s.series, s.scope())));
        }
    }
    if let Some(m) = r.default_method.as_deref().filter(|m| *m != "median") {
        let line = text.lines().position(|l| l.trim_start().starts_with("default_method")).map_or(1, |i| i + 1);
        let why = if m == "preferred" { "preferred needs a prefer list, which only a [[series]] rule has" } else { "it is not median" };
        diags.push(Diagnostic::error(&rel, line, 1, kind::CONFIG_ERROR, format!("default_method '{m}': {why}")));
    }
    (r, u)
}

/// Rules that name no printed value would silently do nothing (a typo in a period or a source):
/// an exclusion must match at least one observation, and a series rule at least one observation
/// of its series within its span. Errors at the rule's line in reconcile.toml.
/// Uncertainty rules that widen no reconciled row of printed values (a year typo, a span without
/// data, a series with category rows only): errors at the rule, since they would do nothing.
pub fn unmatched_uncertainty(data_dir: &Path, unc: &Uncertainty, obs: &[Observation]) -> Vec<Diagnostic> {
    let rel = crate::ingest::rel_path(data_dir, &data_dir.join("uncertainty.toml"));
    unc.rule
        .iter()
        .filter(|r| !obs.iter().any(|o| o.category.is_empty() && r.applies(&o.series, &o.period)))
        .map(|r| Diagnostic::error(&rel, r.line, 1, kind::CONFIG_ERROR, format!("uncertainty rule '{}': no printed value of {} without a category lies in its span, so it would widen nothing", r.id, r.series)))
        .collect()
}

pub fn unmatched_rules(data_dir: &Path, rules: &Rules, obs: &[Observation]) -> Vec<Diagnostic> {
    let rel = crate::ingest::rel_path(data_dir, &data_dir.join("reconcile.toml"));
    let mut out = vec![];
    for x in rules.exclude.iter().filter(|x| !obs.iter().any(|o| x.matches(o))) {
        let what = if x.within.is_empty() { format!("period {}", x.period) } else { format!("within {}", x.within) };
        let cat = if x.category.is_empty() { String::new() } else { format!(" [{}]", x.category) };
        out.push(Diagnostic::error(&rel, x.line, 1, kind::CONFIG_ERROR, format!("exclude: {} prints no {}{cat} for {what}; the rule would leave nothing out", x.source, x.series)));
    }
    for s in &rules.series {
        let span = Period::parse(&s.within);
        let exact = Period::parse(&s.period);
        if !obs.iter().any(|o| o.series == s.series && span.is_none_or(|w| o.period.within(&w)) && exact.is_none_or(|p| o.period == p)) {
            out.push(Diagnostic::error(&rel, s.line, 1, kind::CONFIG_ERROR, format!("series rule: no source prints {}{}; the rule would choose nothing", s.series, s.scope())));
        }
    }
    out
}


#[derive(Debug, Clone, PartialEq)]
pub struct Reconciled {
    pub series: String,
    pub period: Period,
    pub category: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub unit: Unit,
    pub decimals: usize,
    pub n_sources: usize,
    pub method: String,
    pub sources: Vec<String>,
    pub flags: Vec<String>,
}

impl Reconciled {
    pub fn flags_text(&self) -> String {
        self.flags.join(";")
    }
    /// Does the row carry this flag (a whole word of `flags`, not a part of one)?
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
    /// The decimals for `low` and `high` (see `model::range_decimals`).
    pub fn range_decimals(&self) -> usize {
        crate::model::range_decimals(self.unit, self.low, self.high, self.decimals)
    }
}

impl Rules {
    /// The witness group a source belongs to, if any.
    pub fn group_of(&self, source: &str) -> Option<&WitnessGroup> {
        self.witnesses.iter().find(|w| w.sources.iter().any(|x| x == source))
    }
    /// The document a source witnesses: its group's document, or the source itself.
    pub fn document_of(&self, source: &str) -> String {
        self.group_of(source).map_or_else(|| source.to_string(), |w| w.document.clone())
    }
    /// A source's place in its witness group's order of trust (0 for the first, and for a source
    /// in no group): the first witness present gives the document's value.
    pub fn witness_rank(&self, source: &str) -> usize {
        self.group_of(source).and_then(|w| w.sources.iter().position(|x| x == source)).unwrap_or(0)
    }
    /// Whether two documents among these printed figures disagree beyond printed precision, each
    /// document by its first copy present in the order of its witness group (the copy that gives
    /// its value); witnesses left out of reconciliation take no part. Copies of one document that
    /// differ are a witness variant, not a disagreement between documents.
    pub fn documents_disagree(&self, obs: &[&Observation]) -> bool {
        let mut by_doc: BTreeMap<String, Vec<&Observation>> = BTreeMap::new();
        for &o in obs.iter().filter(|o| self.exclusion_for(o).is_none()) {
            by_doc.entry(self.document_of(&o.source_id)).or_default().push(o);
        }
        let primaries: Vec<&Observation> = by_doc.values().map(|v| self.primary(v)).collect();
        primaries.iter().enumerate().any(|(i, a)| primaries[i + 1..].iter().any(|b| disagree(a, b)))
    }
    /// The copy that gives a document's value: the first of its copies in the order of its witness
    /// group (the first listed, among copies of equal rank). `copies` is never empty.
    pub fn primary<'a>(&self, copies: &[&'a Observation]) -> &'a Observation {
        copies.iter().enumerate().min_by_key(|(i, o)| (self.witness_rank(&o.source_id), *i)).map(|(_, o)| *o).expect("a document has a copy")
    }
    /// The `[[series]]` rule for a period of a series: the first whose span holds the period, else
    /// the first without a span.
    pub fn series_rule(&self, series: &str, p: Period) -> Option<&SeriesRule> {
        let inside = |w: &str| Period::parse(w).is_some_and(|w| p.within(&w));
        let mut rules = self.series.iter().filter(|r| r.series == series);
        rules
            .clone()
            .find(|r| !r.period.is_empty() && Period::parse(&r.period) == Some(p))
            .or_else(|| rules.clone().find(|r| !r.within.is_empty() && inside(&r.within)))
            .or_else(|| rules.find(|r| r.within.is_empty() && r.period.is_empty()))
    }
    /// The exclusion that leaves this printed value out of reconciliation, if any.
    pub fn exclusion_for(&self, o: &Observation) -> Option<&Exclusion> {
        self.exclude.iter().find(|x| x.matches(o))
    }
    /// The category of the reconciled row an observation belongs to. Published estimates are
    /// opinions, not counts: each author's figure stays its own row (the category names the author,
    /// the first source of the author's witness group), so no median of two authors is ever
    /// presented as a value.
    pub fn row_category(&self, o: &Observation) -> String {
        if o.series.starts_with("estimate.") {
            let author = self.group_of(&o.source_id).map_or(o.source_id.as_str(), |w| w.sources[0].as_str());
            if o.category.is_empty() { author.to_string() } else { format!("{}; {author}", o.category) }
        } else {
            o.category.clone()
        }
    }
    /// Every printed or derived observation behind a reconciled row, excluded witnesses included,
    /// in the order of the observations.
    pub fn observations_of<'a>(&self, obs: &'a [Observation], r: &Reconciled) -> Vec<&'a Observation> {
        obs.iter().filter(|o| o.series == r.series && o.period == r.period && self.row_category(o) == r.category).collect()
    }
}

/// How far the true value may lie from a printed one: nothing for an exact printed count (persons
/// or a number of things, printed to the unit and not rounded), half a unit of the last printed
/// digit for a percent or a rate (a "24 percent" is 23.5 to 24.5) and for any figure with
/// decimals, or half the unit a rounded figure is rounded to (`rounded_to` in the data).
pub fn range_slack(o: &Observation) -> f64 {
    let count = matches!(o.unit, Unit::Persons | Unit::Count);
    if count && o.decimals == 0 && o.rounded_to <= 1.0 {
        0.0
    } else {
        o.half_unit()
    }
}

/// The values a printed figure allows: its rounding on either side, open above for a lower bound
/// ("more than 1.7 million") and below for an upper bound ("did not exceed 44 percent").
pub fn allowed(o: &Observation) -> (f64, f64) {
    let s = range_slack(o);
    match o.bound {
        Bound::None => (o.value - s, o.value + s),
        Bound::Lower => (o.value - s, f64::INFINITY),
        Bound::Upper => (f64::NEG_INFINITY, o.value + s),
    }
}

/// Whether two printed figures disagree: no value is allowed by both (two exact counts that
/// differ by a single person disagree; 4.8 and 4.81 percent do not; "more than 260,000" and
/// 262,000 do not).
pub fn disagree(a: &Observation, b: &Observation) -> bool {
    let (alo, ahi) = allowed(a);
    let (blo, bhi) = allowed(b);
    ahi + 1e-9 < blo || bhi + 1e-9 < alo
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

pub fn reconcile(obs: &[Observation], rules: &Rules, unc: &Uncertainty) -> Vec<Reconciled> {
    let doc_of = |s: &str| rules.document_of(s);
    let mut excluded_keys: std::collections::BTreeSet<(String, Period, String)> = Default::default();
    let mut groups: BTreeMap<(String, Period, String), Vec<&Observation>> = BTreeMap::new();
    for o in obs {
        // printed total rows over a span are observations too; estimates are one row per author
        let category = rules.row_category(o);
        if rules.exclusion_for(o).is_some() {
            excluded_keys.insert((o.series.clone(), o.period, category));
            continue;
        }
        groups.entry((o.series.clone(), o.period, category)).or_default().push(o);
    }
    let mut out = Vec::new();
    for ((series, period, category), os) in groups {
        // collapse exact duplicates from one source (the same figure printed twice)
        let mut per_source: BTreeMap<&str, Vec<&Observation>> = BTreeMap::new();
        for o in &os {
            per_source.entry(o.source_id.as_str()).or_default().push(o);
        }
        let mut flags = Vec::new();
        // conflict: two values further apart than their printed precision allows (two exact
        // counts that differ by a single person disagree; 4.8 and 4.81 percent do not)
        let mut conflict = false;
        for (i, a) in os.iter().enumerate() {
            for b in &os[i + 1..] {
                if disagree(a, b) {
                    conflict = true;
                }
            }
        }
        // a document's value is its first-listed witness present (the primary copy); a reprint that
        // differs is a variant, flagged, never averaged into the document's value
        let mut docs: BTreeMap<String, f64> = BTreeMap::new();
        // each document's printed precision (of the witness that gives its value)
        let mut doc_half: BTreeMap<String, f64> = BTreeMap::new();
        let mut by_doc: BTreeMap<String, Vec<&Observation>> = BTreeMap::new();
        for o in &os {
            by_doc.entry(doc_of(&o.source_id)).or_default().push(o);
        }
        // the bound a document's value is ("more than ..."), where it is one
        let mut doc_bound: BTreeMap<String, Bound> = BTreeMap::new();
        // every bound the primary copy of a document prints: a printed range is a "more than" and
        // an "at most" row of one source, and both ends say where the value lies
        let mut primary_bounds: Vec<&Observation> = Vec::new();
        for (d, v) in by_doc {
            let first = rules.primary(&v);
            primary_bounds.extend(v.iter().filter(|o| o.source_id == first.source_id && o.bound != Bound::None).copied());
            if v.iter().any(|o| disagree(o, first)) {
                flags.push("witness-variant".to_string());
            }
            doc_half.insert(d.clone(), first.half_unit());
            doc_bound.insert(d.clone(), first.bound);
            docs.insert(d, first.value);
        }
        // a bound says where the value lies, not what it is: where a document gives the value
        // itself, the bounds of the others agree or conflict but take no part in the value (nor in
        // its range unless they conflict)
        let valued = |d: &String| doc_bound[d] == Bound::None;
        let any_valued = docs.keys().any(valued);
        let gives_value = |d: &String| !any_valued || valued(d);
        if any_valued {
            for (d, h) in doc_half.iter_mut() {
                if !valued(d) {
                    *h = f64::INFINITY;
                }
            }
        } else {
            for b in [Bound::Lower, Bound::Upper] {
                if let Some(word) = b.flag().filter(|_| primary_bounds.iter().any(|o| o.bound == b)) {
                    flags.push(word.to_string());
                }
            }
        }
        let rule = rules.series_rule(&series, period);
        let method = rule.map(|r| r.method.clone()).or_else(|| rules.default_method.clone()).unwrap_or_else(|| "median".into());
        // a preferred source present gives the value; where none of them is, the median rule does
        // (never an arbitrary first value labelled as preferred)
        let prefer = rule.filter(|_| method == "preferred").map(|r| r.prefer.as_slice()).unwrap_or_default();
        let chosen = prefer.iter().find_map(|p| os.iter().find(|o| &o.source_id == p));
        // where only bounds are printed by several documents, the tightest says the most: the
        // highest "more than", the lowest "at most"; lower and upper bounds together leave the
        // interval between them
        let tightest = |b: Bound| {
            let vs = primary_bounds.iter().filter(|o| o.bound == b).map(|o| o.value);
            if b == Bound::Lower { vs.fold(f64::NEG_INFINITY, f64::max) } else { vs.fold(f64::INFINITY, f64::min) }
        };
        // (one document printing a range is bounds only too: its two ends, not its first row)
        let bounds_only = !any_valued && (docs.len() > 1 || primary_bounds.len() > 1) && chosen.is_none();
        let (lo_b, hi_b) = (tightest(Bound::Lower), tightest(Bound::Upper));
        // where documents agree and the most precise gives the value, the rounder ones ("about 2.5
        // million" beside 2,472,247) say nothing the precise one does not: the range is the precise
        // documents' (as a bound that agrees stays out of it)
        let mut precise_only: Option<(Vec<String>, f64)> = None;
        let (value, method_name, decimals) = if let Some(c) = chosen {
            // a preferred figure that is a bound says so
            if let Some(word) = c.bound.flag().filter(|w| !flags.iter().any(|f| f == w)) {
                flags.push(word.to_string());
            }
            (c.value, format!("preferred:{}", c.source_id), c.decimals)
        } else if bounds_only {
            let d = os.iter().map(|o| o.decimals).max().unwrap_or(0);
            match (lo_b.is_finite(), hi_b.is_finite()) {
                (true, false) => (lo_b, "tightest-bound".to_string(), d),
                (false, true) => (hi_b, "tightest-bound".to_string(), d),
                _ => ((lo_b + hi_b) / 2.0, "between-bounds".to_string(), d),
            }
        } else {
            let d = os.iter().map(|o| o.decimals).max().unwrap_or(0);
            // documents that agree within their printed precision: the most precise one gives the value
            // (207,010 over a rounded "207,000"), so the value is a printed figure, not a midpoint
            let finest = doc_half.values().cloned().fold(f64::INFINITY, f64::min);
            let precise: Vec<&String> = doc_half.iter().filter(|(_, h)| **h <= finest + 1e-12).map(|(k, _)| k).collect();
            if !conflict && docs.len() > 1 && precise.len() < docs.len() {
                precise_only = Some((precise.iter().map(|k| (*k).clone()).collect(), finest));
                let mut meds: Vec<f64> = precise.iter().map(|k| docs[*k]).collect();
                (median(&mut meds), "most-precise-document".to_string(), d)
            } else {
                let mut meds: Vec<f64> = docs.iter().filter(|(d, _)| gives_value(d)).map(|(_, v)| *v).collect();
                (median(&mut meds), if docs.len() > 1 { "median-of-documents".to_string() } else { "single-document".to_string() }, d)
            }
        };
        // the range spans every figure that gives the value (a bound left out of the value stays
        // out of the range unless it disagrees, so that a conflict stays visible)
        // where only bounds are printed, the range is the tightest bounds' rounding (a "more than
        // 1,000" beside a "more than 1,500" adds nothing)
        let tight = |o: &Observation| match o.bound {
            Bound::Lower => o.value >= lo_b,
            Bound::Upper => o.value <= hi_b,
            Bound::None => true,
        };
        // (and of those only the copies printed as finely: a rounded reprint of the precise
        // document says no more than a rounded document does)
        let precise_doc = |o: &Observation| precise_only.as_ref().is_none_or(|(p, finest)| p.contains(&doc_of(&o.source_id)) && o.half_unit() <= finest + 1e-12);
        let in_range = |o: &&&Observation| (gives_value(&doc_of(&o.source_id)) && (!bounds_only || tight(o)) && precise_doc(o)) || conflict;
        let mut low = os.iter().filter(in_range).map(|o| o.value - range_slack(o)).fold(f64::INFINITY, f64::min);
        let mut high = os.iter().filter(in_range).map(|o| o.value + range_slack(o)).fold(f64::NEG_INFINITY, f64::max);
        low = low.min(value);
        high = high.max(value);
        for r in unc.rule.iter().filter(|r| category.is_empty() && r.applies(&series, &period)) {
            // relative to the size of each end, so that a negative end (a change) widens too
            low = if low >= 0.0 { low * (1.0 - r.low_rel) } else { low * (1.0 + r.low_rel) } - r.low_add;
            high = if high >= 0.0 { high * (1.0 + r.high_rel) } else { high * (1.0 - r.high_rel) } + r.high_add;
            flags.push(format!("uncertainty:{}", r.id));
        }
        let unit = os[0].unit;
        // a widened range does not cross the bounds the printed values keep to (counts and shares
        // are not negative; shares not above 100); changes, which may be negative, are not clipped
        if os.iter().all(|o| o.value >= 0.0) {
            low = low.max(0.0);
        }
        if unit == Unit::Percent && os.iter().all(|o| o.value <= 100.0) {
            high = high.min(100.0);
        }
        let (low, high) = crate::model::round_outward(unit, low, high, decimals);
        if conflict {
            flags.insert(0, "conflict".into());
        }
        if excluded_keys.contains(&(series.clone(), period, category.clone())) {
            flags.push("witness-excluded".into());
        }
        if docs.len() == 1 {
            flags.insert(0, "single-source".into());
        }
        let sources: Vec<String> = per_source.keys().map(|s| s.to_string()).collect();
        out.push(Reconciled {
            series,
            period,
            category,
            value,
            low,
            high,
            unit,
            decimals,
            n_sources: sources.len(),
            method: method_name,
            sources,
            flags,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::disagree;
    use crate::model::{Bound, Evidence, Observation, Period, Unit};

    /// The same figure, printed by source `s`.
    fn src(mut o: Observation, s: &str) -> Observation {
        o.source_id = s.into();
        o
    }

    fn obs(value: f64, rounded_to: f64, bound: Bound) -> Observation {
        Observation { series: "x.y".into(), period: Period::year(1940), category: String::new(), value, decimals: 0, rounded_to, bound, unit: Unit::Persons, source_id: "s".into(), location: "p. 1".into(), evidence: Evidence::Printed, note: String::new(), file: String::new(), line: 0, column: 0 }
    }

    #[test]
    fn figures_disagree_beyond_their_rounding_and_bounds() {
        use Bound::*;
        // exact counts one person apart disagree; a rounded figure covers half its unit
        assert!(disagree(&obs(1500524.0, 0.0, None), &obs(1500525.0, 0.0, None)));
        assert!(!disagree(&obs(2300000.0, 100000.0, None), &obs(2349999.0, 0.0, None)));
        assert!(disagree(&obs(2300000.0, 100000.0, None), &obs(2350001.0, 0.0, None)));
        // "more than 260,000" allows 262,000 but not 250,000; "did not exceed" the other way
        assert!(!disagree(&obs(260000.0, 0.0, Lower), &obs(262000.0, 0.0, None)));
        assert!(disagree(&obs(260000.0, 0.0, Lower), &obs(250000.0, 0.0, None)));
        assert!(!disagree(&obs(44.0, 0.0, Upper), &obs(40.0, 0.0, None)));
        assert!(disagree(&obs(44.0, 0.0, Upper), &obs(45.0, 0.0, None)));
        // two lower bounds never disagree; a lower above an upper does
        assert!(!disagree(&obs(10.0, 0.0, Lower), &obs(900.0, 0.0, Lower)));
        assert!(disagree(&obs(900.0, 0.0, Lower), &obs(10.0, 0.0, Upper)));
    }

    #[test]
    fn a_round_figure_that_agrees_does_not_widen_the_finer_ones_range() {
        let (rules, unc) = (super::Rules::default(), super::Uncertainty::default());
        // 2,472,247 to the person and "about 2.5 million": the count gives the value and the range
        let r = super::reconcile(&[src(obs(2472247.0, 0.0, Bound::None), "a"), src(obs(2500000.0, 100000.0, Bound::None), "b")], &rules, &unc);
        assert_eq!((r[0].value, r[0].low, r[0].high, r[0].method.as_str()), (2472247.0, 2472247.0, 2472247.0, "most-precise-document"));
        // a round figure that conflicts stays in the range, so that the conflict shows
        let r = super::reconcile(&[src(obs(2472247.0, 0.0, Bound::None), "a"), src(obs(2700000.0, 100000.0, Bound::None), "b")], &rules, &unc);
        assert!(r[0].has_flag("conflict") && r[0].high >= 2750000.0, "{:?}", r[0]);
        // nor does a rounded reprint of the precise document
        let g: super::Rules = toml::from_str("[[witnesses]]\ndocument = \"A\"\nsources = [\"a\", \"a2\"]\n").unwrap();
        let r = super::reconcile(&[src(obs(2472247.0, 0.0, Bound::None), "a"), src(obs(2500000.0, 100000.0, Bound::None), "a2"), src(obs(2500000.0, 100000.0, Bound::None), "b")], &g, &unc);
        assert_eq!((r[0].low, r[0].high), (2472247.0, 2472247.0), "{:?}", r[0]);
    }

    #[test]
    fn a_printed_range_of_one_source_is_both_its_ends() {
        let (rules, unc) = (super::Rules::default(), super::Uncertainty::default());
        // "351,000 - 360,000", entered as a lower and an upper row, in either order
        for rows in [[(351000.0, Bound::Lower), (360000.0, Bound::Upper)], [(360000.0, Bound::Upper), (351000.0, Bound::Lower)]] {
            let os: Vec<Observation> = rows.iter().map(|(v, b)| src(obs(*v, 0.0, *b), "s")).collect();
            let r = super::reconcile(&os, &rules, &unc);
            assert_eq!((r[0].value, r[0].low, r[0].high, r[0].method.as_str()), (355500.0, 351000.0, 360000.0, "between-bounds"), "{:?}", r[0]);
            assert!(r[0].has_flag("lower-bound") && r[0].has_flag("upper-bound"), "{:?}", r[0]);
        }
        // beside another document's lower bound, the range's upper end still holds
        let r = super::reconcile(&[src(obs(351000.0, 0.0, Bound::Lower), "s"), src(obs(360000.0, 0.0, Bound::Upper), "s"), src(obs(340000.0, 0.0, Bound::Lower), "t")], &rules, &unc);
        assert!(r[0].has_flag("upper-bound") && r[0].high == 360000.0, "{:?}", r[0]);
    }
}
