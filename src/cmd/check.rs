use crate::error::{Error, Result};
use std::path::PathBuf;

/// Evaluate every published total in the claims registry against the data.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Claims to show, by id; an id ending in '*' names every claim whose id starts with the rest
    /// (`applebaum-text-*`). None: every claim
    pub claims: Vec<String>,
    /// Data folder [default: data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// text (for people) or json (for programs)
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Only the claims that cite this source (repeatable)
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Only the claims with this status: pass, fail, documented, not-evaluable (repeatable)
    #[arg(long = "status", value_name = "STATUS")]
    pub statuses: Vec<String>,
}

const STATUSES: [&str; 4] = ["pass", "fail", "documented", "not-evaluable"];

impl Args {
    fn filtered(&self) -> bool {
        !self.claims.is_empty() || !self.sources.is_empty() || !self.statuses.is_empty()
    }
}

/// Whether a claim id is named by one of the patterns (none: every claim).
fn named(id: &str, patterns: &[String]) -> bool {
    patterns.is_empty() || patterns.iter().any(|p| super::named_by(id, p))
}

pub fn run(a: &Args) -> Result<i32> {
    if a.format != "text" && a.format != "json" {
        return Err(Error::Usage(format!("--format must be text or json, not '{}'", a.format)));
    }
    if let Some(s) = a.statuses.iter().find(|s| !STATUSES.contains(&s.as_str())) {
        return Err(Error::Usage(format!("--status must be one of {}, not '{s}'", STATUSES.join(", "))));
    }
    let an = crate::pipeline::analyse(&super::data_dir(&a.data))?;
    super::check_sources(&an, &a.sources)?;
    if let Some(p) = a.claims.iter().find(|p| !an.claims.iter().any(|c| named(&c.id, std::slice::from_ref(p)))) {
        return Err(Error::Usage(format!("no claim of the registry is named '{p}' (an id, or the start of ids followed by '*')")));
    }
    // the claims asked for; the exit status reports these (all of them without a filter)
    let shown: Vec<crate::check::ClaimResult> = an
        .claims
        .iter()
        .filter(|c| named(&c.id, &a.claims) && (a.sources.is_empty() || a.sources.contains(&c.source_id)) && (a.statuses.is_empty() || a.statuses.contains(&c.status)))
        .cloned()
        .collect();
    if a.format == "json" {
        // the rows of the claims and findings exports (data/clean/claims.json, findings.json), as the
        // contract has it: figures as numbers (null when not evaluable), findings of both kinds
        let claims = crate::export::json_bytes(&crate::export::claims_table(&shown));
        let findings = crate::export::json_bytes(&crate::export::findings_table(&an.findings, &an.loaded.diagnostics));
        let text = format!("{{\"claims\": {}, \"findings\": {}}}\n", String::from_utf8_lossy(&claims).trim_end(), String::from_utf8_lossy(&findings).trim_end());
        crate::output::stdout(&text)?;
    } else if a.filtered() {
        let mut text = crate::check::render_text(&shown, &[]);
        text.push_str(&format!("({} of the registry's {} claims; the accounting identities are shown by `check` without a filter)\n", shown.len(), an.claims.len()));
        crate::output::stdout(&text)?;
    } else {
        crate::output::stdout(&crate::check::render_text(&an.claims, &an.findings))?;
    }
    Ok(if shown.iter().any(|c| c.status == "fail") { 1 } else { 0 })
}
