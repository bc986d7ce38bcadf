//! Charts: GRZ 1993's Figures A-D and new charts, drawn with plotters into SVG and PNG with a
//! bundled font, so the files are byte-identical on every machine. Every chart draws its
//! uncertainty as a band or error bars, marks single-source and gap-filled values, and carries a
//! source line. The table behind each chart is exported too (`chart_tables`).

use crate::error::{Error, Result};
use crate::export::{f, Cell, FieldType, Table};
use crate::model::{Period, Unit};
use crate::pipeline::Analysis;
use crate::reconcile::Reconciled;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

pub const NAMES: &[&str] = &[
    "figure-a",
    "figure-b",
    "figure-c",
    "figure-d",
    "mortality-rate",
    "estimates-vs-archives",
    "estimates-population",
    "sources-camps-population",
    "sources-deaths",
    "convictions-death-sentences",
    "prisons-quarterly",
    "special-settlements",
    "colonies-gender",
    "coverage",
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Svg,
    Png,
    All,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            "all" => Some(Format::All),
            _ => None,
        }
    }
}

const W: u32 = 1100;
const H: u32 = 650;
pub(crate) static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
/// The bundled font's family, with a generic fallback: the PNG backend finds the bundled font
/// under this name, and an SVG viewer asks for DejaVu Sans first (the font the PNG is drawn
/// with), else its own sans-serif.
pub const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";
static INIT: Once = Once::new();

fn init_font() {
    INIT.call_once(|| {
        let _ = plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT);
    });
}

/// Okabe-Ito colour-blind-safe palette.
pub const PALETTE: [RGBColor; 7] = [RGBColor(0, 114, 178), RGBColor(230, 159, 0), RGBColor(0, 158, 115), RGBColor(204, 121, 167), RGBColor(213, 94, 0), RGBColor(86, 180, 233), RGBColor(0, 0, 0)];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Style {
    /// Line with a shaded low-high band.
    Band,
    /// Points with vertical error bars.
    ErrorBars,
    /// Points only (one source's printed values).
    Points,
}

#[derive(Debug, Clone)]
pub struct Pt {
    pub period: Period,
    pub x: f64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub single: bool,
    pub gap_filled: bool,
    pub sources: String,
    pub flags: String,
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub label: String,
    pub style: Style,
    pub points: Vec<Pt>,
    pub panel: usize,
}

#[derive(Debug, Clone)]
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    pub y_labels: Vec<String>,
    pub units: Vec<Unit>,
    pub layers: Vec<Layer>,
    pub x_range: (f64, f64),
    pub note: String,
    pub kind: Kind,
    /// For the estimates and grid charts: row labels (category axis).
    pub rows: Vec<String>,
    /// Legend in the upper right corner instead of the upper left.
    pub legend_right: bool,
    /// A log y axis (counts that run over orders of magnitude).
    pub log_y: bool,
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Series against years: bands, error bars, points (one or two panels).
    Lines,
    /// Estimates against archival figures, one row each, on a log scale.
    Estimates,
    /// A grid of cells, one layer a row and one point a year, the value written in the cell
    /// (the coverage chart).
    Grid,
}

/// A point for one source's printed figure (no range of its own).
fn obs_pt(o: &crate::model::Observation, x: f64) -> Pt {
    // a figure printed as a bound keeps its flag, so that the chart and its data say so
    Pt { period: o.period, x, value: o.value, low: o.value, high: o.value, single: false, gap_filled: false, sources: o.source_id.clone(), flags: o.bound.flag().unwrap_or_default().to_string() }
}

/// +1 for a point printed as a lower bound, -1 for an upper bound, 0 otherwise.
fn bound_sign(p: &Pt) -> i32 {
    let has = |f: &str| p.flags.split(';').any(|x| x == f);
    match (has("lower-bound"), has("upper-bound")) {
        (true, false) => 1,
        (false, true) => -1,
        _ => 0,
    }
}

/// Whether a bound point is one end of a range its source prints: the source's other bound stands
/// at the same x (drawn as a capped bar, not an arrow).
fn in_printed_range(points: &[Pt], p: &Pt) -> bool {
    bound_sign(p) != 0 && points.iter().any(|q| q.x == p.x && bound_sign(q) == -bound_sign(p))
}

fn pt(r: &Reconciled, x: f64) -> Pt {
    Pt {
        period: r.period,
        x,
        value: r.value,
        low: r.low,
        high: r.high,
        single: r.has_flag("single-source"),
        gap_filled: r.has_flag("gap-filled"),
        sources: r.sources.join(";"),
        flags: r.flags_text(),
    }
}

/// Reconciled 1 January stocks (or yearly flows) of a series, no category, within years.
fn yearly(an: &Analysis, series: &str, y0: i32, y1: i32) -> Vec<Pt> {
    let stock = an.loaded.catalog.series.get(series).map(|d| d.kind == "stock").unwrap_or(false)
        || an.reconciled.iter().any(|r| r.series == series && r.period.is_instant());
    yearly_kind(an, series, y0, y1, stock)
}

fn yearly_kind(an: &Analysis, series: &str, y0: i32, y1: i32, stock: bool) -> Vec<Pt> {
    an.reconciled
        .iter()
        .filter(|r| r.series == series && r.category.is_empty() && r.period.start.y >= y0 && r.period.start.y <= y1)
        .filter(|r| if stock { r.period.is_instant() && r.period.start.m == 1 && r.period.start.d == 1 } else { r.period == Period::year(r.period.start.y) })
        .map(|r| pt(r, r.period.start.y as f64 + if stock { 0.0 } else { 0.5 }))
        .collect()
}

fn layer(label: &str, style: Style, points: Vec<Pt>, panel: usize) -> Layer {
    Layer { label: label.into(), style, points, panel }
}

fn sources_of(layers: &[Layer]) -> String {
    let mut s: Vec<String> = layers.iter().flat_map(|l| l.points.iter().flat_map(|p| p.sources.split(';').map(|x| x.to_string()))).filter(|x| !x.is_empty()).collect();
    s.sort();
    s.dedup();
    s.join(", ")
}

