//! Derived series with uncertainty carried by seeded Monte Carlo propagation.
//!
//! Each input is a reconciled row (value, low, high); a draw takes it from a triangular
//! distribution on [low, high] with its mode at the value (a constant where low == high). The
//! derived value is computed from the central values; its interval is the 2.5-97.5 percentiles
//! of 10,000 draws, widened to include the value. Every random stream is seeded from the name of
//! what it computes, so results are identical on every run and independent of order.
//!
//! Rules (named in `method` and documented in docs/series.md):
//! - `sum`: gulag.population = camps + colonies; custody.population = camps + colonies + prisons,
//!   at the same 1 January (only where no source prints the total: flag `gap-filled`).
//! - `death-rate`: deaths in year y per 1,000 person-years, exposure = mean of the 1 January stocks
//!   of y and y+1; pooled over the whole span by summing deaths and exposures before dividing.
//! - `implied-average`: average population implied by printed deaths and printed mortality percent
//!   (deaths / (percent / 100)); its range comes from the rounding of the printed percent.
//! - `share`: counter-revolutionaries as percent of the camp population where no source prints it.
//! - `difference`: colonies.population_implied = colonies_prisons.population - prisons.population at
//!   the same 1 January (a printed combined column less the printed prisons; a separate series,
//!   checked by claims against the colony totals that are printed).
//! - `stock-flow`: population on 1 January y+1 minus (population on 1 January y + arrivals -
//!   releases - deaths - escapes + recaptured): the residual of the accounting identity.

use crate::model::{Bound, Date, Evidence, Observation, Period, Unit};
use crate::reconcile::Reconciled;
use rand::distributions::Distribution;
use rand::SeedableRng;
use std::collections::BTreeMap;

pub const DRAWS: usize = 10_000;
pub const DERIVED_SOURCE: &str = "gulagstats";

type Key = (String, Period, String);

pub struct Index<'a> {
    map: BTreeMap<Key, &'a Reconciled>,
}

impl<'a> Index<'a> {
    pub fn new(rows: &'a [Reconciled]) -> Self {
        Index { map: rows.iter().map(|r| ((r.series.clone(), r.period, r.category.clone()), r)).collect() }
    }
    pub fn get(&self, series: &str, p: Period, cat: &str) -> Option<&'a Reconciled> {
        self.map.get(&(series.to_string(), p, cat.to_string())).copied()
    }
    pub fn stock(&self, series: &str, y: i32) -> Option<&'a Reconciled> {
        self.get(series, Period::instant(Date::jan1(y)), "")
    }
    pub fn flow(&self, series: &str, y: i32) -> Option<&'a Reconciled> {
        self.get(series, Period::year(y), "")
    }
    /// Years with a 1 January stock or a yearly flow of this series (no category).
    pub fn years(&self, series: &str) -> Vec<i32> {
        let mut ys: Vec<i32> = self
            .map
            .keys()
            .filter(|(s, p, c)| s == series && c.is_empty() && ((p.is_instant() && p.start.m == 1 && p.start.d == 1) || *p == Period::year(p.start.y)))
            .map(|(_, p, _)| p.start.y)
            .collect();
        ys.dedup();
        ys
    }
}

