use crate::error::{Error, Result};
use crate::register;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Read a per-camp register (e.g. ../shared/registers/camps-register.csv) through its manifest,
/// sum it bottom-up, compare with the central camp totals, check claims, write tables and charts.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The register CSV
    pub path: PathBuf,
    /// Register manifest (default: registers/camps-register.toml, else the built-in copy)
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Data folder for the central (top-down) camp totals [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Output folder (required, except with --bench)
    #[arg(long, value_name = "DIR", required_unless_present = "bench")]
    pub out: Option<PathBuf>,
    /// Time N runs (1 to 1000) of import + comparison and print the timing (writes nothing)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub bench: Option<u16>,
}

struct Run {
    imp: register::Import,
    claims: Vec<register::RegisterClaim>,
    totals: Vec<register::YearTotal>,
    cmp: Vec<register::Comparison>,
}

fn run_once(a: &Args, data: &Path) -> Result<Run> {
    run_timed(a, data).map(|(r, _)| r)
}

/// One run; also returns the seconds spent reading the register (import + sums).
fn run_timed(a: &Args, data: &Path) -> Result<(Run, f64)> {
    let t0 = Instant::now();
    let mut imp = register::load(&a.path, a.manifest.as_deref())?;
    let totals = register::totals(&imp);
    let t_import = t0.elapsed().as_secs_f64();
    let an = crate::pipeline::analyse(data)?;
    let src = &imp.manifest.source_id;
    if !an.loaded.catalog.sources.contains_key(src.get_ref()) {
        let (l, c) = register::manifest_pos(&imp, src.span());
        let d = crate::diag::Diagnostic::error(&imp.manifest_file, l, c, crate::diag::kind::UNKNOWN_SOURCE, format!("source_id '{}' is not in {}/sources.csv", src.get_ref(), data.display()));
        imp.diagnostics.push(d);
        imp.diagnostics.sort();
    }
    let cmp = register::compare(&imp, &totals, &an.reconciled);
    Ok((Run { imp, totals, cmp, claims: an.loaded.register_claims }, t_import))
}

pub fn run(a: &Args) -> Result<i32> {
    let data = super::data_dir(&a.data);
    if let Some(n) = a.bench {
        let n = n as usize;
        let (mut times, mut imports) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let t = Instant::now();
            let (r, ti) = run_timed(a, &data)?;
            let _ = register::check_claims(&r.imp, &r.claims);
            std::hint::black_box(&r.cmp);
            times.push(t.elapsed().as_secs_f64());
            imports.push(ti);
        }
        times.sort_by(|x, y| x.total_cmp(y));
        imports.sort_by(|x, y| x.total_cmp(y));
        let mean = times.iter().sum::<f64>() / n as f64;
        crate::output::stdout(&format!("register import+comparison: {n} run(s), min {:.1} ms, median {:.1} ms, mean {:.1} ms, max {:.1} ms; of which reading the register (median) {:.1} ms\n", times[0] * 1e3, times[n / 2] * 1e3, mean * 1e3, times[n - 1] * 1e3, imports[n / 2] * 1e3))?;
        return Ok(0);
    }
    let out = a.out.clone().ok_or_else(|| Error::Usage("--out DIR is required".into()))?;
    super::check_out(&out, &data)?;
    let r = run_once(a, &data)?;
    let imp = &r.imp;
    std::fs::create_dir_all(&out).map_err(|e| Error::io("create folder", &out, e))?;
    crate::output::write_atomic(&out.join("register-report.txt"), register::report_text(imp).as_bytes())?;
    if imp.has_errors() {
        // the register and its manifest lie outside the data folder: their paths print as typed
        for d in imp.diagnostics.iter().filter(|d| d.is_error()) {
            crate::eline!("{d}");
        }
        let n = imp.diagnostics.iter().filter(|d| d.is_error()).count();
        return Err(Error::Failed(format!("the register could not be read: {n} error(s); see {}", out.join("register-report.txt").display())));
    }
    let obs = register::observations(imp, &r.totals);
    crate::output::write_atomic(&out.join("register-observations.csv"), &crate::export::csv_bytes(&crate::export::observations_table(&obs))?)?;
    crate::output::write_atomic(&out.join("register-totals.csv"), &register::totals_csv(&r.totals, imp)?)?;
    crate::output::write_atomic(&out.join("register-comparison.csv"), &register::comparison_csv(&r.cmp)?)?;
    crate::output::write_atomic(&out.join("register-largest-camps.csv"), &register::largest_csv(imp, &r.totals, 5)?)?;
    let checks = register::check_claims(imp, &r.claims);
    let ctext = register::claims_text(&checks);
    crate::output::write_atomic(&out.join("register-claims.txt"), ctext.as_bytes())?;
    let charts = crate::charts::write_charts(&register::charts(imp, &r.totals, &r.cmp), &out, crate::charts::Format::All)?;

    let mut s = format!("{}: {} rows, {} camps, {} yearly columns ({}-{}), {} figures read, {} blank cells\n", imp.file, imp.rows, imp.camps.len(), imp.year_columns.len(), imp.manifest.values.from, imp.manifest.values.to, imp.value_cells, imp.blank_cells);
    let kinds = imp.unread_by_kind();
    s.push_str(&format!("not read or problems ({} lines in register-report.txt): {}\n", imp.diagnostics.len(), kinds.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")));
    // the other reading of a year (for 1 January stocks: the count at the year's end, set against the
    // next 1 January), since many rows of a register may follow it (docs/registers.md)
    let alt_head = match imp.period.alt_reading() {
        "" => String::new(),
        reading => format!("ratio, {reading}"),
    };
    s.push_str(format!("year  register sum  camps  central camps.population (range)      ratio (range)        {alt_head}").trim_end());
    s.push('\n');
    for c in &r.cmp {
        let td = c.top_down.as_ref().map(|t| format!("{} ({}-{})", crate::model::fmt_thousands(t.value), crate::model::fmt_thousands(t.low), crate::model::fmt_thousands(t.high))).unwrap_or_else(|| "-".into());
        let ra = c.ratio().map(|(v, l, h)| format!("{v:.3} ({l:.3}-{h:.3})")).unwrap_or_else(|| "-".into());
        let alt = if alt_head.is_empty() { String::new() } else { c.alt_ratio().map(|x| format!("{x:.3}")).unwrap_or_else(|| "-".into()) };
        let line = format!("{}  {:>11}  {:>5}  {:<38} {:<20} {}", c.total.year, crate::model::fmt_thousands(c.total.sum), c.total.reporting, td, ra, alt);
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s.push('\n');
    s.push_str(&ctext);
    crate::output::stdout(&s)?;
    crate::eline!("wrote register-observations.csv, register-totals.csv, register-comparison.csv, register-largest-camps.csv, register-report.txt, register-claims.txt and {} chart file(s) to {}", charts.len(), out.display());
    // as in `check`: a claim the register contradicts fails the run unless its reason is recorded
    let failed = checks.iter().filter(|c| c.status == "fail").count();
    if failed > 0 {
        let file = crate::diag::shown_path(&data, "register-claims.csv");
        return Err(Error::Failed(format!("{failed} register claim(s) failed without a documented reason ({file}, column explanation)")));
    }
    Ok(0)
}