pub fn build_charts(an: &Analysis) -> Vec<Chart> {
    let mut out = Vec::new();
    let mk = |name: &'static str, title: &str, y: &str, unit: Unit, layers: Vec<Layer>, x: (f64, f64), note: &str| Chart { name, title: title.into(), y_labels: vec![y.into()], units: vec![unit], layers, x_range: x, note: note.into(), kind: Kind::Lines, rows: vec![], legend_right: false, log_y: false };

    // Figure A
    let mut ss = an.reconciled.iter().filter(|r| r.series == "special_settlements.population" && r.category.is_empty() && r.period.is_instant() && (1935..=1940).contains(&r.period.start.y)).map(|r| pt(r, r.period.start.year_f())).collect::<Vec<_>>();
    ss.sort_by(|a, b| a.x.total_cmp(&b.x));
    out.push(mk(
        "figure-a",
        "Figure A. Camp, colony and 'kulak' exile populations, USSR, 1 January 1935-1941",
        "persons",
        Unit::Persons,
        vec![layer("Camps (ITL), 1 January", Style::Band, yearly(an, "camps.population", 1935, 1941), 0), layer("Colonies (ITK), 1 January", Style::Band, yearly(an, "colonies.population", 1935, 1941), 0), layer("Colonies + prisons (printed together), 1 January", Style::Band, yearly(an, "colonies_prisons.population", 1935, 1941), 0), layer("Special settlers ('kulak' exiles)", Style::Band, ss, 0)],
        (1934.8, 1941.2),
        "Special settlers are counted on 31 December in the source read (plotted at that date).",
    ));

    // Figure B: counts and share, two panels
    let mut b = mk(
        "figure-b",
        "Figure B. 'Counter-revolutionaries' in the camps, 1 January 1934-1953",
        "persons",
        Unit::Persons,
        vec![layer("Counter-revolutionaries in camps", Style::ErrorBars, yearly(an, "camps.counterrevolutionaries", 1934, 1953), 0), layer("Camp population", Style::Band, yearly(an, "camps.population", 1934, 1953), 0), layer("Share of the camp population", Style::ErrorBars, yearly(an, "camps.counterrevolutionaries_share", 1934, 1953), 1)],
        (1933.5, 1953.5),
        "Shares as printed (range: the printed rounding); the printed share can differ from the ratio of the counts (1946: 59.2 printed, 55.6 from the counts). 1950: the printed count and share include colony inmates (GRZ 1993's note; docs/using-the-data.md).",
    );
    b.y_labels.push("percent".into());
    b.units.push(Unit::Percent);
    out.push(b);

    // the years whose printed camps + colonies is not the sum of the two lines drawn: check's
    // identity findings (one rule for the note and the findings table)
    let not_sum = match finding_years(an, "total-not-sum-of-parts", "gulag.population", 1934, 1953) {
        None => String::new(),
        Some(years) => format!(" Where a source prints camps + colonies, the line takes that figure, even where it is not the sum of the two lines drawn ({years}: identity findings, gulagstats check)."),
    };
    out.push(mk(
        "figure-c",
        "Figure C. Camp and colony populations, 1 January 1934-1953",
        "persons",
        Unit::Persons,
        vec![layer("Camps (ITL)", Style::Band, yearly(an, "camps.population", 1934, 1953), 0), layer("Colonies (ITK)", Style::Band, yearly(an, "colonies.population", 1934, 1953), 0), layer("Colonies + prisons (printed together)", Style::Band, yearly(an, "colonies_prisons.population", 1934, 1953), 0), layer("Camps + colonies", Style::Band, yearly(an, "gulag.population", 1934, 1953), 0)],
        (1933.5, 1953.5),
        &format!("Colonies 1946 (956,224) very probably include 444,500 persons sentenced to corrective work without detention (GRZ 1993's note under Appendix B; docs/using-the-data.md), so the 1946 rise of the colony and camps + colonies lines is partly a change of definition.{not_sum}"),
    ));

    // the years of the chart in which camp deaths exceed the whole-GULAG deaths: the findings of
    // check's identity (one rule for the note and the findings table)
    let camp_deaths = yearly(an, "camps.deaths", 1934, 1953);
    let gulag_deaths = yearly(an, "gulag.deaths", 1934, 1953);
    let above = match finding_years(an, "part-not-above-whole", "camps.deaths", 1934, 1953) {
        None => String::new(),
        Some(years) => format!(" In {years} these camp deaths exceed the whole-GULAG deaths of the OURZ report (different documents; docs/series.md)."),
    };
    out.push(mk(
        "figure-d",
        "Figure D. Movement of the camp population, 1934-1953",
        "persons per year",
        Unit::Persons,
        vec![
            layer("Arrivals", Style::ErrorBars, yearly(an, "camps.arrivals", 1934, 1953), 0),
            layer("Releases", Style::ErrorBars, yearly(an, "camps.releases", 1934, 1953), 0),
            layer("Deaths in camps", Style::ErrorBars, camp_deaths, 0),
            layer("Escapes", Style::ErrorBars, yearly(an, "camps.escapes", 1934, 1953), 0),
            layer("Deaths, whole GULAG (GARF report)", Style::Band, gulag_deaths, 0),
        ],
        (1933.5, 1954.0),
        &format!("Camp deaths: the Gulag History Museum's chart data, the table cited by Werth (1931-1947) and German's book (1940-1942); their bars reach 10% above the recorded count (deaths may be under-recorded: data/uncertainty.toml).{above} Arrivals and most releases: the movement table (GARF f. 9414 op. 1 d. 1155) is not yet read."),
    ));

    out.push(mk(
        "mortality-rate",
        "Deaths per 1,000 person-years, GULAG 1930-1956",
        "deaths per 1,000 person-years",
        Unit::Per1000,
        vec![
            layer("Whole system: GULAG deaths / mean of 1 January camp + colony stocks", Style::Band, yearly(an, "gulag.death_rate", 1930, 1956), 0),
            layer("GULAG deaths / mean of camps + colonies + prisons (prisons in the denominator only: a lower bound)", Style::Band, yearly(an, "gulag.death_rate_custody", 1930, 1956), 0),
            layer("Camps only: camp deaths / mean camp stock", Style::Band, yearly(an, "camps.death_rate", 1930, 1956), 0),
            layer("As printed: percent of average population x 10 (source's own denominator)", Style::Points, an.reconciled.iter().filter(|r| r.series == "gulag.mortality_rate" && r.category.is_empty() && r.period == Period::year(r.period.start.y)).map(|r| {
                let mut p = pt(r, r.period.start.y as f64 + 0.5);
                p.value *= 10.0;
                p.low *= 10.0;
                p.high *= 10.0;
                p
            }).collect(), 0),
        ],
        (1929.5, 1957.0),
        "Exposure is the mean of consecutive 1 January stocks. Range: 2.5-97.5 percentiles of 10,000 seeded draws over the inputs' rounding and documented uncertainty, chiefly deaths under-recorded by up to 10%, so the recorded rate sits at the bottom of its range (docs/series.md). 1930-1933: the GULAG held camps only (colonies joined it in 1934), so the whole-system stock is the camp count. 1945-1946: colonies 1946 very probably include 444,500 sentenced without detention (docs/using-the-data.md).",
    ));

    // sources overlay: each source's printed values
    for (name, series, title, stock) in [("sources-camps-population", "camps.population", "What each source says: camp population on 1 January", true), ("sources-deaths", "gulag.deaths", "What each source says: deaths in the GULAG by year", false)] {
        let mut by_src: std::collections::BTreeMap<String, Vec<Pt>> = Default::default();
        for o in an.observations.iter().filter(|o| o.series == series && o.category.is_empty() && o.evidence == crate::model::Evidence::Printed) {
            let ok = if stock { o.period.is_instant() } else { o.period == Period::year(o.period.start.y) };
            if !ok {
                continue;
            }
            let x = o.period.start.year_f() + if stock { 0.0 } else { 0.5 };
            by_src.entry(o.source_id.clone()).or_default().push(obs_pt(o, x));
        }
        let mut layers: Vec<Layer> = vec![layer("Reconciled range", Style::Band, yearly_kind(an, series, 1900, 2000, stock), 0)];
        // the sources side by side within each year, so that equal figures do not hide each other
        let m = by_src.len() as f64;
        for (k, (s, mut pts)) in by_src.into_iter().enumerate() {
            // at most 0.12 of a year either side, so that a point keeps to its own side of a year's start
            let dx = if m > 1.0 { (k as f64 - (m - 1.0) / 2.0) * (0.24 / (m - 1.0)).min(0.06) } else { 0.0 };
            for p in &mut pts {
                p.x += dx;
            }
            // a source whose figures the reconciliation left out (data/reconcile.toml, [[exclude]]) says so
            let used = pts.iter().any(|p| an.reconciled.iter().any(|r| r.series == series && r.category.is_empty() && r.period == p.period && r.sources.iter().any(|x| x == &s)));
            let label = if used { s.clone() } else { format!("{s} (left out of the reconciled range)") };
            layers.push(layer(&label, Style::Points, pts, 0));
        }
        let xs: Vec<f64> = layers.iter().flat_map(|l| l.points.iter().map(|p| p.x)).collect();
        let (x0, x1) = (xs.iter().cloned().fold(f64::INFINITY, f64::min), xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
        let xr = if xs.is_empty() { (1930.0, 1955.0) } else { (x0.floor() - 0.5, x1.ceil() + 0.5) };
        out.push(mk(name, title, "persons", Unit::Persons, layers, xr, "Each marker is one source's printed figure, the sources set side by side within the year (so that equal figures stay visible); the band is the reconciled range."));
    }

    // convictions and death sentences: the reconciled MVD count with its range over every witness and
    // the KGB register, plus the KGB register's own printed figures as points.
    let src_layer = |series: &str, source: &str, label: &str| {
        layer(label, Style::Points, an.observations.iter().filter(|o| o.series == series && o.category.is_empty() && o.source_id == source && o.evidence == crate::model::Evidence::Printed && o.period == Period::year(o.period.start.y)).map(|o| obs_pt(o, o.period.start.y as f64 + 0.5)).collect(), 0)
    };
    out.push(mk(
        "convictions-death-sentences",
        "Convictions and death sentences on political-police cases, 1921-1953",
        "persons per year",
        Unit::Persons,
        vec![
            // the KGB points first, so that the MVD markers are drawn over them where the counts agree
            src_layer("nkvd.convictions", "kgb-luneev1997", "Convicted, KGB register (Luneev 1997)"),
            src_layer("nkvd.death_sentences", "kgb-luneev1997", "Death sentences, KGB register (Luneev 1997)"),
            layer("Convicted (MVD 1st Special Department; bars span the KGB count)", Style::ErrorBars, yearly(an, "nkvd.convictions", 1921, 1953), 0),
            layer("Death sentences (MVD; bars span the KGB count)", Style::ErrorBars, yearly(an, "nkvd.death_sentences", 1921, 1953), 0),
        ],
        (1920.5, 1954.0),
        "1953: the MVD count runs to 30 June only and is not drawn; the 1953 death sentences are the KGB register's whole year, as reprinted by Pykhalov.",
    ));

    out.push(mk(
        "prisons-quarterly",
        "Prison population, 1938-1960 (quarterly from 1939)",
        "persons",
        Unit::Persons,
        vec![layer("Prisons of the NKVD/MVD", Style::Band, {
            // from 1938: the NKVD-MVD prisons of the certificate (and GRZ's 1938 figure); the places
            // of confinement of the 1933 NKIu report (kotkin2017) are another system
            let mut v: Vec<Pt> = an.reconciled.iter().filter(|r| r.series == "prisons.population" && r.category.is_empty() && r.period.is_instant() && r.period.start.y >= 1938).map(|r| pt(r, r.period.start.year_f())).collect();
            v.sort_by(|a, b| a.x.total_cmp(&b.x));
            v
        }, 0)],
        (1938.8, 1961.0),
        "",
    ));

    let ssl = |series: &str, label: &str, style: Style| {
        let mut v: Vec<Pt> = an.reconciled.iter().filter(|r| r.series == series && r.category.is_empty() && (r.period.is_instant() || r.period == Period::year(r.period.start.y)) && (1930..=1941).contains(&r.period.start.y)).map(|r| pt(r, if r.period.is_instant() { r.period.start.year_f() } else { r.period.start.y as f64 + 0.5 })).collect();
        v.sort_by(|a, b| a.x.total_cmp(&b.x));
        layer(label, style, v, 0)
    };
    out.push(mk(
        "special-settlements",
        "'Kulak' special settlements, 1932-1941",
        "persons",
        Unit::Persons,
        vec![ssl("special_settlements.population", "Special settlers (stock)", Style::Band), ssl("special_settlements.deaths", "Deaths (per year)", Style::ErrorBars), ssl("special_settlements.births", "Births (per year)", Style::ErrorBars), ssl("special_settlements.escapes", "Escapes (per year)", Style::ErrorBars)],
        (1931.5, 1941.5),
        "Stocks at the date each source gives: 31 December in the series for 1932-1940 (drawn at the year's end, just left of the next year's tick), 1 January or another day in the others; where two sources give 31 December and the next 1 January, both are drawn. Flows at mid-year.",
    ));

    // colonies gender composition
    let mut gl = Vec::new();
    let mut cats: Vec<String> = an.reconciled.iter().filter(|r| r.series == "colonies.share_by_gender").map(|r| r.category.clone()).collect();
    cats.sort();
    cats.dedup();
    for c in cats {
        gl.push(layer(&c, Style::ErrorBars, an.reconciled.iter().filter(|r| r.series == "colonies.share_by_gender" && r.category == c).map(|r| pt(r, r.period.start.year_f())).collect(), 0));
    }
    // how many inmates the shares leave out: the counts of unrecorded gender, against all counted
    let unknown: Vec<String> = an
        .reconciled
        .iter()
        .filter(|r| r.series == "colonies.population_by_gender" && r.category == "unknown")
        .map(|r| {
            let all: f64 = an.reconciled.iter().filter(|x| x.series == r.series && x.period == r.period).map(|x| x.value).sum();
            format!("{} {} of {}", r.period.start.y, crate::model::fmt_grouped(r.value, 0), crate::model::fmt_grouped(all, 0))
        })
        .collect();
    let note = if unknown.is_empty() { "Shares of the inmates whose gender was recorded, on 1 January.".to_string() } else { format!("Shares of the inmates whose gender was recorded, on 1 January. Gender not recorded: {} (colonies.population_by_gender).", unknown.join("; ")) };
    out.push(mk("colonies-gender", "Colony inmates by gender, 1 January 1943-1946", "percent", Unit::Percent, gl, (1942.5, 1946.5), &note));

    out.push(estimates_chart(an, &ESTIMATES_VS_ARCHIVES));
    out.push(estimates_chart(an, &ESTIMATES_POPULATION));
    for c in &mut out {
        // where the data starts high on the left, the legend goes right
        c.legend_right = matches!(c.name, "mortality-rate" | "special-settlements");
        // convictions run from hundreds to hundreds of thousands a year: on a linear axis every
        // year but 1937-1938 lies flat on the floor
        c.log_y = c.name == "convictions-death-sentences";
        for l in &mut c.layers {
            l.points.sort_by(|a, b| a.x.total_cmp(&b.x));
        }
        let s = sources_of(&c.layers);
        c.note = if c.note.is_empty() { format!("Sources: {s}.") } else { format!("{} Sources: {s}.", c.note) };
    }
    // its cells name documents, not sources: the note says where they are listed
    out.extend(coverage_chart(an));
    out
}

/// Which archival quantity an estimate is set against.
pub const ESTIMATE_MAP: &[(&str, &str, &str)] = &[
    ("estimate.executions_1937_38", "nkvd.death_sentences", "1937-1938"),
    ("estimate.arrests_1937_38", "nkvd.arrests", "1937-1938"),
    ("estimate.repressed_1937_38", "nkvd.convictions", "1937-1938"),
    ("estimate.repressed_1937_39", "nkvd.convictions", "1937-1939"),
    ("estimate.deported_peasants_1930_31", "special_settlements.deported", "1930-1931"),
    ("estimate.deported_peasants_1929_30", "special_settlements.deported", "1930-1931"),
    ("estimate.camp_population_late_1938", "camps.population", "1939-01-01"),
    ("estimate.custody_population_late_1938", "custody.population", "1939-01-01"),
    ("estimate.custody_population_end_1939", "custody.population", "1940-01-01"),
    ("estimate.camp_population_end_1936", "camps.population", "1937-01-01"),
    ("estimate.deaths_in_camps_1937_38", "gulag.deaths", "1937-1938"),
    ("estimate.prisoners_1939", "custody.population", "1939-01-01"),
    ("estimate.prisoners_end_1940", "custody.population", "1941-01-01"),
    ("estimate.custody_population_1942", "custody.population", "1942-01-01"),
    ("estimate.executions_1935_41", "nkvd.death_sentences", "1935-1941"),
    ("estimate.political_repressed_1921_53", "nkvd.convictions", "1921-01-01/1953-06-30"),
    ("estimate.gulag_deaths_incl_medical_releases_1930_53", "gulag.deaths", "1930-1953"),
];

/// The archival value and range for an estimate's quantity: for a stock, the reconciled row at that
/// date; for a span, the sum of the yearly flows where every year has one (the archival documents
/// themselves), else the reconciled row printed for exactly that span (a printed total). Also the
/// sources and the flags of the reconciled rows it takes (each flag once, in order).
pub fn archival_for(an: &Analysis, series: &str, when: &str) -> Option<(f64, f64, f64, String, Vec<String>)> {
    let p = Period::parse(when)?;
    let exact = |p: Period| {
        let r = an.reconciled.iter().find(|r| r.series == series && r.period == p && r.category.is_empty())?;
        Some((r.value, r.low, r.high, r.sources.join(";"), r.flags.clone()))
    };
    if p.is_instant() {
        return exact(p);
    }
    let whole_years = p.start == crate::model::Date::jan1(p.start.y) && p.end == crate::model::Date::dec31(p.end.y);
    let (mut v, mut lo, mut hi, mut src, mut flags) = (0.0, 0.0, 0.0, vec![], Vec::<String>::new());
    for y in p.start.y..=p.end.y {
        let Some(r) = an.reconciled.iter().find(|r| r.series == series && r.period == Period::year(y) && r.category.is_empty()).filter(|_| whole_years) else {
            return exact(p);
        };
        v += r.value;
        lo += r.low;
        hi += r.high;
        src.extend(r.sources.iter().cloned());
        for f in &r.flags {
            if !flags.contains(f) {
                flags.push(f.clone());
            }
        }
    }
    src.sort();
    src.dedup();
    Some((v, lo, hi, src.join(";"), flags))
}

/// One chart of estimates, each set against an archival figure: its name, title, map and note.
struct EstimatesChart {
    name: &'static str,
    title: &'static str,
    map: &'static [(&'static str, &'static str, &'static str)],
    note: &'static str,
}

