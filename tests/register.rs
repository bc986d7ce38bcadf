//! `gulagstats register`: the synthetic fixture register and, when present, the shared register.

use crate::util::*;
use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture_register() -> (PathBuf, PathBuf) {
    let d = repo().join("tests/fixtures/register");
    (d.join("camps.csv"), d.join("camps.toml"))
}

fn shared_register() -> Option<PathBuf> {
    let p = repo().join("../shared/registers/camps-register.csv");
    p.is_file().then_some(p)
}

fn run_fixture(out: &std::path::Path, csv: &std::path::Path, manifest: &std::path::Path) -> Output {
    Command::new(bin())
        .current_dir(repo())
        .args(["register", csv.to_str().unwrap(), "--manifest", manifest.to_str().unwrap(), "--data", "tests/fixtures/ok", "--out", out.to_str().unwrap()])
        .output()
        .unwrap()
}

/// Rows of a CSV as maps from header to cell.
fn rows(path: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    r.records().map(|x| h.iter().map(|s| s.to_string()).zip(x.unwrap().iter().map(|s| s.to_string())).collect()).collect()
}

#[test]
fn fixture_register_sums_counts_and_reports_every_unread_cell() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, man) = fixture_register();
    let o = run_fixture(dir.path(), &csv, &man);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    // sums: 1938 = 1,200 ("1 200") + 800 + 100; 1939 = 1,300 + 100 (0, text, -5 not read); 1940 = 1,400 + 500 + 100
    let t = rows(&dir.path().join("register-totals.csv"));
    let got: Vec<(String, String, String)> = t.iter().map(|r| (r["year"].clone(), r["camps_population_sum"].clone(), r["camps_reporting"].clone())).collect();
    assert_eq!(got, vec![("1938".into(), "2100".into(), "3".into()), ("1939".into(), "1400".into(), "2".into()), ("1940".into(), "2000".into(), "3".into())]);
    // comparison with the fixture's camps.population (1938: 1000, range 1000..1000)
    let c = rows(&dir.path().join("register-comparison.csv"));
    assert_eq!(c[0]["top_down_value"], "1000");
    assert_eq!(c[0]["ratio"], "2.1000");
    let r1939 = &c[1];
    let (lo, hi, v): (f64, f64, f64) = (r1939["ratio_low"].parse().unwrap(), r1939["ratio_high"].parse().unwrap(), r1939["ratio"].parse().unwrap());
    assert!(lo <= v && v <= hi, "{r1939:?}");
    // every cell not read, with file:line:column and a stable kind
    let rep = std::fs::read_to_string(dir.path().join("register-report.txt")).unwrap();
    let f = csv.display().to_string();
    for want in [
        format!("{f}:7:25: finding[not-a-number]"),
        format!("{f}:5:33: finding[zero-no-figure]"),
        format!("{f}:5:21: finding[unnamed-column]"),
        format!("{f}:4:14: finding[unnamed-column]"),
        format!("{f}:10:15: finding[bad-thousands-separator]"),
        format!("{f}:10:21: finding[negative-count]"),
        format!("{f}:10:24: finding[annotated-figure]"),
        format!("{f}:9:14: finding[row-not-read]"),
        format!("{f}:8:3: finding[duplicate-name]"),
    ] {
        assert!(rep.contains(&want), "missing '{want}' in\n{rep}");
    }
    // observations: per camp, with the camp's name in the note, and the derived sums
    let obs = std::fs::read_to_string(dir.path().join("register-observations.csv")).unwrap();
    assert!(obs.contains("camp.population,1938-01-01,1938-01-01,1,1200,persons,demo,"), "{obs}");
    assert!(obs.contains("camp.population,1938-01-01,1938-01-01,2,800,persons,demo,"), "{obs}");
    assert!(obs.contains("printed,\"Beta\nITL\""), "the multi-line name is kept in the note: {obs}");
    assert!(obs.contains("register.camps_population_sum,1939-01-01,1939-01-01,,1400,persons,demo"), "{obs}");
    assert!(obs.contains("register.camps_reporting,1940-01-01,1940-01-01,,3,count,demo"), "{obs}");
    assert!(!obs.contains("camps.population,"), "the register must not write the central series");
    for f in ["register-vs-central.svg", "register-vs-central.png", "register-largest-camps.svg", "register-largest-camps.png", "register-largest-camps.csv", "register-claims.txt"] {
        assert!(std::fs::metadata(dir.path().join(f)).map(|m| m.len() > 0).unwrap_or(false), "{f} missing");
    }
}