fn seed_of(name: &str) -> u64 {
    // FNV-1a: stable across platforms and Rust versions
    let mut h: u64 = 0xcbf29ce484222325;
    for b in name.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Draws of one input.
fn draws(r: &Reconciled, rng: &mut rand_chacha::ChaCha8Rng) -> Vec<f64> {
    if r.high - r.low <= 0.0 {
        return vec![r.value; DRAWS];
    }
    match statrs::distribution::Triangular::new(r.low, r.high, r.value.clamp(r.low, r.high)) {
        Ok(d) => (0..DRAWS).map(|_| d.sample(rng)).collect(),
        Err(_) => vec![r.value; DRAWS],
    }
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (i, f) = (pos.floor() as usize, pos - pos.floor());
    if i + 1 < sorted.len() {
        sorted[i] * (1.0 - f) + sorted[i + 1] * f
    } else {
        sorted[i]
    }
}

/// Monte Carlo over a function of several inputs. Returns (value, low, high).
pub fn propagate(name: &str, inputs: &[&Reconciled], f: impl Fn(&[f64]) -> f64) -> (f64, f64, f64) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed_of(name));
    let cols: Vec<Vec<f64>> = inputs.iter().map(|r| draws(r, &mut rng)).collect();
    let central: Vec<f64> = inputs.iter().map(|r| r.value).collect();
    let value = f(&central);
    let mut out: Vec<f64> = (0..DRAWS)
        .map(|i| {
            let x: Vec<f64> = cols.iter().map(|c| c[i]).collect();
            f(&x)
        })
        .filter(|v| v.is_finite())
        .collect();
    if out.is_empty() {
        return (value, value, value);
    }
    out.sort_by(|a, b| a.total_cmp(b));
    let (lo, hi) = (percentile(&out, 0.025), percentile(&out, 0.975));
    (value, lo.min(value), hi.max(value))
}

pub struct Derived {
    pub rows: Vec<Reconciled>,
    pub observations: Vec<Observation>,
}

struct Out<'a> {
    rows: Vec<Reconciled>,
    obs: Vec<Observation>,
    idx: &'a Index<'a>,
    /// The document a source witnesses (copies of one document count once).
    document_of: &'a dyn Fn(&str) -> String,
}

impl Out<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(&mut self, series: &str, period: Period, unit: Unit, (value, low, high): (f64, f64, f64), rule: &str, inputs: &[&Reconciled], note: String, extra_flags: &[&str]) {
        let mut sources: Vec<String> = inputs.iter().flat_map(|r| r.sources.iter().cloned()).collect();
        sources.sort();
        sources.dedup();
        let decimals = unit.derived_decimals();
        let mut flags = vec![];
        let printed = self.idx.get(series, period, "").is_some();
        if !printed && matches!(rule, "sum" | "share") {
            flags.push("gap-filled".to_string());
        }
        // a conflict carried through a derived input (a gap-filled sum) counts too
        if inputs.iter().any(|r| r.has_flag("conflict") || r.has_flag("input-conflict")) {
            flags.push("input-conflict".to_string());
        }
        // one document behind the value, however many copies of it the inputs name
        let documents: std::collections::BTreeSet<String> = sources.iter().map(|s| (self.document_of)(s)).collect();
        if documents.len() == 1 {
            flags.push("single-source".to_string());
        }
        flags.extend(extra_flags.iter().map(|f| f.to_string()));
        let (low, high) = crate::model::round_outward(unit, low, high, decimals);
        if !printed {
            self.rows.push(Reconciled { series: series.into(), period, category: String::new(), value, low, high, unit, decimals, n_sources: sources.len(), method: format!("monte-carlo:{rule}"), sources: sources.clone(), flags });
        }
        self.obs.push(Observation {
            series: series.into(),
            period,
            category: String::new(),
            value,
            decimals,
            rounded_to: 0.0,
            bound: Bound::None,
            unit,
            source_id: DERIVED_SOURCE.into(),
            location: format!("derived: rule {rule}"),
            evidence: Evidence::Derived,
            note,
            file: String::new(),
            line: 0,
            column: 0,
        });
    }
}