const ESTIMATES_VS_ARCHIVES: EstimatesChart = EstimatesChart {
    name: "estimates-vs-archives",
    title: "Published estimates against the archival figures (log scale)",
    map: ESTIMATE_MAP,
    note: "grz1993's executions row is the range of the popular estimates GRZ 1993 cites (its Table 1), not an estimate of its own; its arrests row is the figure it finds hard to reach. Archival: executions = death sentences on NKVD cases in the same calendar years (1935-41: the whole of 1941); arrests = arrests by the state security organs 1937-38; repressed = convictions on NKVD cases in the same years (1921-1953: the MVD count to mid-1953, its printed total); deported peasants = those sent to the special settlements in 1930-1931 (also for Solzhenitsyn's 1929-30); deaths = the OURZ report's GULAG deaths; stocks on 1 January (of the next year for end-of-year estimates; of the year for 1939 and 1942, whose date within the year is not printed).",
};

/// The camp and forced-labour population as writers estimated it year by year, most of them before the
/// archives opened (the 1930s estimates of the Great Terror are on `estimates-vs-archives`).
pub const ESTIMATE_MAP_POPULATION: &[(&str, &str, &str)] = &[
    ("estimate.custody_population_1930", "camps.population", "1930-01-01"),
    ("estimate.forced_labour_population_1930", "camps.population", "1930-01-01"),
    ("estimate.camp_population_1930", "camps.population", "1930-01-01"),
    ("estimate.custody_population_1931", "camps.population", "1931-01-01"),
    ("estimate.forced_labour_population_1931", "camps.population", "1931-01-01"),
    ("estimate.camp_population_1931_32", "camps.population", "1932-01-01"),
    ("estimate.custody_population_1931_32", "camps.population", "1932-01-01"),
    ("estimate.custody_population_1933_35", "custody.population", "1935-01-01"),
    ("estimate.camp_population_1937", "camps.population", "1937-01-01"),
    ("estimate.forced_labour_population_1939", "gulag.population", "1939-01-01"),
    ("estimate.forced_labour_population_1941", "gulag.population", "1941-01-01"),
    ("estimate.gulag_population_1940_42", "gulag.population", "1941-01-01"),
    ("estimate.forced_labour_population_1944", "gulag.population", "1944-01-01"),
    ("estimate.gulag_population_postwar", "gulag.population", "1946-01-01"),
    ("estimate.camp_population_1947", "gulag.population", "1947-01-01"),
    ("estimate.camp_population_1949", "gulag.population", "1949-01-01"),
    ("estimate.forced_labour_population_1949", "gulag.population", "1949-01-01"),
    ("estimate.camp_population_1950", "gulag.population", "1950-01-01"),
    ("estimate.forced_labour_population_1951", "gulag.population", "1951-01-01"),
    ("estimate.forced_labour_population_1952", "gulag.population", "1952-01-01"),
    ("estimate.camp_population_1953", "gulag.population", "1953-01-01"),
];