#[test]
fn broken_registers_and_manifests_fail_with_positions_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, man) = fixture_register();
    // a quote never closed
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,name,people_1938\n1,\"Alpha,100\n2,Beta,200\n").unwrap();
    let o = run_fixture(&dir.path().join("o1"), &bad, &man);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{}:2:3: error[csv-error]", bad.display())), "{}", stderr(&o));
    // the manifest names a column the header lacks
    let m2 = dir.path().join("m.toml");
    std::fs::write(&m2, std::fs::read_to_string(&man).unwrap().replace("name_column = \"name\"", "name_column = \"title\"")).unwrap();
    let o = run_fixture(&dir.path().join("o2"), &csv, &m2);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{}:5:15: error[missing-column]", m2.display())), "{}", stderr(&o));
    // a manifest that does not parse, a missing register, an empty one
    // a setting that would misread figures: a separator that is a sign, a missing marker that is a figure
    let good = std::fs::read_to_string(&man).unwrap();
    std::fs::write(&m2, good.replacen("missing = [", "missing = [\"100\", ", 1)).unwrap();
    let o = run_fixture(&dir.path().join("o2b"), &csv, &m2);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing marker '100' is a figure"), "{}", stderr(&o));
    std::fs::write(&m2, "title = 1\n").unwrap();
    let o = run_fixture(&dir.path().join("o3"), &csv, &m2);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[manifest-error]"), "{}", stderr(&o));
    let o = run_fixture(&dir.path().join("o4"), &dir.path().join("nope.csv"), &man);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[missing-file]"), "{}", stderr(&o));
    std::fs::write(&bad, "").unwrap();
    let o = run_fixture(&dir.path().join("o5"), &bad, &man);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[empty-file]"), "{}", stderr(&o));
    // a header and no rows; a count of more than 9 digits
    let header = std::fs::read_to_string(&csv).unwrap().lines().next().unwrap().to_string();
    std::fs::write(&bad, format!("{header}\n")).unwrap();
    let o = run_fixture(&dir.path().join("o5b"), &bad, &man);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("{}:1:1: error[empty-file]: the register has a header but no rows", bad.display())), "{}", stderr(&o));
    // garbage bytes and odd rows: reported, no panic
    std::fs::write(&bad, b"id,name,people_1938\n1,A,\xff\xfe\n").unwrap();
    let o = run_fixture(&dir.path().join("o6"), &bad, &man);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[invalid-utf8]"), "{}", stderr(&o));
    std::fs::write(&bad, "id,name,people_1938,people_1939,people_1940\n1,A,5\n2,B,1,2,3,4\n\"3\"x,C,1,1,1\n").unwrap();
    let o = run_fixture(&dir.path().join("o7"), &bad, &man);
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let rep = std::fs::read_to_string(dir.path().join("o7/register-report.txt")).unwrap();
    assert!(rep.contains("finding[missing-cell]") && rep.contains("finding[extra-cell]") && rep.contains(":4:4: error[csv-error]"), "{rep}");
}

