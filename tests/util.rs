use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gulagstats"))
}

pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

/// A temporary folder holding a copy of the fixture as `data/`.
pub struct Work {
    pub dir: tempfile::TempDir,
}

impl Work {
    pub fn new() -> Work {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(), &dir.path().join("data"));
        Work { dir }
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    pub fn write(&self, rel: &str, content: &[u8]) {
        let p = self.data().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    /// Add lines at the end of a file of the data folder (a row of a table, a rule, a series).
    pub fn append(&self, rel: &str, text: &str) {
        let t = self.read(rel) + text;
        self.write(rel, t.as_bytes());
    }
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.data().join(rel)).unwrap()
    }
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(bin()).current_dir(self.dir.path()).args(args).env_remove("CI").output().unwrap()
    }
    /// `export --format csv` into the folder `out`, which must succeed; the text of its reconciled.csv.
    pub fn export_reconciled(&self, out: &str) -> String {
        let o = self.run(&["export", "--out", out, "--format", "csv"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(self.path(&format!("{out}/reconciled.csv"))).unwrap()
    }
}

/// The line of a CSV text that begins with `prefix`; panics, showing the text, where none does.
pub fn line_of(text: &str, prefix: &str) -> String {
    text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no line begins with {prefix} in:\n{text}")).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