const ESTIMATES_POPULATION: EstimatesChart = EstimatesChart {
    name: "estimates-population",
    title: "Estimates of the camp and forced-labour population against the archival counts (log scale)",
    map: ESTIMATE_MAP_POPULATION,
    note: "Each estimate is drawn as printed (a printed range: its two ends; a bound is said on its row). Archival: on 1 January of the year the estimate names (for a span, 1 January of its middle year: 1932 for 1931-32, 1941 for 1940-42, 1946 for the post-war years 1945-47; for the places of detention of 1933-35, the camps, colonies and prisons of 1 January 1935, the first count of all three in the span). Before 1934 the data counts the camps only (no colonies or prisons), so 1930-1932 set prisoners in all places and forced labourers against the camps; from 1937 the camps alone for the camp population of 1937, then the camps and colonies (gulag.population) for the 'slave-labour' or camp population of later years: the special settlers (about 0.9 to 2.75 million in those years) and the prisons are not added. Most of these estimates were made before the archives opened; every one lies above the archival count of its year, most of them three to ten times.",
};

fn estimates_chart(an: &Analysis, spec: &EstimatesChart) -> Chart {
    let mut rows = Vec::new();
    let mut est = Vec::new();
    let mut arch = Vec::new();
    for (series, arch_series, when) in spec.map {
        let obs: Vec<_> = an.observations.iter().filter(|o| o.series == *series).collect();
        if obs.is_empty() {
            continue;
        }
        let what = estimate_label(series);
        let a = archival_for(an, arch_series, when);
        let mut by_src: std::collections::BTreeMap<&str, Vec<&crate::model::Observation>> = Default::default();
        for o in obs {
            by_src.entry(&o.source_id).or_default().push(o);
        }
        for (src, mut os) in by_src {
            // a breakdown (parts that add up to the source's own total: men, women, ...) is not a
            // further estimate: the row shows the total alone
            if let Some(total) = os.iter().find(|o| o.category.is_empty()).map(|o| o.value) {
                let parts: Vec<f64> = os.iter().filter(|o| !o.category.is_empty() && o.category != "low" && o.category != "high").map(|o| o.value).collect();
                if parts.len() >= 2 && (parts.iter().sum::<f64>() - total).abs() < 0.5 {
                    os.retain(|o| o.category.is_empty());
                }
            }
            let y = rows.len() as f64;
            // a printed range ("from 5 to 7 million": categories low and high) is drawn as its two
            // printed ends, with no point between them (a midpoint would be a figure nobody
            // printed); separate estimates of one author (1 million, and over 1.5 million from
            // Irkutsk) are separate points on the row
            let range = os.len() == 2 && os.iter().any(|o| o.category == "low") && os.iter().any(|o| o.category == "high");
            // a bound is said so on its row ("more than 1.5 million" is no point estimate)
            let said: Vec<&str> = os.iter().filter_map(|o| o.bound.words()).collect();
            let flags = match (said.is_empty(), os.len(), range) {
                (true, _, _) => String::new(),
                (false, 1, _) => format!(" ({})", said[0]),
                (false, _, true) => format!(" ({} a bound)", if said.len() == os.len() { "each end" } else { "one end" }),
                (false, _, false) => format!(" ({} of {} a bound)", said.len(), os.len()),
            };
            // a compiler's table names each estimate's author as its category: the row says whose it is
            let cat = &os[0].category;
            let author = if !cat.is_empty() && cat != "low" && cat != "high" && os.iter().all(|o| o.category == *cat) { format!(" [{cat}]") } else { String::new() };
            rows.push(format!("{what}: {src}{author}{flags}"));
            if range {
                let lo = os.iter().map(|o| o.value).fold(f64::INFINITY, f64::min);
                let hi = os.iter().map(|o| o.value).fold(f64::NEG_INFINITY, f64::max);
                let fl: Vec<&str> = os.iter().filter_map(|o| o.bound.flag()).collect();
                est.push(Pt { period: os[0].period, x: y, value: f64::NAN, low: lo, high: hi, single: true, gap_filled: false, sources: src.to_string(), flags: fl.join(";") });
            } else {
                for o in &os {
                    est.push(Pt { period: o.period, x: y, value: o.value, low: o.value, high: o.value, single: true, gap_filled: false, sources: src.to_string(), flags: o.bound.flag().unwrap_or_default().to_string() });
                }
            }
            let p = os[0].period;
            if let Some((v, l, h, s, f)) = &a {
                // what the archival row stands for, then the flags of the reconciled rows it takes
                let flags = std::iter::once(format!("archival {arch_series} {when}")).chain(f.iter().cloned()).collect::<Vec<_>>().join(";");
                arch.push(Pt { period: p, x: y, value: *v, low: *l, high: *h, single: false, gap_filled: false, sources: s.clone(), flags });
            }
        }
    }
    Chart {
        name: spec.name,
        title: spec.title.into(),
        y_labels: vec!["persons (log scale)".into()],
        units: vec![Unit::Persons],
        layers: vec![layer("Archival figure (tick) and range (band)", Style::Band, arch, 0), layer("Published estimate (dot; a printed range: its two ends, joined)", Style::ErrorBars, est, 0)],
        x_range: (0.0, 1.0),
        note: spec.note.into(),
        kind: Kind::Estimates,
        rows,
        legend_right: false,
        log_y: false,
    }
}

