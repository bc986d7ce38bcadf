use crate::error::{Error, Result};
use std::path::PathBuf;

/// Evaluate every published total in the claims registry against the data.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// text (for people) or json (for programs)
    #[arg(long, default_value = "text")]
    pub format: String,
}

pub fn run(a: &Args) -> Result<i32> {
    if a.format != "text" && a.format != "json" {
        return Err(Error::Usage(format!("--format must be text or json, not '{}'", a.format)));
    }
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    if a.format == "json" {
        let v = serde_json::json!({"claims": an.claims, "findings": an.findings});
        crate::output::stdout(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))?;
    } else {
        crate::output::stdout(&crate::check::render_text(&an.claims, &an.findings))?;
    }
    Ok(if an.failed_claims() > 0 { 1 } else { 0 })
}
