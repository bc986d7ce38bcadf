//! The `gulagstats` binary: parses arguments, calls the library, maps errors to exit codes.

use clap::{Parser, Subcommand};
use gulagstats::cmd;

#[derive(Parser)]
#[command(name = "gulagstats", version, about = "Archival statistics of the Soviet penal system: validate, reconcile, check, plot, export")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and validate every table, manifest, source and claim; report every problem
    Validate(cmd::validate::Args),
    /// The main job: validate, reconcile, check, draw every chart, write every export
    Build(cmd::build::Args),
    /// Evaluate the claims registry against the data
    Check(cmd::check::Args),
    /// Evaluate one expression of the claims language: value, range, figures used, and a published figure against it
    Eval(cmd::eval::Args),
    /// Write the cleaned datasets and datapackage.json
    Export(cmd::export::Args),
    /// Draw figures
    Plot(cmd::plot::Args),
    /// Show what each source says about a series
    Show(cmd::show::Args),
    /// Count the independent documents behind each year of the core series
    Coverage(cmd::coverage::Args),
    /// List where the sources disagree, with each source's value and the recorded explanation
    Conflicts(cmd::conflicts::Args),
    /// Show the printed tables no copy let us read (GRZ 1993's), rebuilt from the other sources
    Rebuild(cmd::rebuild::Args),
    /// What the data takes from each source: citation, copy read, document witnessed, figures per series
    Sources(cmd::sources::Args),
    /// Time the pipeline stages on the bundled data (median of several runs)
    Bench(cmd::bench::Args),
    /// Read a per-camp register, sum it bottom-up and compare with the central totals
    Register(cmd::register::Args),
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let res = match &cli.command {
        Command::Validate(a) => cmd::validate::run(a),
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Plot(a) => cmd::plot::run(a),
        Command::Show(a) => cmd::show::run(a),
        Command::Coverage(a) => cmd::coverage::run(a),
        Command::Conflicts(a) => cmd::conflicts::run(a),
        Command::Rebuild(a) => cmd::rebuild::run(a),
        Command::Sources(a) => cmd::sources::run(a),
        Command::Bench(a) => cmd::bench::run(a),
        Command::Register(a) => cmd::register::run(a),
    };
    match res {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            if let gulagstats::error::Error::Invalid(d) = &e {
                gulagstats::pipeline::report(d, false);
            }
            gulagstats::eline!("gulagstats: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