/// How many independent documents give each year of the core series (data/coverage.toml): one row
/// a target, one cell a year, the count written in the cell.
fn coverage_chart(an: &Analysis) -> Option<Chart> {
    let rows = crate::coverage::rows(&an.coverage, an);
    let (y0, y1) = (rows.iter().map(|r| r.year).min()?, rows.iter().map(|r| r.year).max()?);
    let mut layers = Vec::new();
    for t in &an.coverage {
        let label = format!("{} ({})", t.series, t.dated);
        let points = rows
            .iter()
            .filter(|r| r.series == t.series && r.dated == t.dated)
            .map(|r| {
                let n = r.documents.len() as f64;
                // a year no document gives, where a table prints a dash or "no data" instead of a figure
                let flags = if r.documents_disagree {
                    "documents-disagree"
                } else if r.no_figure_printed() {
                    "no-figure-printed"
                } else {
                    ""
                };
                Pt { period: r.period, x: r.year as f64, value: n, low: n, high: n, single: n == 1.0, gap_filled: false, sources: r.documents.join(";"), flags: flags.into() }
            })
            .collect();
        layers.push(layer(&label, Style::Points, points, 0));
    }
    Some(Chart {
        name: "coverage",
        title: "Independent documents behind each year of the core series".into(),
        y_labels: vec!["documents".into()],
        units: vec![Unit::Count],
        rows: layers.iter().map(|l| l.label.clone()).collect(),
        layers,
        x_range: (y0 as f64 - 0.5, y1 as f64 + 0.5),
        note: "Each cell: how many independent documents print the year's value (copies, reprints and translations of one document count once; values derived by the pipeline are not counted; a total over several years covers no single year). A red frame: the documents disagree beyond printed precision. A dash in an empty cell: a table prints a dash or 'no data' there instead of a figure. Targets: data/coverage.toml; the documents of each cell are named in data/clean/coverage.csv.".into(),
        kind: Kind::Grid,
        legend_right: false,
        log_y: false,
    })
}

/// Split points into runs without gaps, so lines do not bridge periods with no data: a gap is a step
/// more than 1.5 times the layer's usual step (the median of its steps longer than a week), and
/// never more than 1.5 years (yearly points: a missing year; quarterly: a missing quarter).
fn segments(points: &[Pt]) -> Vec<&[Pt]> {
    let mut steps: Vec<f64> = points.windows(2).map(|w| w[1].x - w[0].x).filter(|d| *d > 0.02).collect();
    steps.sort_by(|a, b| a.total_cmp(b));
    let gap = steps.get(steps.len() / 2).map_or(1.5, |m| (1.5 * m).min(1.5));
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=points.len() {
        if i == points.len() || points[i].x - points[i - 1].x > gap + 1e-9 {
            out.push(&points[start..i]);
            start = i;
        }
    }
    out
}

/// Wrap text at word boundaries into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for w in text.split_whitespace() {
        let cur = lines.last_mut().expect("never empty");
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(w.to_string());
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(w);
        }
    }
    lines
}

/// The row label of an estimate series: words spaced, a span of years joined by a dash
/// (`estimate.executions_1937_38` -> "executions 1937-38").
fn estimate_label(series: &str) -> String {
    let words: Vec<&str> = series.trim_start_matches("estimate.").split('_').collect();
    let year = |w: &str| w.len() >= 2 && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit());
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(if year(w) && words[i - 1].len() == 4 && year(words[i - 1]) { '-' } else { ' ' });
        }
        out.push_str(w);
    }
    out
}

/// A tick on the year axis: the year where the tick falls on one, else no label (a tick at 1943.5
/// labelled "1944" would read as a second 1944).
fn year_label(v: &f64) -> String {
    if (v - v.round()).abs() < 0.01 {
        format!("{:.0}", v.round())
    } else {
        String::new()
    }
}

fn fmt_axis(v: f64, unit: Unit) -> String {
    crate::model::fmt_value(unit, v, if v.fract().abs() < 1e-9 { 0 } else { 1 })
}

