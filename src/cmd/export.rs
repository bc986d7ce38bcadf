use crate::error::{Error, Result};
use std::path::PathBuf;

/// Write the cleaned datasets and datapackage.json.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Output folder
    #[arg(long)]
    pub out: PathBuf,
    /// csv, parquet, json or all
    #[arg(long, default_value = "all")]
    pub format: String,
}

pub fn run(a: &Args) -> Result<i32> {
    let fmt = crate::export::Format::parse(&a.format).ok_or_else(|| Error::Usage(format!("--format must be csv, parquet, json or all, not '{}'", a.format)))?;
    super::check_out(&a.out, &super::data_dir(&a.data))?;
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    let mut tables = an.export_tables();
    tables.extend(crate::charts::chart_tables(&an));
    let written = crate::export::write_all(&a.out, &tables, &an.sources(), fmt)?;
    crate::eline!("wrote {} file(s) to {}", written.len(), a.out.display());
    Ok(0)
}
