//! Writing outputs: atomically (temporary file + rename), so a failed run leaves earlier outputs
//! intact; and progress bars only when a person watches a terminal.

use crate::error::{Error, Result};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io("write", path, e));
    }
    Ok(())
}

/// Before a command writes anything: every output folder can be made and written into, and no file it
/// writes stands in the way as a folder. A run that would fail half-way (a read-only `data/clean`, a
/// folder where `findings.csv` goes) then fails before it has replaced a single output, and the outputs
/// of the earlier run stay as they were, all of one run.
pub fn preflight(dirs: &[&Path], is_output: impl Fn(&str) -> bool) -> Result<()> {
    for dir in dirs {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
        let probe = dir.join(format!(".gulagstats-probe-{}", std::process::id()));
        std::fs::File::create(&probe).map_err(|e| Error::io("write into", dir, e))?;
        let _ = std::fs::remove_file(&probe);
        let rd = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
        let mut blocked: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| is_output(n))
            .collect();
        blocked.sort();
        if let Some(n) = blocked.first() {
            let path = dir.join(n);
            return Err(Error::io("write", &path, std::io::Error::other("a folder stands where this output file goes; nothing was written")));
        }
    }
    Ok(())
}

/// Remove from `dir` each file of `names` (the files a command can write) that this run did not
/// write: an output of an earlier run must not outlive the run that replaced it. Returns the names
/// removed, for the command to report.
pub fn remove_stale(dir: &Path, names: impl IntoIterator<Item = String>, written: &[String]) -> Result<Vec<String>> {
    let mut removed = vec![];
    for name in names {
        let f = dir.join(&name);
        if !written.contains(&name) && f.is_file() {
            std::fs::remove_file(&f).map_err(|e| Error::io("remove the stale file", &f, e))?;
            removed.push(name);
        }
    }
    Ok(removed)
}

/// Say on stderr which files of an earlier run were removed, if any.
pub fn report_removed(dir: &Path, removed: &[String]) {
    if !removed.is_empty() {
        crate::eline!("removed {} file(s) of an earlier run from {} (not written by this one): {}", removed.len(), dir.display(), removed.join(", "));
    }
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (pipes, CI, tests).
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    if std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
        let pb = indicatif::ProgressBar::new(len);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len}") {
            pb.set_style(style.progress_chars("=> "));
        }
        pb.set_message(what.to_string());
        pb
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Write a CSV from a header and rows of strings.
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    w.write_record(header).map_err(|e| Error::Other(e.to_string()))?;
    for r in rows {
        w.write_record(r).map_err(|e| Error::Other(e.to_string()))?;
    }
    w.into_inner().map_err(|e| Error::Other(e.to_string()))
}

/// Print a command's report to stdout. A reader that stops early (`gulagstats conflicts | head`)
/// closes the pipe: that ends the output quietly instead of panicking.
pub fn stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Other(format!("writing to stdout: {e}"))),
        _ => Ok(()),
    }
}