fn draw_chart<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, c: &Chart) -> std::result::Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (top, rest) = root.split_vertically(48);
    top.draw(&Text::new(c.title.clone(), (20, 14), (FONT_FAMILY, 22).into_font().color(&BLACK))).map_err(e)?;
    // The footer grows with the note, so that a long list of sources is never cut off.
    let lines = wrap(&c.note, 170);
    let n = lines.len().max(3) as i32;
    let foot_h = 17 * n + 25;
    let main_h = H as i32 - 48 - foot_h;
    let (main, foot) = rest.split_vertically(main_h);
    let grey = RGBColor(60, 60, 60);
    for (i, line) in lines.into_iter().enumerate() {
        foot.draw(&Text::new(line, (20, 4 + 17 * i as i32), (FONT_FAMILY, 12).into_font().color(&grey))).map_err(e)?;
    }
    // the key to the marks this chart draws, and only those
    if c.kind == Kind::Lines {
        let marked = |f: &dyn Fn(&Pt) -> bool| c.layers.iter().filter(|l| l.style != Style::Points).any(|l| l.points.iter().any(f));
        let mut key = vec!["Shaded band / bars: range."];
        if marked(&|p| p.single && !p.gap_filled) {
            key.push("Hollow marker: one source only.");
        }
        if marked(&|p| p.gap_filled) {
            key.push("Triangle: gap-filled (derived).");
        }
        // a bound alone (an arrow) and a printed range (a capped bar), each said only where drawn
        let points = || c.layers.iter().filter(|l| l.style == Style::Points);
        if points().any(|l| l.points.iter().any(|p| bound_sign(p) != 0 && !in_printed_range(&l.points, p))) {
            key.push("Arrow up / down from a marker: the source prints a lower / upper bound (\"more than\", \"at most\").");
        }
        if points().any(|l| l.points.iter().any(|p| in_printed_range(&l.points, p))) {
            key.push("Capped bar: a range the source prints (\"from ... to ...\").");
        }
        foot.draw(&Text::new(key.join(" "), (20, 6 + 17 * n), (FONT_FAMILY, 12).into_font().color(&grey))).map_err(e)?;
    }
    let panels: Vec<DrawingArea<DB, Shift>> = if c.y_labels.len() == 2 { let (a, b) = main.split_vertically(main_h * 3 / 5); vec![a, b] } else { vec![main] };
    match c.kind {
        Kind::Estimates => return draw_estimates(&panels[0], c).map_err(|x| x.to_string()),
        Kind::Grid => return draw_grid(&panels[0], c).map_err(|x| x.to_string()),
        Kind::Lines => {}
    }
    // the chart's year span, widened to every point it holds: a point outside would be pinned to
    // the border and read as the border's year
    let xs = c.layers.iter().flat_map(|l| l.points.iter().map(|p| p.x)).filter(|x| x.is_finite());
    let x_range = xs.fold(c.x_range, |(a, b), x| (a.min(x - 0.5), b.max(x + 0.5)));
    for (pi, area) in panels.iter().enumerate() {
        let layers: Vec<(usize, &Layer)> = c.layers.iter().enumerate().filter(|(_, l)| l.panel == pi).collect();
        let unit = c.units[pi.min(c.units.len() - 1)];
        let ymax = layers.iter().flat_map(|(_, l)| l.points.iter().map(|p| p.high.max(p.value))).fold(0.0f64, f64::max);
        let ymin = layers.iter().flat_map(|(_, l)| l.points.iter().map(|p| p.low.min(p.value))).fold(0.0f64, f64::min);
        // room above the data for the legend (about 19 px a line), so that it hides no point
        let entries = layers.iter().filter(|(_, l)| !l.points.is_empty()).count() as f64;
        let plot_h = (area.dim_in_pixel().1 as f64 - 58.0).max(100.0);
        let legend = ((entries * 19.0 + 14.0) / plot_h).min(0.5);
        let builder = |area| {
            let mut b = ChartBuilder::on(area);
            b.margin(12).x_label_area_size(34).y_label_area_size(78);
            b
        };
        let last = pi + 1 == panels.len();
        if c.log_y && ymax > 0.0 {
            // a log axis from below the smallest figure: the same share of the height for the legend
            let floor = layers.iter().flat_map(|(_, l)| l.points.iter().flat_map(|p| [p.low, p.value])).filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min) / 1.5;
            let top = ymax * 1.3 * (ymax * 1.3 / floor).powf(legend / (1.0 - legend));
            let mut ch = builder(area).build_cartesian_2d(x_range.0..x_range.1, (floor..top).log_scale()).map_err(e)?;
            draw_panel(&mut ch, c, &layers, unit, x_range, top, floor, last, pi)?;
        } else {
            let ymax = if ymax <= 0.0 { 1.0 } else { ymax * 1.04 / (1.0 - legend) };
            let mut ch = builder(area).build_cartesian_2d(x_range.0..x_range.1, ymin..ymax).map_err(e)?;
            draw_panel(&mut ch, c, &layers, unit, x_range, ymax, f64::NEG_INFINITY, last, pi)?;
        }
    }
    Ok(())
}

/// One panel of a chart of series against years, on a linear or a log axis: its mesh, its layers
/// (bands, error bars, points) and its legend. `floor` is the bottom of a log axis (ranges that
/// reach below it are cut there); NEG_INFINITY on a linear one.
#[allow(clippy::too_many_arguments)]
fn draw_panel<'a, DB: DrawingBackend + 'a, Y: Ranged<ValueType = f64> + ValueFormatter<f64>>(ch: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>, c: &Chart, layers: &[(usize, &Layer)], unit: Unit, x_range: (f64, f64), ymax: f64, floor: f64, last: bool, pi: usize) -> std::result::Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let cut = |v: f64| v.max(floor);
    ch.configure_mesh()
        .x_desc(if last { "year" } else { "" })
        .y_desc(if c.log_y { format!("{} (log scale)", c.y_labels[pi]) } else { c.y_labels[pi].clone() })
        .x_label_formatter(&year_label)
        .y_label_formatter(&|v| fmt_axis(*v, unit))
        .label_style((FONT_FAMILY, 13))
        .axis_desc_style((FONT_FAMILY, 14))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(e)?;
    if layers.iter().all(|(_, l)| l.points.is_empty()) {
        ch.draw_series(std::iter::once(Text::new("No data read yet for this panel (see docs/wanted.md)".to_string(), (x_range.0 + (x_range.1 - x_range.0) * 0.25, ymax * 0.5), (FONT_FAMILY, 16)))).map_err(e)?;
    }
    for (li, l) in layers {
        if l.points.is_empty() {
            continue;
        }
        let col = PALETTE[*li % PALETTE.len()];
        // the marks of a layer whose every point rests on one source are hollow, in the legend too
        let all_single = l.points.iter().all(|p| p.single);
        let mark = move |single: bool| if single { ShapeStyle::from(&col).stroke_width(2) } else { col.filled() };
        match l.style {
            Style::Band => {
                for (si, seg) in segments(&l.points).into_iter().enumerate() {
                    let mut poly: Vec<(f64, f64)> = seg.iter().map(|p| (p.x, cut(p.high))).collect();
                    poly.extend(seg.iter().rev().map(|p| (p.x, cut(p.low))));
                    ch.draw_series(std::iter::once(Polygon::new(poly, col.mix(0.18).filled()))).map_err(e)?;
                    let a = ch.draw_series(LineSeries::new(seg.iter().map(|p| (p.x, cut(p.value))), col.stroke_width(2))).map_err(e)?;
                    if si == 0 {
                        a.label(l.label.clone()).legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], col.mix(0.5).filled()));
                    }
                }
            }
            Style::ErrorBars => {
                // a bar from low to high with caps at its ends, and no tick at the value, which
                // would fill a hollow marker
                ch.draw_series(l.points.iter().map(|p| PathElement::new(vec![(p.x, cut(p.low)), (p.x, cut(p.high))], col.stroke_width(2))))
                    .map_err(e)?
                    .label(l.label.clone())
                    .legend(move |(x, y)| Circle::new((x + 9, y), 4, mark(all_single)));
                // caps only where they stand clear of the marker (5 px), which they would otherwise fill
                let caps: Vec<(f64, f64)> = l
                    .points
                    .iter()
                    .filter(|p| p.high > p.low)
                    .flat_map(|p| [cut(p.low), cut(p.high)].map(move |v| (p.x, v)).into_iter().zip(std::iter::repeat(cut(p.value))))
                    .filter(|((x, v), val)| (ch.backend_coord(&(*x, *v)).1 - ch.backend_coord(&(*x, *val)).1).abs() > 5)
                    .map(|(c, _)| c)
                    .collect();
                ch.draw_series(caps.into_iter().map(|c| EmptyElement::at(c) + PathElement::new(vec![(-4, 0), (4, 0)], col.stroke_width(2)))).map_err(e)?;
            }
            Style::Points => {
                // overlaid sources: each a smaller marker than the one before, alternately
                // hollow, so identical figures from two sources both stay visible
                let r = (9 - 2 * (*li as i32)).max(3);
                let st = if li % 2 == 1 { ShapeStyle::from(&col).stroke_width(2) } else { col.filled() };
                ch.draw_series(l.points.iter().map(|p| Circle::new((p.x, cut(p.value)), r, st)))
                    .map_err(e)?
                    .label(l.label.clone())
                    .legend(move |(x, y)| Circle::new((x + 9, y), r.min(5), st));
                // a printed range (a lower and an upper bound of the source at one x): a bar between
                // its two ends, with caps; any other bound: an arrow from the marker toward the side
                // the figure leaves open
                let ranged = |p: &Pt| in_printed_range(&l.points, p);
                let bars = l.points.iter().filter(|p| bound_sign(p) == 1 && ranged(p)).filter_map(|p| {
                    let top = l.points.iter().find(|q| q.x == p.x && bound_sign(q) == -1)?;
                    Some(PathElement::new(vec![(p.x, cut(p.value)), (p.x, cut(top.value))], col.stroke_width(2)))
                });
                ch.draw_series(bars).map_err(e)?;
                let caps = l.points.iter().filter(|p| ranged(p)).map(|p| EmptyElement::at((p.x, cut(p.value))) + PathElement::new(vec![(-6, 0), (6, 0)], col.stroke_width(2)));
                ch.draw_series(caps).map_err(e)?;
                let arrows = l.points.iter().filter(|p| bound_sign(p) != 0 && !ranged(p)).map(|p| {
                    let d = -bound_sign(p) * (r + 10);
                    let head = d - d.signum() * 5;
                    EmptyElement::at((p.x, cut(p.value))) + PathElement::new(vec![(0, 0), (0, d)], col.stroke_width(2)) + PathElement::new(vec![(-4, head), (0, d), (4, head)], col.stroke_width(2))
                });
                ch.draw_series(arrows).map_err(e)?;
            }
        }
        // markers: hollow for single-source, triangle for gap-filled
        if l.style != Style::Points {
            ch.draw_series(l.points.iter().map(|p| EmptyElement::at((p.x, cut(p.value))) + Circle::new((0, 0), if p.gap_filled { 0 } else { 4 }, mark(p.single)))).map_err(e)?;
            ch.draw_series(l.points.iter().filter(|p| p.gap_filled).map(|p| TriangleMarker::new((p.x, cut(p.value)), 6, col.filled()))).map_err(e)?;
        }
    }
    if layers.iter().any(|(_, l)| !l.points.is_empty()) {
        ch.configure_series_labels()
            .position(if c.legend_right { SeriesLabelPosition::UpperRight } else { SeriesLabelPosition::UpperLeft })
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .label_font((FONT_FAMILY, 13))
            .draw()
            .map_err(e)?;
    }
    Ok(())
}

