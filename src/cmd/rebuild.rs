use crate::error::{Error, Result};

/// Show the printed tables whose cells no copy let us read, rebuilt from the other sources.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub report: super::ReportArgs,
    /// Only these tables (`grz1993/appendix-a`) or sources (`grz1993`)
    pub tables: Vec<String>,
}

pub fn run(a: &Args) -> Result<i32> {
    let an = a.report.analyse()?;
    let ts = crate::rebuild::tables(&an, &a.tables);
    // every name asked for must match a table or a source: a typo beside a known name is not dropped
    if let Some(n) = a.tables.iter().find(|n| !ts.is_empty() && !ts.iter().any(|t| &t.name() == *n || &t.source_id == *n)) {
        return Err(Error::Usage(format!("no table with unread cells named {n}")));
    }
    if ts.is_empty() {
        return Err(Error::Usage(if a.tables.is_empty() { "no table has unread cells".into() } else { format!("no table with unread cells among {}", a.tables.join(", ")) }));
    }
    a.report.format.print(|| crate::rebuild::render_text(&ts), || crate::rebuild::render_csv(&ts))
}
