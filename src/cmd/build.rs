use crate::error::{Error, Result};
use std::path::PathBuf;

/// The main job: validate, tidy, reconcile, check claims, draw every chart, write every export.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Output root [default: the current folder]: charts go to <out>/charts, datasets to <out>/data/clean
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(a: &Args) -> Result<i32> {
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("."));
    super::check_out(&out, &super::data_dir(&a.data))?;
    let pb = crate::output::progress(4, "build");
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    // both folders checked before either is written: a failure half-way would mix two runs
    let (charts_dir, clean_dir) = (out.join("charts"), out.join("data").join("clean"));
    crate::output::preflight(&[&charts_dir, &clean_dir], |n| {
        let (stem, ext) = n.rsplit_once('.').unwrap_or((n, ""));
        match ext {
            "svg" | "png" => crate::charts::NAMES.contains(&stem),
            "csv" | "json" | "parquet" => true,
            _ => false,
        }
    })?;
    pb.inc(1);
    let findings = an.loaded.diagnostics.len();
    pb.set_message("charts");
    let charts = crate::charts::draw(&an, &[], &out.join("charts"), crate::charts::Format::All)?;
    // a chart these data no longer draw (the coverage chart without coverage targets) must not
    // outlive them; only the names build draws are touched (not the register's charts)
    let names = crate::charts::NAMES.iter().flat_map(|n| ["svg", "png"].map(|ext| format!("{n}.{ext}")));
    let removed = crate::output::remove_stale(&out.join("charts"), names, &charts)?;
    crate::output::report_removed(&out.join("charts"), &removed);
    pb.inc(1);
    pb.set_message("export");
    let mut tables = an.export_tables();
    tables.extend(crate::charts::chart_tables(&an));
    let files = crate::export::write_all(&out.join("data").join("clean"), &tables, &an.sources(), crate::export::Format::All)?;
    pb.inc(1);
    pb.finish_and_clear();
    let count = |st: &str| an.claims.iter().filter(|c| c.status == st).count();
    crate::eline!(
        "{} observations ({} printed), {} reconciled rows, {} conflicts; claims: {} pass, {} fail, {} documented, {} not-evaluable; {} identity findings, {} data findings; {} chart files, {} dataset files",
        an.observations.len(),
        an.loaded.observations.len(),
        an.reconciled.len(),
        an.reconciled.iter().filter(|r| r.has_flag("conflict")).count(),
        count("pass"),
        count("fail"),
        count("documented"),
        count("not-evaluable"),
        an.findings.len(),
        findings,
        charts.len(),
        files.len()
    );
    crate::eline!("wrote {} chart file(s) to {} and {} dataset file(s) to {}", charts.len(), out.join("charts").display(), files.len(), out.join("data").join("clean").display());
    for n in crate::pipeline::missing_optional(&super::data_dir(&a.data)) {
        crate::eline!("{n}");
    }
    for c in an.claims.iter().filter(|c| c.status == "fail") {
        crate::eline!("claim {} failed: expected {}, computed {} ({})", c.id, c.expected, c.computed, c.statement);
    }
    if an.failed_claims() > 0 {
        return Err(Error::Failed(format!("{} claim(s) failed without a documented reason", an.failed_claims())));
    }
    Ok(0)
}
