//! The bundled data and, when present, the shared reference data.

use crate::util::*;
use std::process::Command;

#[test]
fn bundled_data_validates() {
    let o = Command::new(bin()).current_dir(repo()).args(["validate", "--quiet"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Corrupted copies of the real tables (made here, not from the fixtures) are rejected with
/// file and line; harmless variants (BOM, CRLF) pass.
#[test]
fn corrupted_copies_of_real_tables_are_rejected_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &dir.path().join("data"));
    let tables = dir.path().join("data/tables");
    let mut csvs = vec![];
    for d in std::fs::read_dir(&tables).unwrap() {
        for f in std::fs::read_dir(d.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            // wide tables only: in a long-layout table the last cell is a free-text note
            let long = std::fs::read_to_string(p.with_extension("toml")).map(|t| t.contains("layout = \"long\"")).unwrap_or(false);
            if p.extension().map(|e| e == "csv").unwrap_or(false) && !long {
                csvs.push(p);
            }
        }
    }
    csvs.sort();
    let mut tried = 0;
    for p in csvs.iter() {
        if tried >= 8 {
            break;
        }
        let orig = std::fs::read_to_string(p).unwrap();
        let lines: Vec<&str> = orig.lines().collect();
        // corrupt the last cell of the last data line that has a digit in it
        let Some(li) = (1..lines.len()).rev().find(|&i| lines[i].rsplit(',').next().map(|c| c.chars().any(|ch| ch.is_ascii_digit())).unwrap_or(false)) else { continue };
        let mut new: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        new[li] = format!("{}x", new[li]);
        std::fs::write(p, new.join("\n") + "\n").unwrap();
        let o = Command::new(bin()).current_dir(dir.path()).args(["validate", "--quiet"]).output().unwrap();
        let err = stderr(&o);
        let rel = p.strip_prefix(dir.path()).unwrap().display().to_string();
        assert_eq!(o.status.code(), Some(1), "{rel}: {err}");
        assert!(err.contains(&format!("{rel}:{}:", li + 1)), "{rel} line {}: {err}", li + 1);
        assert!(!err.contains("panicked"));
        // harmless: BOM + CRLF
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend(orig.replace('\n', "\r\n").as_bytes());
        std::fs::write(p, b).unwrap();
        let o = Command::new(bin()).current_dir(dir.path()).args(["validate", "--quiet"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{rel} with BOM+CRLF: {}", stderr(&o));
        std::fs::write(p, &orig).unwrap();
        tried += 1;
    }
    assert!(tried >= 5, "only {tried} real tables tried");
}

/// Invariants of the committed export: every reconciled row has low <= value <= high; conflicts and
/// multi-source rows are visible; derived rows say so.
#[test]
fn committed_export_invariants() {
    let text = std::fs::read_to_string(repo().join("data/clean/reconciled.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let (mut rows, mut conflicts, mut multi, mut derived) = (0, 0, 0, 0);
    for r in rdr.records() {
        let r = r.unwrap();
        let (v, lo, hi): (f64, f64, f64) = (r[4].parse().unwrap(), r[5].parse().unwrap(), r[6].parse().unwrap());
        assert!(lo <= v && v <= hi, "{r:?}");
        rows += 1;
        conflicts += r[11].contains("conflict") as usize;
        multi += (r[8].parse::<usize>().unwrap() > 1) as usize;
        derived += r[9].starts_with("monte-carlo:") as usize;
    }
    assert!(rows > 500 && conflicts > 0 && multi > 10 && derived > 10, "{rows} {conflicts} {multi} {derived}");
    // a conflict reaches a rate through its denominator: the camps and colonies of 1 January 1947
    // (Applebaum's 1,721,543 against Kruglov's 1,703,506) feed the average population of the 1946
    // GULAG death rate
    let rate = text.lines().find(|l| l.starts_with("gulag.death_rate,1946-01-01,1946-12-31,")).expect("gulag.death_rate 1946");
    assert!(rate.contains("input-conflict"), "{rate}");
    // the package explains its uncertainty flags, and an empty category in a key is no null
    let pkg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo().join("data/clean/datapackage.json")).unwrap()).unwrap();
    let res = pkg["resources"].as_array().unwrap().iter().find(|r| r["name"] == "reconciled-csv").unwrap();
    assert!(res["description"].as_str().unwrap().contains("uncertainty:deaths-under-recorded (gulag.deaths: high +10%)"), "{res}");
    assert_eq!(res["schema"]["missingValues"], serde_json::json!([]), "{res}");
    let obs = std::fs::read_to_string(repo().join("data/clean/observations.csv")).unwrap();
    for line in obs.lines().skip(1) {
        assert!(line.contains(",printed,") || line.contains(",derived,"), "{line}");
    }
}

/// The table of witness groups in `docs/sources.md` is the one `data/reconcile.toml` declares:
/// same documents, same sources in the same order (the order decides which copy gives the value).
/// Every source of `data/sources.csv` has its own entry in the document (a heading, or a bullet led by the id in bold).
#[test]
fn docs_sources_match_the_witness_groups_and_the_source_list() {
    let doc = std::fs::read_to_string(repo().join("docs/sources.md")).unwrap();
    let cfg: toml::Value = toml::from_str(&std::fs::read_to_string(repo().join("data/reconcile.toml")).unwrap()).unwrap();
    let mut declared = vec![];
    for w in cfg.get("witnesses").and_then(|v| v.as_array()).unwrap() {
        let document = w["document"].as_str().unwrap().replace('*', "");
        let sources: Vec<String> = w["sources"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
        declared.push((document, sources));
    }
    // rows of the first markdown table whose header is "| document | sources |"
    let mut documented = vec![];
    let mut lines = doc.lines().skip_while(|l| !l.starts_with("| document | sources |")).skip(2);
    while let Some(l) = lines.next().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
        let sources = cells[1]
            .split(',')
            .map(|s| s.split('(').next().unwrap().trim().to_string())
            .collect::<Vec<_>>();
        documented.push((cells[0].replace('*', ""), sources));
    }
    assert_eq!(documented, declared, "docs/sources.md's witness table differs from data/reconcile.toml");
    let mut bullets: Vec<String> = vec![];
    for l in doc.lines() {
        match bullets.last_mut() {
            Some(b) if l.starts_with("  ") => b.push_str(l),
            _ => bullets.push(l.to_string()),
        }
    }
    let mut rdr = csv::Reader::from_path(repo().join("data/sources.csv")).unwrap();
    for r in rdr.records() {
        let id = r.unwrap()[0].to_string();
        // an entry is a `### id` heading (several ids joined by ", ") or a bullet that opens with the id in bold
        let heading = |l: &str| l.starts_with("### ") && l.split([' ', ',']).any(|w| w == id);
        let bullet = |b: &str| {
            // the bold spans of the bullet: every other piece between "**" markers
            b.starts_with("- **") && b.split("**").skip(1).step_by(2).any(|span| span.split(", ").any(|w| w == id))
        };
        assert!(
            doc.lines().any(heading) || bullets.iter().any(|b| bullet(b)),
            "docs/sources.md has no entry for {id}"
        );
    }
}

/// `docs/series.md` has a row for every series of `data/series.csv`, and its column "sources with figures" names
/// exactly the sources with printed figures for the series in the committed `data/clean/observations.csv` (a note
/// after "; layout only" may name a table laid out but unread). Per-camp register series (`camp.*`, `register.*`)
/// are read in place and have no observations there.
#[test]
fn docs_series_names_the_sources_with_figures() {
    use std::collections::{BTreeMap, BTreeSet};
    let doc = std::fs::read_to_string(repo().join("docs/series.md")).unwrap();
    let mut printed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut rdr = csv::Reader::from_path(repo().join("data/clean/observations.csv")).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (cs, csrc, cev) = (col("series"), col("source_id"), col("evidence"));
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[cev] == "printed" {
            printed.entry(r[cs].to_string()).or_default().insert(r[csrc].to_string());
        }
    }
    let mut rows: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut with_sources = false;
    for l in doc.lines() {
        if l.starts_with("| series |") {
            with_sources = l.trim_end().ends_with("| sources with figures |");
            continue;
        }
        if !l.starts_with('|') {
            with_sources = false; // a table ends at the first line that is not a row
        }
        let Some(rest) = l.strip_prefix("| `") else { continue };
        let name = rest.split('`').next().unwrap().to_string();
        let listed = with_sources.then(|| {
            let last = l.trim_end().trim_end_matches('|').rsplit(" | ").next().unwrap();
            let named = last.split("layout only").next().unwrap().trim_end_matches("; ");
            named.split(", ").map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && s != "none yet").collect()
        });
        rows.entry(name).or_insert(listed);
    }
    let mut rdr = csv::Reader::from_path(repo().join("data/series.csv")).unwrap();
    for r in rdr.records() {
        let s = r.unwrap()[0].to_string();
        assert!(rows.contains_key(&s), "docs/series.md has no row for {s}");
    }
    for (s, listed) in rows {
        let Some(listed) = listed else { continue };
        if s.starts_with("camp.") || s.starts_with("register.") {
            continue;
        }
        let have = printed.remove(&s).unwrap_or_default();
        assert_eq!(listed, have, "docs/series.md: sources with figures for {s}");
    }
}

/// The counts in `docs/series.md`'s introduction are those of `data/series.csv`, its tables and the
/// bundled observations (they went stale once when a series was added).
#[test]
fn docs_series_counts_are_current() {
    let doc = std::fs::read_to_string(repo().join("docs/series.md")).unwrap();
    let mut rdr = csv::Reader::from_path(repo().join("data/series.csv")).unwrap();
    let h = rdr.headers().unwrap().clone();
    let (si, ki) = (h.iter().position(|x| x == "series").unwrap(), h.iter().position(|x| x == "kind").unwrap());
    let series: Vec<(String, String)> = rdr.records().map(|r| r.unwrap()).map(|r| (r[si].to_string(), r[ki].to_string())).collect();
    let n = |k: &str| series.iter().filter(|(_, kind)| kind == k).count();
    for k in ["stock", "flow", "composition"] {
        assert!(doc.contains(&format!("`{k}` ({})", n(k))), "docs/series.md: `{k}` ({})", n(k));
    }
    assert!(doc.contains(&format!("`change` ({}:", n("change"))), "docs/series.md: `change` ({})", n("change"));
    let origin = |o: &str| doc.lines().filter(|l| l.starts_with("| `") && l.contains(&format!(" | {o} |"))).count();
    assert!(doc.contains(&format!("(`contract`, {} names", origin("contract"))), "contract names: {}", origin("contract"));
    assert!(doc.contains(&format!("(`project`, {} names", origin("project"))), "project names: {}", origin("project"));
    assert!(doc.contains(&format!("count {} of the {} rows", origin("contract") + origin("project"), series.len())), "rows: {}", series.len());
    // stocks entered over a month, a year or a span
    let kinds: std::collections::BTreeMap<String, String> = series.into_iter().collect();
    let mut obs = csv::Reader::from_path(repo().join("data/clean/observations.csv")).unwrap();
    let h = obs.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (s, ps, pe, ev) = (col("series"), col("period_start"), col("period_end"), col("evidence"));
    let spans = obs.records().map(|r| r.unwrap()).filter(|r| &r[ev] == "printed" && kinds.get(&r[s]).is_some_and(|k| k == "stock") && r[ps] != r[pe]).count();
    assert!(doc.contains(&format!("month, year or span ({spans} figures")), "stocks over a span: {spans}");
}

/// The README's benchmark paragraph names the number of derived values the Monte Carlo draws for:
/// it is the number of `monte-carlo:*` rows of the committed reconciled export.
#[test]
fn readme_counts_the_derived_values() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut rdr = csv::Reader::from_path(repo().join("data/clean/reconciled.csv")).unwrap();
    let m = rdr.headers().unwrap().iter().position(|x| x == "method").unwrap();
    let n = rdr.records().map(|r| r.unwrap()).filter(|r| r[m].starts_with("monte-carlo")).count();
    assert!(n > 0);
    assert!(readme.contains(&format!("for each of the {n} derived values")), "README: derived values {n}");
}