/// Every derived value of the reconciled rows; `document_of` names the document a source witnesses,
/// so that a value resting on copies of one document is flagged `single-source`.
pub fn derive(rec: &[Reconciled], document_of: &dyn Fn(&str) -> String) -> Derived {
    let idx = Index::new(rec);
    let mut o = Out { rows: vec![], obs: vec![], idx: &idx, document_of };
    let jan1 = |y| Period::instant(Date::jan1(y));

    // sums of stocks
    for (target, parts) in [("gulag.population", vec!["camps.population", "colonies.population"]), ("custody.population", vec!["camps.population", "colonies.population", "prisons.population"])] {
        for y in idx.years(parts[0]) {
            let ins: Option<Vec<&Reconciled>> = parts.iter().map(|s| idx.stock(s, y)).collect();
            let Some(ins) = ins else { continue };
            let name = format!("{target}@{y}:sum");
            let r = propagate(&name, &ins, |x| x.iter().sum());
            o.push(target, jan1(y), Unit::Persons, r, "sum", &ins, format!("sum of {} on 1 January", parts.join(" + ")), &[]);
        }
    }
    // colonies implied by a printed "colonies and prisons" column minus the printed prisons
    for y in idx.years("colonies_prisons.population") {
        let (Some(cp), Some(p)) = (idx.stock("colonies_prisons.population", y), idx.stock("prisons.population", y)) else { continue };
        let ins = [cp, p];
        let r = propagate(&format!("colonies.population_implied@{y}"), &ins, |x| x[0] - x[1]);
        o.push("colonies.population_implied", jan1(y), Unit::Persons, r, "difference", &ins, "colonies_prisons.population - prisons.population on 1 January".into(), &[]);
    }
    // totals derived above feed the whole-system death rate
    let mut with_sums: Vec<Reconciled> = rec.to_vec();
    with_sums.extend(o.rows.iter().cloned());
    let idx2 = Index::new(&with_sums);

    // death rates per 1,000 person-years, yearly and pooled
    for (deaths, stock, target) in [("camps.deaths", "camps.population", "camps.death_rate"), ("gulag.deaths", "gulag.population", "gulag.death_rate"), ("gulag.deaths", "custody.population", "gulag.death_rate_custody")] {
        let mut pooled: Vec<&Reconciled> = vec![];
        let mut years = vec![];
        for y in idx2.years(deaths) {
            let (Some(d), Some(a), Some(b)) = (idx2.flow(deaths, y), idx2.stock(stock, y), idx2.stock(stock, y + 1)) else { continue };
            if (a.value + b.value) <= 0.0 {
                continue;
            }
            let ins = [d, a, b];
            let r = propagate(&format!("{target}@{y}"), &ins, |x| 1000.0 * x[0] / ((x[1] + x[2]) / 2.0));
            o.push(target, Period::year(y), Unit::Per1000, r, "death-rate", &ins, format!("{deaths} / mean({stock} on 1 January {y} and {}) x 1000", y + 1), &[]);
            pooled.extend(ins);
            years.push(y);
        }
        if years.len() >= 2 {
            let (y0, y1) = (years[0], *years.last().unwrap_or(&years[0]));
            let n = years.len();
            let r = propagate(&format!("{target}@{y0}-{y1}:pooled"), &pooled, move |x| {
                let (mut d, mut e) = (0.0, 0.0);
                for i in 0..n {
                    d += x[3 * i];
                    e += (x[3 * i + 1] + x[3 * i + 2]) / 2.0;
                }
                1000.0 * d / e
            });
            let gaps = if (y1 - y0 + 1) as usize != n { format!(" (only the {n} years with deaths and both stocks)") } else { String::new() };
            // a pooled rate that leaves years of its span out says so in its flags, not only in its note
            let missing: &[&str] = if gaps.is_empty() { &[] } else { &["years-missing"] };
            o.push(target, Period::years(y0, y1), Unit::Per1000, r, "death-rate-pooled", &pooled, format!("deaths and exposures pooled over {y0}-{y1}{gaps}, then divided"), missing);
        }
    }

    // average population implied by printed deaths and printed mortality percent
    for y in idx.years("gulag.deaths") {
        let (Some(d), Some(p)) = (idx.flow("gulag.deaths", y), idx.flow("gulag.mortality_rate", y)) else { continue };
        if p.value <= 0.0 {
            continue;
        }
        // the source divided its recorded deaths: the denominator it used does not move with the
        // possible under-recording of deaths, so only the rounding of the percent makes the range
        let recorded = Reconciled { low: d.value, high: d.value, ..d.clone() };
        let r = propagate(&format!("gulag.average_population_implied@{y}"), &[&recorded, p], |x| x[0] / (x[1] / 100.0));
        o.push("gulag.average_population_implied", Period::year(y), Unit::Persons, r, "implied-average", &[d, p], "gulag.deaths / (gulag.mortality_rate / 100): the denominator the source used".into(), &[]);
    }

    // counter-revolutionary share where not printed
    for y in idx.years("camps.counterrevolutionaries") {
        let (Some(c), Some(p)) = (idx.stock("camps.counterrevolutionaries", y), idx.stock("camps.population", y)) else { continue };
        if p.value <= 0.0 {
            continue;
        }
        let ins = [c, p];
        let r = propagate(&format!("camps.counterrevolutionaries_share@{y}"), &ins, |x| 100.0 * x[0] / x[1]);
        o.push("camps.counterrevolutionaries_share", jan1(y), Unit::Percent, r, "share", &ins, "100 x camps.counterrevolutionaries / camps.population".into(), &[]);
    }

    // stock-flow residual
    for y in idx.years("camps.arrivals") {
        let names = ["camps.releases", "camps.deaths", "camps.escapes"];
        let (Some(a0), Some(a1), Some(arr)) = (idx.stock("camps.population", y), idx.stock("camps.population", y + 1), idx.flow("camps.arrivals", y)) else { continue };
        let outs: Option<Vec<&Reconciled>> = names.iter().map(|s| idx.flow(s, y)).collect();
        let Some(outs) = outs else { continue };
        let rec_ = idx.flow("camps.recaptured", y);
        let mut ins = vec![a0, a1, arr];
        ins.extend(outs);
        if let Some(r) = rec_ {
            ins.push(r);
        }
        let has_rec = rec_.is_some();
        let r = propagate(&format!("camps.stock_flow_residual@{y}"), &ins, move |x| {
            let recaptured = if has_rec { x[6] } else { 0.0 };
            x[1] - (x[0] + x[2] - x[3] - x[4] - x[5] + recaptured)
        });
        let note = format!("population 1 January {} - (population 1 January {y} + arrivals - releases - deaths - escapes{})", y + 1, if has_rec { " + recaptured" } else { "" });
        // a residual may be negative: give it its own range, not clipped at zero
        o.push("camps.stock_flow_residual", Period::year(y), Unit::Persons, r, "stock-flow", &ins, note, &[]);
    }

    let mut rows = o.rows;
    rows.sort_by(|a, b| (&a.series, a.period, &a.category).cmp(&(&b.series, b.period, &b.category)));
    Derived { rows, observations: o.obs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(series: &str, period: Period, value: f64, low: f64, high: f64) -> Reconciled {
        Reconciled { series: series.into(), period, category: String::new(), value, low, high, unit: Unit::Persons, decimals: 0, n_sources: 1, method: "test".into(), sources: vec!["s".into()], flags: vec![] }
    }

    #[test]
    fn propagation_is_seeded_and_brackets_the_value() {
        let a = rec("x.a", Period::year(1940), 100.0, 90.0, 120.0);
        let b = rec("x.b", Period::year(1940), 50.0, 50.0, 50.0);
        let r1 = propagate("t", &[&a, &b], |x| x[0] + x[1]);
        let r2 = propagate("t", &[&a, &b], |x| x[0] + x[1]);
        assert_eq!(r1, r2, "same name, same draws");
        assert_eq!(r1.0, 150.0);
        assert!(r1.1 < 150.0 && r1.2 > 150.0 && r1.1 >= 140.0 && r1.2 <= 170.0, "{r1:?}");
        let r3 = propagate("another name", &[&a, &b], |x| x[0] + x[1]);
        assert_ne!(r1.1, r3.1, "different streams for different quantities");
    }

    #[test]
    fn pooled_rate_pools_deaths_and_exposures_not_rates() {
        let j = |y| Period::instant(Date::jan1(y));
        let rows = vec![
            rec("camps.population", j(1940), 1000.0, 1000.0, 1000.0),
            rec("camps.population", j(1941), 1000.0, 1000.0, 1000.0),
            rec("camps.population", j(1942), 3000.0, 3000.0, 3000.0),
            rec("camps.deaths", Period::year(1940), 100.0, 100.0, 100.0),
            rec("camps.deaths", Period::year(1941), 100.0, 100.0, 100.0),
        ];
        let d = derive(&rows, &|s| s.to_string());
        let get = |p: Period| d.rows.iter().find(|r| r.series == "camps.death_rate" && r.period == p).map(|r| r.value).unwrap();
        assert_eq!(get(Period::year(1940)), 100.0); // 100 / 1000 x 1000
        assert_eq!(get(Period::year(1941)), 50.0); // 100 / 2000 x 1000
        // pooled: 200 / (1000 + 2000) x 1000 = 66.67, not the mean of rates (75)
        let pooled = get(Period::years(1940, 1941));
        assert!((pooled - 200.0 / 3000.0 * 1000.0).abs() < 1e-9, "{pooled}");
        let flags_of = |d: &Derived, p: Period| d.rows.iter().find(|r| r.series == "camps.death_rate" && r.period == p).unwrap().flags.clone();
        assert!(!flags_of(&d, Period::years(1940, 1941)).contains(&"years-missing".to_string()));
        // a span with a year left out (1941: no deaths) is flagged so
        let mut gap = rows.clone();
        gap[4] = rec("camps.deaths", Period::year(1942), 100.0, 100.0, 100.0);
        gap.push(rec("camps.population", j(1943), 3000.0, 3000.0, 3000.0));
        let dg = derive(&gap, &|s| s.to_string());
        assert!(flags_of(&dg, Period::years(1940, 1942)).contains(&"years-missing".to_string()));
        // gap-filled sums are flagged
        let rows2 = vec![rec("camps.population", j(1940), 10.0, 10.0, 10.0), rec("colonies.population", j(1940), 5.0, 5.0, 5.0)];
        let d2 = derive(&rows2, &|s| s.to_string());
        let g = d2.rows.iter().find(|r| r.series == "gulag.population").unwrap();
        assert_eq!(g.value, 15.0);
        assert!(g.has_flag("gap-filled"));
        // two sources that are copies of one document: single-source; of two documents: not
        let mut rows3 = rows2.clone();
        rows3[1].sources = vec!["s-reprint".into()];
        let one_doc = |s: &str| s.trim_end_matches("-reprint").to_string();
        let flags = |d: &Derived| d.rows.iter().find(|r| r.series == "gulag.population").unwrap().flags.clone();
        assert!(flags(&derive(&rows3, &one_doc)).contains(&"single-source".to_string()));
        assert!(!flags(&derive(&rows3, &|s| s.to_string())).contains(&"single-source".to_string()));
    }

    #[test]
    fn colonies_implied_is_combined_column_minus_prisons_where_both_exist() {
        let j = |y| Period::instant(Date::jan1(y));
        let rows = vec![
            rec("colonies_prisons.population", j(1940), 500.0, 500.0, 500.0),
            rec("prisons.population", j(1940), 190.0, 180.0, 200.0),
            rec("colonies_prisons.population", j(1941), 600.0, 600.0, 600.0),
        ];
        let d = derive(&rows, &|s| s.to_string());
        let got: Vec<_> = d.rows.iter().filter(|r| r.series == "colonies.population_implied").collect();
        assert_eq!(got.len(), 1, "1941 has no prisons figure, so no difference");
        assert_eq!(got[0].value, 310.0);
        assert!(got[0].low < 310.0 && got[0].high > 310.0, "the prisons range carries over: {:?}", got[0]);
    }
}