fn draw_estimates<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, c: &Chart) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB::ErrorType: 'static,
{
    let n = c.rows.len().max(1) as f64;
    let vals: Vec<f64> = c.layers.iter().flat_map(|l| l.points.iter().flat_map(|p| [p.low, p.high, p.value])).filter(|v| *v > 0.0).collect();
    let lo = vals.iter().cloned().fold(f64::INFINITY, f64::min).min(1e5) / 2.0;
    let hi = vals.iter().cloned().fold(0.0f64, f64::max).max(1e6) * 2.0;
    let rows = c.rows.clone();
    let mut ch = ChartBuilder::on(area).margin(12).x_label_area_size(34).y_label_area_size(label_width(&rows).max(330)).build_cartesian_2d((lo..hi).log_scale(), -0.5..(n + 2.5))?;
    ch.configure_mesh()
        .x_desc(c.y_labels[0].clone())
        .x_label_formatter(&|v| fmt_axis(*v, Unit::Persons))
        .y_labels(rows.len().max(1) + 3)
        .y_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 0.01 && i >= 0.0 { rows.get(i as usize).cloned().unwrap_or_default() } else { String::new() }
        })
        .label_style((FONT_FAMILY, 12))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    let grey = RGBColor(120, 120, 120);
    let blue = PALETTE[0];
    let orange = PALETTE[4];
    ch.draw_series(c.layers[0].points.iter().map(|p| Rectangle::new([(p.low.max(lo), p.x - 0.3), (p.high.max(lo * 1.01), p.x + 0.3)], grey.mix(0.35).filled())))?
        .label(c.layers[0].label.clone())
        .legend(move |(x, y)| EmptyElement::at((x, y)) + Rectangle::new([(0, -5), (18, 5)], grey.mix(0.35).filled()) + PathElement::new(vec![(9, -6), (9, 6)], blue.stroke_width(3)));
    ch.draw_series(c.layers[0].points.iter().map(|p| PathElement::new(vec![(p.value, p.x - 0.35), (p.value, p.x + 0.35)], blue.stroke_width(3))))?;
    ch.draw_series(c.layers[1].points.iter().map(|p| PathElement::new(vec![(p.low, p.x), (p.high, p.x)], orange.stroke_width(2))))?
        .label(c.layers[1].label.clone())
        .legend(move |(x, y)| Circle::new((x + 9, y), 4, orange.filled()));
    // a point estimate: a dot; a printed range: a dot at each printed end
    ch.draw_series(c.layers[1].points.iter().flat_map(|p| if p.value.is_nan() { vec![p.low, p.high] } else { vec![p.value] }.into_iter().map(move |v| Circle::new((v, p.x), 5, orange.filled()))))?;
    // three empty rows at the top hold the legend, so that it hides no row
    ch.configure_series_labels().position(SeriesLabelPosition::UpperRight).background_style(WHITE.mix(0.85)).border_style(RGBColor(200, 200, 200)).label_font((FONT_FAMILY, 13)).draw()?;
    Ok(())
}

/// Room for the longest row label of a category axis: about 6 px a character at the label size.
fn label_width(rows: &[String]) -> u32 {
    rows.iter().map(|r| r.chars().count()).max().unwrap_or(0) as u32 * 6 + 24
}

fn draw_grid<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, c: &Chart) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB::ErrorType: 'static,
{
    let n = c.layers.len().max(1);
    let rows = c.rows.clone();
    let (x0, x1) = c.x_range;
    let mut ch = ChartBuilder::on(area).margin(12).x_label_area_size(30).y_label_area_size(label_width(&rows)).build_cartesian_2d(x0..x1, -0.5..(n as f64 - 0.5))?;
    ch.configure_mesh()
        .disable_mesh()
        .x_labels(((x1 - x0) / 2.0).ceil() as usize)
        .x_label_formatter(&year_label)
        .y_labels(n)
        .y_label_formatter(&|v| {
            // the first target at the top
            let i = v.round();
            if (v - i).abs() < 0.01 && i >= 0.0 { (n - 1).checked_sub(i as usize).and_then(|k| rows.get(k)).cloned().unwrap_or_default() } else { String::new() }
        })
        .label_style((FONT_FAMILY, 12))
        .draw()?;
    let colour = |k: f64| match k as usize {
        0 => RGBColor(238, 238, 238),
        1 => RGBColor(243, 203, 128),
        2 => RGBColor(134, 196, 232),
        _ => PALETTE[0],
    };
    let legend = [(0.0, "no document"), (1.0, "one document"), (2.0, "two documents"), (3.0, "three or more")];
    for (k, text) in legend {
        let col = colour(k);
        ch.draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?.label(text).legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], col.filled()));
    }
    // documents that contradict each other: a red frame (keyed only where one is drawn)
    let disagree = |p: &&Pt| p.flags.split(';').any(|f| f == "documents-disagree");
    let frame = RGBColor(200, 30, 30);
    if c.layers.iter().any(|l| l.points.iter().any(|p| disagree(&p))) {
        ch.draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?.label("documents disagree").legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], frame.stroke_width(2)));
    }
    // a year left blank on purpose (a dash or "no data" in a table): a dash in the empty cell
    let marked = |p: &&Pt| p.flags.split(';').any(|f| f == "no-figure-printed");
    if c.layers.iter().any(|l| l.points.iter().any(|p| marked(&p))) {
        ch.draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label("a dash or 'no data' printed")
            .legend(move |(x, y)| Text::new("-", (x + 4, y - 8), (FONT_FAMILY, 14).into_font().color(&BLACK)));
    }
    for (i, l) in c.layers.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        ch.draw_series(l.points.iter().map(|p| Rectangle::new([(p.x - 0.46, y - 0.42), (p.x + 0.46, y + 0.42)], colour(p.value).filled())))?;
        ch.draw_series(l.points.iter().filter(marked).map(|p| Text::new("-", (p.x - 0.12, y + 0.3), (FONT_FAMILY, 14).into_font().color(&BLACK))))?;
        ch.draw_series(l.points.iter().filter(disagree).map(|p| Rectangle::new([(p.x - 0.44, y - 0.40), (p.x + 0.44, y + 0.40)], frame.stroke_width(2))))?;
        ch.draw_series(l.points.iter().filter(|p| p.value > 0.0).map(|p| {
            let ink = if p.value >= 3.0 { WHITE } else { BLACK };
            Text::new(format!("{:.0}", p.value), (p.x - 0.18, y + 0.25), (FONT_FAMILY, 11).into_font().color(&ink))
        }))?;
    }
    ch.configure_series_labels().position(SeriesLabelPosition::LowerRight).background_style(WHITE.mix(0.9)).border_style(RGBColor(200, 200, 200)).label_font((FONT_FAMILY, 12)).draw()?;
    Ok(())
}

