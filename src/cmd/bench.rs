use crate::error::Result;
use std::path::PathBuf;
use std::time::Instant;

/// Measure the pipeline stages on the bundled data (a benchmark, not a test: nothing asserts on time).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Repetitions (the median is reported), 1 to 1000
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub runs: u16,
}

fn median_ms(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

pub fn run(a: &Args) -> Result<i32> {
    let dir = super::data_dir(&a.data);
    let runs = a.runs as usize;
    let (mut t_an, mut t_ch, mut t_ex) = (vec![], vec![], vec![]);
    let tmp = std::env::temp_dir().join(format!("gulagstats-bench-{}", std::process::id()));
    let mut derived = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let an = crate::pipeline::analyse(&dir)?;
        t_an.push(t.elapsed().as_secs_f64() * 1000.0);
        derived = an.derived.len();
        let t = Instant::now();
        crate::charts::draw(&an, &[], &tmp.join("charts"), crate::charts::Format::All)?;
        t_ch.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let mut tables = an.export_tables();
        tables.extend(crate::charts::chart_tables(&an));
        crate::export::write_all(&tmp.join("clean"), &tables, &an.sources(), crate::export::Format::All)?;
        t_ex.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = std::fs::remove_dir_all(&tmp);
    crate::output::stdout(&format!(
        "ingest+validate+reconcile+Monte Carlo ({derived} derived values x {} draws each)+check: {:.1} ms\nall charts (SVG+PNG): {:.1} ms\nall exports (CSV+JSON+Parquet+datapackage): {:.1} ms\n",
        crate::derive::DRAWS,
        median_ms(t_an),
        median_ms(t_ch),
        median_ms(t_ex)
    ))?;
    Ok(0)
}