/// Every disagreement in the bundled data has a recorded reason: a series rule, a witness group or an
/// exclusion shows under each row of `gulagstats conflicts`, so that no conflict is left unexplained.
#[test]
fn every_conflict_in_the_bundled_data_has_a_recorded_reason() {
    let o = Command::new(bin()).current_dir(repo()).args(["conflicts"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let blocks: Vec<&str> = out.split("\n\n").skip(1).filter(|b| !b.trim().is_empty()).collect();
    assert!(blocks.len() > 50, "{} blocks", blocks.len());
    let reasons = ["rule for ", "witnesses of ", "excluded from reconciliation"];
    let bare: Vec<&str> = blocks.iter().filter(|b| !b.lines().skip(1).any(|l| reasons.iter().any(|r| l.trim_start().starts_with(r)))).map(|b| b.lines().next().unwrap()).collect();
    assert!(bare.is_empty(), "conflicts without a recorded reason:\n{}", bare.join("\n"));
}

/// The rows of one estimates chart in the committed chart export, by column name.
fn estimates_chart_rows(chart: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_path(repo().join("data/clean/charts.csv")).unwrap();
    let h = rdr.headers().unwrap().clone();
    let ci = h.iter().position(|x| x == "chart").unwrap();
    rdr.records().map(|r| r.unwrap()).filter(|r| &r[ci] == chart).map(|r| h.iter().zip(r.iter()).map(|(k, v)| (k.to_string(), v.to_string())).collect()).collect()
}

/// The estimates chart sets each estimate against the archival documents: yearly flows summed where
/// every year has one (not a later restatement's printed total), a printed span total only where
/// years are missing.
#[test]
fn estimates_chart_sets_estimates_against_the_archival_documents() {
    let mut archival = std::collections::BTreeMap::new();
    let mut published = std::collections::BTreeMap::new();
    let mut archival_flags = std::collections::BTreeMap::new();
    for r in estimates_chart_rows("estimates-vs-archives") {
        let is_archival = r["layer"].starts_with("Archival");
        let to = if is_archival { &mut archival } else { &mut published };
        to.insert(r["row"].clone(), (r["value"].clone(), r["sources"].clone()));
        if is_archival {
            archival_flags.insert(r["row"].clone(), r["flags"].clone());
        }
    }
    // an archival row says what it stands for, then carries the flags of the reconciled rows it takes
    // (custody on 1 January 1939: its sources disagree and its parts do not add up to it)
    let f = &archival_flags["custody population late 1938: conquest1968-davies1997"];
    assert!(f.starts_with("archival custody.population 1939-01-01;"), "{f}");
    assert!(f.split(';').any(|x| x == "conflict") && f.split(';').any(|x| x == "identity-finding"), "{f}");
    // a printed range has no value between its ends (no midpoint nobody printed); a bound says so
    assert_eq!(published["executions 1937-38: grz1993"].0, "", "{published:?}");
    assert_eq!(published["arrests 1937-38: grz1993 (at most)"].0, "2500000.00", "{published:?}");
    let (v, s) = &archival["executions 1937-38: conquest1990 (1 of 2 a bound)"];
    assert_eq!(v, "681692.00");
    assert!(s.split(';').any(|x| x == "mvd1953-report") && s.split(';').any(|x| x == "kgb-luneev1997"), "{s}");
    let (v, s) = &archival["political repressed 1921-53: okhotin-roginsky"];
    assert_eq!(v, "4060306.00");
    assert!(s.contains("mvd1953-report"), "{s}");
}

/// The population-estimates chart sets each estimate against the archival count on 1 January of its
/// year (the camps alone before 1934, the camps and colonies for the later "slave-labour" figures), names
/// the author of a compiler's row, and its note's word holds: every estimate lies above its count.
#[test]
fn population_estimates_chart_sets_each_year_against_its_count() {
    let mut archival = std::collections::BTreeMap::new();
    let mut published = std::collections::BTreeMap::new();
    for r in estimates_chart_rows("estimates-population") {
        let num = |k: &str| r[k].parse::<f64>().ok();
        if r["layer"].starts_with("Archival") {
            archival.insert(r["row"].clone(), (num("value").unwrap(), r["flags"].clone()));
        } else {
            // a printed range has no value, only its ends: its low end is the least it says
            let least = num("value").or(num("low")).unwrap();
            let e = published.entry(r["row"].clone()).or_insert(least);
            *e = f64::min(*e, least);
        }
    }
    assert!(published.len() >= 26, "{published:?}");
    let flags = |row: &str| archival[row].1.clone();
    assert!(flags("forced labour population 1941: wiles-via-szamuely1969").starts_with("archival gulag.population 1941-01-01"));
    assert!(flags("custody population 1930: dallin-nicolaevsky-via-dugin2011").starts_with("archival camps.population 1930-01-01"));
    // a span is set against 1 January of its middle year; the places of detention of 1933-35 against the
    // first count of camps, colonies and prisons in the span (1 January 1935)
    assert!(flags("gulag population postwar: antonov-ovseenko").starts_with("archival gulag.population 1946-01-01"));
    assert!(flags("custody population 1933-35: cohen-zemskov1991").starts_with("archival custody.population 1935-01-01"));
    assert!(flags("custody population 1931-32: conquest1990").starts_with("archival camps.population 1932-01-01"));
    assert_eq!(published["camp population 1937: wikipedia-gulag-estimates [Timasheff (1948)]"], 2300000.0);
    assert_eq!(published["camp population 1949: thorp-via-time1949"], 8000000.0);
    for (row, least) in &published {
        let (count, _) = archival[row];
        assert!(*least > count, "{row}: {least} is not above the archival {count}");
    }
}

/// The sessions shown in the README are real: each `$ gulagstats ...` command in a `text`
/// block is run on the bundled data, and every line shown under it (a `...` line stands for
/// lines left out) must appear in its output, in the order shown.
#[test]
fn readme_sessions_are_real_output() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut sessions: Vec<(String, Vec<String>)> = vec![];
    let mut in_text = false;
    // output lines belong to the last command of the same block
    let mut in_session = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_text = line == "```text";
            in_session = false;
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ gulagstats ") {
            sessions.push((cmd.to_string(), vec![]));
            in_session = true;
        } else if let (true, Some((_, shown))) = (in_session, sessions.last_mut()) {
            if !line.trim().is_empty() && line.trim() != "..." {
                shown.push(line.to_string());
            }
        }
    }
    assert!(sessions.len() >= 3, "README sessions found: {}", sessions.len());
    for (cmd, shown) in &sessions {
        assert!(!shown.is_empty(), "README shows no output for `gulagstats {cmd}`");
        let o = Command::new(bin()).current_dir(repo()).args(shell_words(cmd)).output().unwrap();
        let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        let lines: Vec<&str> = out.lines().collect();
        let mut at = 0;
        for want in shown {
            match lines[at..].iter().position(|l| l == want) {
                Some(i) => at += i + 1,
                None => panic!("README: `gulagstats {cmd}` shows a line its output does not have (in this order):\n{want}\n--- output:\n{out}"),
            }
        }
    }
}