/// Draw the named charts (all when `names` is empty) into `dir`.
pub fn draw(an: &Analysis, names: &[String], dir: &Path, fmt: Format) -> Result<Vec<String>> {
    let charts: Vec<Chart> = build_charts(an).into_iter().filter(|c| names.is_empty() || names.iter().any(|n| n == c.name)).collect();
    write_charts(&charts, dir, fmt)
}

/// Draw the given charts into `dir` (SVG and/or PNG, bundled font); returns the file names.
pub fn write_charts(charts: &[Chart], dir: &Path, fmt: Format) -> Result<Vec<String>> {
    init_font();
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let mut written = Vec::new();
    for c in charts {
        if fmt != Format::Png {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (W, H)).into_drawing_area();
                draw_chart(root, c).map_err(|m| Error::Other(format!("{}: {m}", c.name)))?;
            }
            let f = format!("{}.svg", c.name);
            crate::output::write_atomic(&dir.join(&f), s.as_bytes())?;
            written.push(f);
        }
        if fmt != Format::Svg {
            let mut buf = vec![0u8; (W * H * 3) as usize];
            {
                let backend = crate::glyphs::GlyphFix::new(BitMapBackend::with_buffer(&mut buf, (W, H)), FONT).ok_or_else(|| Error::Other("the bundled font cannot be read".into()))?;
                let root = backend.into_drawing_area();
                draw_chart(root, c).map_err(|m| Error::Other(format!("{}: {m}", c.name)))?;
            }
            let png = encode_png(&buf, W, H)?;
            let f = format!("{}.png", c.name);
            crate::output::write_atomic(&dir.join(&f), &png)?;
            written.push(f);
        }
    }
    Ok(written)
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(rgb, w, h, image::ColorType::Rgb8).map_err(|e| Error::Other(e.to_string()))?;
    Ok(out)
}

/// The exact table behind each chart, for redrawing it in another tool.
pub fn chart_tables(an: &Analysis) -> Vec<Table> {
    let fields = vec![
        f("chart", FieldType::String, "Chart file name (charts/<chart>.svg|png)", true),
        f("layer", FieldType::String, "Legend label of the drawn series", true),
        f("row", FieldType::String, "Row label (the estimates-vs-archives and estimates-population charts), else empty", false),
        f("period_start", FieldType::Date, "First day of the period", true),
        f("period_end", FieldType::Date, "Last day of the period", true),
        f("x", FieldType::Number, "Horizontal position as drawn (fractional year, or row index)", true),
        f("value", FieldType::Number, "Value drawn (empty where a printed range is drawn as its two ends, with no value between them)", false),
        f("low", FieldType::Number, "Low end of the drawn range", true),
        f("high", FieldType::Number, "High end of the drawn range", true),
        f("sources", FieldType::String, "Sources, ';'-joined (in the coverage chart, the documents counted, each by its witness group's name or its source id)", false),
        f("flags", FieldType::String, "Flags of the reconciled row (coverage chart: documents-disagree marks a cell whose documents disagree, no-figure-printed a year no document gives where a table prints a dash or 'no data'; estimates-vs-archives and estimates-population: a published estimate's lower-bound/upper-bound, an archival row's 'archival <series> <period>' then the flags of the reconciled rows it takes; sources-* charts: a source's figure printed as a bound, lower-bound or upper-bound)", false),
    ];
    let charts = build_charts(an);
    let mut rows = Vec::new();
    for c in &charts {
        for l in &c.layers {
            for p in &l.points {
                let row = if c.kind == Kind::Estimates { c.rows.get(p.x as usize).cloned().unwrap_or_default() } else { String::new() };
                rows.push(vec![
                    Cell::Str(c.name.into()),
                    Cell::Str(l.label.clone()),
                    Cell::Str(row),
                    Cell::Str(p.period.start.to_string()),
                    Cell::Str(p.period.end.to_string()),
                    Cell::Num(Some((p.x, 3))),
                    Cell::Num(Some((p.value, 2)).filter(|(v, _)| v.is_finite())),
                    Cell::Num(Some((p.low, 2))),
                    Cell::Num(Some((p.high, 2))),
                    Cell::Str(p.sources.clone()),
                    Cell::Str(p.flags.clone()),
                ]);
            }
        }
    }
    vec![Table {
        name: "charts".into(),
        title: "The data behind every chart that build draws".into(),
        description: "One row per point drawn in the charts that gulagstats build writes to charts/ (the register charts, drawn by gulagstats register from a register outside the repository, are not included): its layer, period, value and range, sources and flags.".into(),
        fields,
        // no key: a row of the estimates chart may hold several points of one period (separate
        // estimates of one author), and most charts have no row label
        primary_key: vec![],
        rows,
        parquet: true,
    }]
}

/// The years from `from` to `to` of the findings of one identity on one series, as a note says them
/// ("1941, 1946 and 1953"), or none.
fn finding_years(an: &Analysis, identity: &str, series: &str, from: i32, to: i32) -> Option<String> {
    let mut years: Vec<i32> = an.findings.iter().filter(|f| f.identity == identity && f.series == series).flat_map(|f| f.rows.first()).map(|(_, p)| p.start.y).filter(|y| (from..=to).contains(y)).collect();
    years.sort();
    years.dedup();
    let years: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    match years.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_ticks_are_labelled_only_on_years() {
        assert_eq!(super::year_label(&1944.0), "1944");
        assert_eq!(super::year_label(&1943.5), "");
        assert_eq!(super::year_label(&1939.999), "1940");
    }
    #[test]
    fn estimate_labels_join_spans_of_years() {
        assert_eq!(super::estimate_label("estimate.executions_1937_38"), "executions 1937-38");
        assert_eq!(super::estimate_label("estimate.gulag_deaths_incl_medical_releases_1930_53"), "gulag deaths incl medical releases 1930-53");
        assert_eq!(super::estimate_label("estimate.custody_population_1942"), "custody population 1942");
        assert_eq!(super::estimate_label("estimate.prisoners_end_1940"), "prisoners end 1940");
    }
}
