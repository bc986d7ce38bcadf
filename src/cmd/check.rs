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
        // the rows of the claims and findings exports (data/clean/claims.json, findings.json), as the
        // contract has it: figures as numbers (null when not evaluable), findings of both kinds
        let claims = crate::export::json_bytes(&crate::export::claims_table(&an.claims));
        let findings = crate::export::json_bytes(&crate::export::findings_table(&an.findings, &an.loaded.diagnostics));
        let text = format!("{{\"claims\": {}, \"findings\": {}}}\n", String::from_utf8_lossy(&claims).trim_end(), String::from_utf8_lossy(&findings).trim_end());
        crate::output::stdout(&text)?;
    } else {
        crate::output::stdout(&crate::check::render_text(&an.claims, &an.findings))?;
    }
    Ok(if an.failed_claims() > 0 { 1 } else { 0 })
}
