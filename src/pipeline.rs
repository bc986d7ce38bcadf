//! The stages run in order on a data folder. Every command starts here.

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::ingest::Catalog;
use crate::model::Observation;
use crate::validate::TypedTable;
use std::path::Path;

pub struct Loaded {
    pub catalog: Catalog,
    pub tables: Vec<TypedTable>,
    pub observations: Vec<Observation>,
    /// Claims about single camps (`register-claims.csv`), checked by `gulagstats register`.
    pub register_claims: Vec<crate::register::RegisterClaim>,
    /// Errors and findings, sorted by file, line, column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
}

/// Ingest, validate and tidy. Never stops at the first problem.
pub fn load(data_dir: &Path) -> Result<Loaded> {
    if !data_dir.is_dir() {
        let what = if data_dir.exists() { "is not a folder" } else { "does not exist" };
        return Err(Error::Usage(format!("data folder '{}' {what}", data_dir.display())));
    }
    let mut diags = Vec::new();
    let catalog = crate::ingest::load(data_dir, &mut diags);
    let tables = crate::validate::validate(&catalog, &mut diags);
    let observations = crate::tidy::melt(&tables);
    diags.extend(crate::validate::flows_over_intervals(&catalog, &observations));
    diags.extend(crate::validate::one_source_two_values(&observations));
    diags.extend(crate::validate::one_place_two_values(&catalog, &observations));
    // the register claims live in the data folder too: check them with the rest
    let register_claims = crate::register::load_claims(data_dir, |s| catalog.sources.contains_key(s), &mut diags);
    diags.sort();
    diags.dedup();
    Ok(Loaded { catalog, tables, observations, register_claims, diagnostics: diags })
}

/// The files of a data folder that may be left out, and what leaving one out means.
pub const OPTIONAL_FILES: &[(&str, &str)] = &[
    ("claims.csv", "no claims are checked"),
    ("reconcile.toml", "no reconciliation rules: no witness groups, exclusions or series rules"),
    ("uncertainty.toml", "no systematic uncertainty: no range is widened"),
    ("coverage.toml", "no coverage targets"),
    ("register-claims.csv", "no register claims are checked"),
];

/// One line per optional file the data folder lacks, saying what its absence means, so that a
/// file lost by accident does not change the results unseen (`validate` and `build` print them).
pub fn missing_optional(data_dir: &Path) -> Vec<String> {
    OPTIONAL_FILES
        .iter()
        .filter(|(f, _)| !data_dir.join(f).exists())
        .map(|(f, what)| format!("note: {} is not there: {what}", crate::diag::shown_path(data_dir, f)))
        .collect()
}

/// Sort and de-duplicate the diagnostics of a whole run (tables and configuration files). A
/// `sources.csv` or `series.csv` that could not be read at all makes every id elsewhere unknown:
/// its own error is kept, with one finding for what could not be checked, not hundreds of follow-ons.
pub fn settle(data_dir: &Path, catalog: &Catalog, diags: &mut Vec<Diagnostic>) {
    use crate::diag::kind::{UNKNOWN_SERIES, UNKNOWN_SOURCE};
    diags.sort();
    // a claim that names a series twice must not say so twice
    diags.dedup();
    for (unread, k, file, what) in [(catalog.sources_unread, UNKNOWN_SOURCE, "sources.csv", "source id"), (catalog.series_unread, UNKNOWN_SERIES, "series.csv", "series name")] {
        let n = diags.iter().filter(|d| d.kind == k).count();
        if unread && n > 0 {
            let rel = crate::ingest::rel_path(data_dir, &data_dir.join(file));
            diags.retain(|d| d.kind != k);
            diags.push(Diagnostic::finding(&rel, 1, 1, k, format!("{n} use(s) of a {what} (in tables, claims and rules) could not be checked: {file} could not be read (see its error)")));
            diags.sort();
        }
    }
}

/// Print diagnostics to stderr, errors first then findings, each in file order.
pub fn report(diags: &[Diagnostic], show_findings: bool) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for d in diags.iter().filter(|d| d.is_error()) {
        let _ = writeln!(err, "{}", d.shown());
    }
    if show_findings {
        for d in diags.iter().filter(|d| !d.is_error()) {
            let _ = writeln!(err, "{}", d.shown());
        }
    }
}

/// Everything the later stages produce from valid data.
pub struct Analysis {
    pub loaded: Loaded,
    /// Printed observations and the pipeline's derived ones, sorted.
    pub observations: Vec<Observation>,
    /// Reconciled printed series and derived series, sorted.
    pub reconciled: Vec<crate::reconcile::Reconciled>,
    /// Only the derived (Monte Carlo) rows, also part of `reconciled`.
    pub derived: Vec<crate::reconcile::Reconciled>,
    pub claims: Vec<crate::check::ClaimResult>,
    pub findings: Vec<crate::check::Finding>,
    /// The reconciliation rules (witness groups say which sources are one document).
    pub rules: crate::reconcile::Rules,
    /// The coverage targets of `data/coverage.toml`.
    pub coverage: Vec<crate::coverage::Target>,
    /// The systematic uncertainty rules (`data/uncertainty.toml`), which the exports describe.
    pub uncertainty: crate::reconcile::Uncertainty,
}

