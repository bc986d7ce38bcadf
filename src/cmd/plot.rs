use crate::error::{Error, Result};
use std::path::PathBuf;

/// Draw the named figures (all when none is named).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Figure names, e.g. figure-a mortality-rate
    pub figures: Vec<String>,
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Output folder for the chart files
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// svg, png or all
    #[arg(long, default_value = "all")]
    pub format: String,
}

pub fn run(a: &Args) -> Result<i32> {
    let fmt = crate::charts::Format::parse(&a.format).ok_or_else(|| Error::Usage(format!("--format must be svg, png or all, not '{}'", a.format)))?;
    for f in &a.figures {
        if !crate::charts::NAMES.contains(&f.as_str()) {
            return Err(Error::Usage(format!("unknown figure '{f}'; known: {}", crate::charts::NAMES.join(", "))));
        }
    }
    super::check_out(&a.out, &super::data_dir(&a.data))?;
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    let written = crate::charts::draw(&an, &a.figures, &a.out, fmt)?;
    // a known figure can be absent from these data (the coverage chart without data/coverage.toml)
    for f in &a.figures {
        if !written.iter().any(|w| w.strip_suffix(".svg").or_else(|| w.strip_suffix(".png")) == Some(f.as_str())) {
            return Err(Error::Usage(format!("figure '{f}' has nothing to draw in these data")));
        }
    }
    crate::eline!("wrote {} file(s) to {}", written.len(), a.out.display());
    Ok(0)
}