/// A README command line split as a shell would: on whitespace, except inside double quotes.
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut cur, mut quoted, mut any) = (vec![], String::new(), false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(cur);
    }
    assert!(!quoted, "README: unbalanced quote in `gulagstats {line}`");
    words
}

/// `show` lists the sources of every row, estimates included (their rows are one per author, so
/// the sources must be matched by the same key reconciliation uses).
#[test]
fn show_lists_the_source_of_every_estimate_row() {
    let o = Command::new(bin()).current_dir(repo()).args(["show", "estimate.executions_1937_38"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    let lines: Vec<&str> = out.lines().collect();
    let headings: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].starts_with(' ')).collect();
    assert!(headings.len() >= 3, "{out}");
    for &i in &headings {
        let author = lines[i].split(['[', ']']).nth(1).and_then(|c| c.rsplit("; ").next()).unwrap_or("");
        let next = lines.get(i + 1).copied().unwrap_or("");
        assert!(next.starts_with("    ") && next.contains("printed"), "row without its source: {}\n{out}", lines[i]);
        assert!(!author.is_empty(), "{}", lines[i]);
    }
}

/// GRZ Table 1 names authors as printed ("Volkogonov"); their estimates' reconciled rows are named
/// by author key ("volkogonov"). `rebuild` must still find them, and follow the `[[cells]]` rules
/// that carry the appendices' notes.
#[test]
fn rebuild_follows_the_printed_tables_own_notes() {
    let o = Command::new(bin()).current_dir(repo()).args(["rebuild", "grz1993/table1", "--format", "csv"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    // the rebuilt cell carries the reconciled row's category, so the two exports join
    assert!(out.lines().any(|l| l.contains("/ Volkogonov\"") && l.contains(",volkogonov,persons,rebuilt,,3500000,")), "{out}");
    assert!(out.lines().any(|l| l.contains("/ Shatunovskaia\"") && l.contains(",rebuilt,,20000000,")), "{out}");
    // GRZ's note: Appendix A's 1938 colony figure includes prisons, so that cell is rebuilt from
    // colonies and prisons together, not left missing or filled with colonies alone
    let o = Command::new(bin()).current_dir(repo()).args(["rebuild", "grz1993/appendix-a", "--format", "csv"]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("grz1993,appendix-a,1938,colonies,colonies_prisons.population,1938-01-01,1938-01-01,,persons,rebuilt,,885203,"), "{out}");
    // and Appendix B's last row gives camps and colonies on 1 April 1954, not 31 December 1953
    let o = Command::new(bin()).current_dir(repo()).args(["rebuild", "grz1993/appendix-b", "--format", "csv"]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("grz1993,appendix-b,1953-12-31,counterrevolutionaries,gulag.counterrevolutionaries,1954-04-01,1954-04-01,,persons,rebuilt,,448344,"), "{out}");
    assert!(out.contains("grz1993,appendix-b,1953-12-31,camps,camps.population,1954-04-01,"), "{out}");
}

/// Every rebuilt cell joins to the reconciled row it takes its value from, on series, period and
/// category (the printed GRZ Table 1 says "Volkogonov"; its reconciled row is "volkogonov").
#[test]
fn rebuilt_cells_join_reconciled_rows() {
    let o = Command::new(bin()).current_dir(repo()).args(["rebuild", "--format", "csv"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let key = |r: &csv::StringRecord, idx: [usize; 4]| idx.map(|i| r[i].to_string());
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let h = rd.headers().unwrap().clone();
    let col = |h: &csv::StringRecord, n: &str| h.iter().position(|x| x == n).unwrap();
    let idx = [col(&h, "series"), col(&h, "period_start"), col(&h, "period_end"), col(&h, "category")];
    let status = col(&h, "status");
    let rebuilt: Vec<[String; 4]> = rd.records().map(|r| r.unwrap()).filter(|r| &r[status] == "rebuilt").map(|r| key(&r, idx)).collect();
    let mut rc = csv::Reader::from_path(repo().join("data/clean/reconciled.csv")).unwrap();
    let h = rc.headers().unwrap().clone();
    let idx = [col(&h, "series"), col(&h, "period_start"), col(&h, "period_end"), col(&h, "category")];
    let reconciled: std::collections::BTreeSet<[String; 4]> = rc.records().map(|r| key(&r.unwrap(), idx)).collect();
    assert!(rebuilt.len() > 80, "{}", rebuilt.len());
    let orphans: Vec<_> = rebuilt.iter().filter(|k| !reconciled.contains(*k)).collect();
    assert!(orphans.is_empty(), "rebuilt cells with no reconciled row: {orphans:?}");
}

/// A reader that closes the pipe early (`| head`) ends the output quietly: exit 0, no panic.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::process::Stdio;
    for args in [&["conflicts"][..], &["show", "camps.population"], &["check"]] {
        let mut child = Command::new(bin()).current_dir(repo()).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
}

/// CITATION.cff names the version being released (validated once against the CFF 1.2.0 schema with
/// cffconvert; its jsonschema pin clashes with frictionless's, so CI checks the version only).
#[test]
fn citation_names_the_package_version() {
    let cff = std::fs::read_to_string(repo().join("CITATION.cff")).unwrap();
    assert!(cff.starts_with("cff-version: 1.2.0\n"), "{cff}");
    let want = format!("\nversion: \"{}\"\n", env!("CARGO_PKG_VERSION"));
    assert!(cff.contains(&want), "CITATION.cff lacks {want:?}");
}