/// The configuration files of the data folder besides the tables: reconciliation rules, systematic
/// uncertainty, the claims registry and the coverage targets.
pub struct Config {
    pub rules: crate::reconcile::Rules,
    pub uncertainty: crate::reconcile::Uncertainty,
    pub claims: Vec<crate::claims::Claim>,
    pub coverage: Vec<crate::coverage::Target>,
}

/// Read the configuration; every problem becomes a diagnostic, including reconciliation rules that
/// name no printed value (`obs`).
/// Rules that match no printed value are reported only when `tables_read` (no table had an error):
/// a table with errors leaves its figures out, and its rules would be reported as unmatched too.
pub fn load_config(data_dir: &Path, catalog: &Catalog, obs: &[Observation], tables_read: bool, diags: &mut Vec<Diagnostic>) -> Config {
    let (rules, uncertainty) = crate::reconcile::load_rules(data_dir, catalog, diags);
    let claims = crate::claims::load(data_dir, catalog, diags);
    if tables_read {
        diags.extend(crate::reconcile::unmatched_rules(data_dir, &rules, obs));
        diags.extend(crate::reconcile::unmatched_uncertainty(data_dir, &uncertainty, obs));
        let rel = crate::ingest::rel_path(data_dir, &data_dir.join("claims.csv"));
        diags.extend(crate::claims::category_problems(&rel, &claims, obs));
    }
    let coverage = crate::coverage::load(data_dir, catalog, diags);
    Config { rules, uncertainty, claims, coverage }
}

/// Ingest, validate, tidy, reconcile, derive, check. Fails with every diagnostic when data is invalid.
pub fn analyse(data_dir: &Path) -> Result<Analysis> {
    let mut loaded = load(data_dir)?;
    let mut diags = Vec::new();
    let Config { rules, uncertainty: unc, claims, coverage } = load_config(data_dir, &loaded.catalog, &loaded.observations, !loaded.has_errors(), &mut diags);
    loaded.diagnostics.extend(diags);
    settle(data_dir, &loaded.catalog, &mut loaded.diagnostics);
    if loaded.has_errors() {
        return Err(Error::Invalid(loaded.diagnostics));
    }
    let printed_rec = crate::reconcile::reconcile(&loaded.observations, &rules, &unc);
    let derived = crate::derive::derive(&printed_rec, &|s| rules.document_of(s));
    let mut reconciled = printed_rec;
    reconciled.extend(derived.rows.iter().cloned());
    reconciled.sort_by(|a, b| (&a.series, a.period, &a.category).cmp(&(&b.series, b.period, &b.category)));
    let mut observations = loaded.observations.clone();
    observations.extend(derived.observations);
    crate::tidy::sort_observations(&mut observations);
    let results = crate::check::evaluate(&claims, &reconciled, &observations);
    let findings = crate::check::identities(&observations, &reconciled, &derived.rows);
    // a row that takes part in a broken accounting identity says so, so that a user of the row
    // alone learns that another series contradicts it (the finding is in the findings table)
    let mut derived_rows = derived.rows;
    for (series, period) in findings.iter().flat_map(|f| &f.rows) {
        for r in reconciled.iter_mut().chain(derived_rows.iter_mut()) {
            if &r.series == series && r.period == *period && r.category.is_empty() && !r.has_flag("identity-finding") {
                r.flags.push("identity-finding".into());
            }
        }
    }
    Ok(Analysis { loaded, observations, reconciled, derived: derived_rows, claims: results, findings, rules, coverage, uncertainty: unc })
}

impl Analysis {
    pub fn failed_claims(&self) -> usize {
        self.claims.iter().filter(|c| c.status == "fail").count()
    }
    /// The tables every export writes (chart tables are added by the charts stage).
    pub fn export_tables(&self) -> Vec<crate::export::Table> {
        vec![
            crate::export::observations_table(&self.observations),
            crate::export::reconciled_table(&self.reconciled, &self.uncertainty),
            crate::export::claims_table(&self.claims),
            crate::export::coverage_table(&crate::coverage::rows(&self.coverage, self)),
            crate::export::conflicts_table(&crate::conflicts::find(self, &[]), &crate::conflicts::left_out(self, |_| true)),
            crate::export::rebuilt_table(&crate::rebuild::tables(self, &[])),
            crate::export::findings_table(&self.findings, &self.loaded.diagnostics),
            crate::export::tables_table(&self.loaded.catalog.tables, &self.loaded.observations),
        ]
    }
    pub fn sources(&self) -> Vec<&crate::ingest::Source> {
        self.loaded.catalog.sources.values().collect()
    }
}