#[test]
fn shared_register_reads_493_camps_and_checks_the_grz_claims() {
    let Some(reg) = shared_register() else {
        eprintln!("shared register absent: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(bin()).current_dir(repo()).args(["register", reg.to_str().unwrap(), "--out", dir.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(": 493 rows, 493 camps, 38 yearly columns (1923-1960), 1760 figures read"), "{out}");
    let obs = rows(&dir.path().join("register-observations.csv"));
    let camps: std::collections::BTreeSet<&str> = obs.iter().filter(|r| r["series"] == "camp.population").map(|r| r["category"].as_str()).collect();
    assert!(camps.len() > 200, "{} camps with figures", camps.len());
    let val = |id: &str, y: &str| obs.iter().find(|r| r["series"] == "camp.population" && r["category"] == id && r["period_start"] == format!("{y}-01-01")).map(|r| r["value"].clone());
    // read from the file: BAMLAG (id 16) people_1938 = 200907; SEVVOSTLAG (id 224) people_1938 = "138 170"
    assert_eq!(val("16", "1938").as_deref(), Some("200907"));
    assert_eq!(val("224", "1938").as_deref(), Some("138170"));
    assert_eq!(val("7", "1939").as_deref(), Some("138170"));
    let t = rows(&dir.path().join("register-totals.csv"));
    let y1939 = t.iter().find(|r| r["year"] == "1939").unwrap();
    assert_eq!((y1939["camps_population_sum"].as_str(), y1939["camps_reporting"].as_str()), ("1359498", "54"));
    let rep = std::fs::read_to_string(dir.path().join("register-report.txt")).unwrap();
    assert!(rep.contains("finding[unnamed-column]: cell in the unnamed column 76 (after 'people_1938'): '42853 - 40916 - 40224' not read"), "{rep}");
    assert!(rep.contains("finding[annotated-figure]: people_1932 of id 128: '21300 (среднегодовая численность)'"), "{rep}");
    let claims = std::fs::read_to_string(dir.path().join("register-claims.txt")).unwrap();
    assert!(claims.contains("grz1993-bamlag-1939") && claims.contains("id 16 'Байкало-Амурский ИТЛ'"), "{claims}");
    let status = |id: &str| claims.split("\n\n").find(|b| b.starts_with(id)).and_then(|b| b.lines().last()).unwrap_or("").to_string();
    assert_eq!(status("grz1993-bamlag-1939"), "  result: documented");
    assert!(claims.contains("  documented: The register's BAMLAG row (id 16"), "{claims}");
    assert_eq!(status("grz1993-sevvostlag-1938"), "  result: pass");
    // docs/registers.md shows the comparison for ten years and the result of each register claim:
    // each row must be what this run computes
    let doc = std::fs::read_to_string(repo().join("docs/registers.md")).unwrap();
    let cmp = rows(&dir.path().join("register-comparison.csv"));
    let mut shown = 0;
    for r in &cmp {
        // a docs row: | year | sum | camps | central | ratio (low-high) | other reading |, figures with commas
        let Some(line) = doc.lines().find(|l| l.starts_with(&format!("| {} | ", r["year"]))) else { continue };
        let cells: Vec<String> = line.trim_matches('|').split(" | ").map(|c| c.trim().replace(',', "")).collect();
        let f3 = |k: &str| format!("{:.3}", r[k].parse::<f64>().unwrap());
        let alt = if r["alt_ratio"].is_empty() { "-".to_string() } else { f3("alt_ratio") };
        let want = [r["year"].clone(), r["register_sum"].clone(), r["camps_reporting"].clone(), r["top_down_value"].clone(), format!("{} ({}-{})", f3("ratio"), f3("ratio_low"), f3("ratio_high")), alt];
        assert_eq!(cells, want, "docs/registers.md, year {}", r["year"]);
        shown += 1;
    }
    assert!(shown >= 10, "docs/registers.md: {shown} comparison rows found");
    let documented: Vec<&str> = claims.split("\n\n").filter(|b| b.starts_with("petrov-") || b.starts_with("ustrcr-")).collect();
    assert_eq!(documented.len(), 23, "{claims}");
    for block in documented {
        let id = block.lines().next().unwrap();
        let result = block.lines().last().unwrap().trim_start_matches("  result: ");
        let line = doc.lines().find(|l| l.starts_with(&format!("| `{id}` |"))).unwrap_or_else(|| panic!("docs/registers.md has no row for {id}"));
        assert!(line.trim_end_matches(" |").rsplit(" | ").next().unwrap().starts_with(result), "docs/registers.md, {id}: {result}\n{line}");
    }
    // the benchmark runs and says how long
    let o = Command::new(bin()).current_dir(repo()).args(["register", reg.to_str().unwrap(), "--bench", "2"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("register import+comparison: 2 run(s)"), "{}", stdout(&o));
}

#[test]
fn register_claims_are_read_from_the_data_folder_and_checked() {
    let w = Work::new();
    w.write(
        "register-claims.csv",
        "id,statement,source_id,location,name_patterns,date,comparison,value\nalpha-1939,Alpha held 1300,demo,p. 1,alpha;альфа,1939-01-01,equals,1300\nbeta-big,Beta held more than 5000,demo2,p. 2,beta,1940-01-01,more_than,5000\nnowhere,Zeta,demo,p. 3,zeta,1939-01-01,equals,1\n".as_bytes(),
    );
    let (csv, man) = fixture_register();
    // run the register on the fixture; its exit status, stderr and claims report
    let register = || {
        let o = Command::new(bin())
            .current_dir(w.dir.path())
            .args(["register", csv.to_str().unwrap(), "--manifest", man.to_str().unwrap(), "--data", "data", "--out", "o"])
            .output()
            .unwrap();
        (o.status.code(), stderr(&o), std::fs::read_to_string(w.path("o/register-claims.txt")).unwrap())
    };
    let status = |claims: &str, id: &str| claims.split("\n\n").find(|b| b.starts_with(id)).and_then(|b| b.lines().last()).unwrap_or("").to_string();
    // a claim the register contradicts fails the run (every output still written), as in `check`
    let (code, err, claims) = register();
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("1 register claim(s) failed without a documented reason"), "{err}");
    assert_eq!(status(&claims, "alpha-1939"), "  result: pass", "{claims}");
    assert_eq!(status(&claims, "beta-big"), "  result: fail", "{claims}");
    assert_eq!(status(&claims, "nowhere"), "  result: not-in-register", "{claims}");
    assert!(claims.contains("claim: Alpha held 1300 (demo, p. 1)"), "{claims}");
    // with its reason recorded the same claim is documented, and the run succeeds
    w.write(
        "register-claims.csv",
        "id,statement,source_id,location,name_patterns,date,comparison,value,explanation\nalpha-1939,Alpha held 1300,demo,p. 1,alpha;альфа,1939-01-01,equals,1300,\nbeta-big,Beta held more than 5000,demo2,p. 2,beta,1940-01-01,more_than,5000,the register counts Beta's main camp only\n".as_bytes(),
    );
    let (code, err, claims) = register();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(status(&claims, "beta-big"), "  result: documented", "{claims}");
    assert!(claims.contains("  documented: the register counts Beta's main camp only"), "{claims}");

    // bad rows: every problem with its line and column, from validate as well as from register
    w.write(
        "register-claims.csv",
        "id,statement,source_id,location,name_patterns,date,comparison,value\nx,s,demo,p,alpha,1939-13-01,equals,1\ny,s,nobody,p,alpha,1939-01-01,about,ten\n".as_bytes(),
    );
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    for want in ["register-claims.csv:2:6: error[bad-period]", "register-claims.csv:3:7: error[csv-error]", "register-claims.csv:3:8: error[not-a-number]"] {
        assert!(e.contains(want), "missing '{want}' in\n{e}");
    }
    w.write("register-claims.csv", "id,statement,source_id,location,name_patterns,date,comparison,value\ny,s,nobody,p,alpha,1939-01-01,equals,10\n".as_bytes());
    let o = w.run(&["validate"]);
    assert!(stderr(&o).contains("register-claims.csv:2:3: error[unknown-source]"), "{}", stderr(&o));
}
