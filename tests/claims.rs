use crate::util::*;

/// The fixture with one more claim, 'wrong', which fails: it expects 100 where the data gives 95.
fn with_a_failing_claim() -> Work {
    let w = Work::new();
    w.append("claims.csv", "wrong,camp increase in 1939 as misread,demo,p. 9,\"at(camps.population, 1940-01-01) - at(camps.population, 1939-01-01)\",100,0,\n");
    w
}

#[test]
fn check_evaluates_claims_with_statuses() {
    let w = with_a_failing_claim();
    let o = w.run(&["check", "--format", "json"]);
    // 'wrong' expects 100 but the 1939 value is the median of 1200 and 1210: it fails
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let status = |id: &str| v["claims"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["status"].as_str().unwrap().to_string();
    assert_eq!(status("camps-1940"), "pass");
    assert_eq!(status("deaths-1938"), "pass");
    assert_eq!(status("deaths-total"), "pass");
    assert_eq!(status("wrong-but-known"), "documented");
    assert_eq!(status("missing"), "not-evaluable");
    assert_eq!(status("increase-1939"), "pass");
    assert_eq!(status("wrong"), "fail");
    let c = v["claims"].as_array().unwrap().iter().find(|c| c["id"] == "wrong").unwrap();
    // the rows of the claims export: figures as numbers, null where not evaluable
    assert_eq!(c["computed"], 95);
    assert_eq!(c["expected"], 100);
    let keys: Vec<&str> = c.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let mut want = vec!["id", "statement", "source_id", "location", "expected", "computed", "tolerance", "status"];
    want.sort();
    assert_eq!(keys, want);
    let m = v["claims"].as_array().unwrap().iter().find(|c| c["id"] == "missing").unwrap();
    assert!(m["computed"].is_null(), "{m}");
    // the same rows as the build's claims.json
    let o = w.run(&["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let exported: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(w.path("out/data/clean/claims.json")).unwrap()).unwrap();
    assert_eq!(v["claims"], exported);
    let findings: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(w.path("out/data/clean/findings.json")).unwrap()).unwrap();
    assert_eq!(v["findings"], findings);
}

#[test]
fn text_report_and_exit_zero_when_all_pass_or_documented() {
    let w = Work::new();
    let o = w.run(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("PASS camps-1940"), "{out}");
    assert!(out.contains("documented: demo2 counts camps and colonies together"), "{out}");
    // a documented or failed claim shows the range the data allows, a passing one does not
    assert!(out.contains("     range the data allows: 1000 to 1000\n     documented: demo2"), "{out}");
    assert_eq!(out.matches("range the data allows").count(), 1, "{out}");
    assert!(out.contains("claims: 4 pass, 0 fail, 1 documented, 1 not-evaluable"), "{out}");
}

#[test]
fn column_source_override_and_srcsum() {
    // A compilation that prints a second source's count beside its own: the column's figures
    // carry that source, meet the first in one series, and srcsum reads each source's rows.
    let w = Work::new();
    w.append("series.csv", "prisons.deaths,persons,flow,deaths in prisons\n");
    w.write("tables/demo/compare.csv", b"year,a_deaths,b_deaths\n1938,100,130\n1939,50,50\n");
    w.write(
        "tables/demo/compare.toml",
        b"title = \"Two counts\"\nlocation = \"Table 4\"\nunit = \"persons\"\nkeys = [\"year\"]\n\n[period]\ncolumn = \"year\"\nkind = \"year\"\n\n[[columns]]\nname = \"a_deaths\"\nseries = \"prisons.deaths\"\n\n[[columns]]\nname = \"b_deaths\"\nseries = \"prisons.deaths\"\nsource = \"demo2\"\n",
    );
    let mut claims = w.read("claims.csv");
    claims.push_str("a-sum,demo count 1938-39,demo,Table 4,\"srcsum(demo, prisons.deaths, 1938, 1939)\",150,0,\n");
    claims.push_str("b-sum,demo2 count 1938-39,demo2,Table 4,\"srcsum(demo2, prisons.deaths, 1938, 1939)\",180,0,\n");
    claims.push_str("b-gap,demo2 has no 1940,demo2,Table 4,\"srcsum(demo2, prisons.deaths, 1938, 1940)\",180,0,\n");
    w.write("claims.csv", claims.as_bytes());
    let o = w.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)));
    let status = |id: &str| v["claims"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["status"].as_str().unwrap().to_string();
    assert_eq!(status("a-sum"), "pass");
    assert_eq!(status("b-sum"), "pass");
    assert_eq!(status("b-gap"), "not-evaluable");

    let o = w.run(&["build", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let obs = std::fs::read_to_string(w.path("out/data/clean/observations.csv")).unwrap();
    let b: Vec<&str> = obs.lines().filter(|l| l.starts_with("prisons.deaths,1938-01-01")).collect();
    assert_eq!(b.len(), 2, "{obs}");
    assert!(b.iter().any(|l| l.contains(",130,persons,demo2,")), "{b:?}");
    assert!(b.iter().any(|l| l.contains(",100,persons,demo,")), "{b:?}");
    let rec = std::fs::read_to_string(w.path("out/data/clean/reconciled.csv")).unwrap();
    let r = rec.lines().find(|l| l.starts_with("prisons.deaths,1938-01-01")).unwrap();
    assert!(r.contains(",conflict") && r.contains("demo;demo2"), "{r}");

    // an unknown source in the column is an error that points at the manifest
    let m = w.read("tables/demo/compare.toml").replace("source = \"demo2\"", "source = \"nobody\"");
    w.write("tables/demo/compare.toml", m.as_bytes());
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o) + &stdout(&o);
    assert!(e.contains("tables/demo/compare.toml:17:") && e.contains("unknown-source") && e.contains("nobody"), "{e}");
}

#[test]
fn eval_gives_value_range_figures_used_and_a_verdict() {
    let w = Work::new();
    let inc = "at(camps.population, 1940-01-01) - at(camps.population, 1939-01-01)";
    // 1939 is the median of 1200 and 1210 (range 1200 to 1210); 1940 is 1300 in both sources:
    // the increase is 95, and the range of a difference is high minus low to low minus high
    let o = w.run(&["eval", inc, "--expected", "100"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(&format!("{inc} = 95  (range 90 to 100)\n")), "{out}");
    assert!(out.contains("figures used (2):"), "{out}");
    assert!(out.contains("  camps.population 1939-01-01: 1,205 (1,200 to 1,210)  demo;demo2  conflict"), "{out}");
    assert!(out.contains("expected 100: computed differs by -5 (-5.00%); not equal, but inside the range the data allows"), "{out}");
    // a difference too small for two decimals carries no sign
    let small = stdout(&w.run(&["eval", "at(camps.population, 1940-01-01)", "--expected", "1300.001"]));
    assert!(small.contains("(0.00%)") && !small.contains("-0.00%"), "{small}");
    assert!(out.contains("registry: claim increase-1939 has this expression (pass;"), "{out}");
    // just outside the range: exit 1
    let o = w.run(&["eval", inc, "--expected", "101"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("outside the range the data allows"), "{}", stdout(&o));
    // a tolerance makes it equal; thousands commas are read
    let o = w.run(&["eval", inc, "--expected", "101", "--tolerance", "6"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("equal within ±6"), "{}", stdout(&o));
    // one-sided: "more than 90" holds (95), "more than 101" does not, though the range's top (100)
    // comes within a tolerance of 1; "fewer than 90" does not, and the range's bottom (90) does
    let o = w.run(&["eval", inc, "--expected", "90", "--tolerance", "at least"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("expected 90: computed differs by +5 (+5.56%); on the side the statement gives (at least)"), "{}", stdout(&o));
    let o = w.run(&["eval", inc, "--expected", "101", "--tolerance", "at least"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("outside the range the data allows"), "{}", stdout(&o));
    let o = w.run(&["eval", inc, "--expected", "101", "--tolerance", "at least 1"]);
    assert!(stdout(&o).contains("not equal, but inside the range the data allows"), "{}", stdout(&o));
    let o = w.run(&["eval", inc, "--expected", "90", "--tolerance", "at most"]);
    assert!(stdout(&o).contains("not equal, but inside the range the data allows"), "{}", stdout(&o));
    let o = w.run(&["eval", inc, "--expected", "90", "--tolerance", "at most", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((v["expected"]["bound"].as_str(), v["expected"]["verdict"].as_str()), (Some("at-most"), Some("in-range")));
    assert_eq!(w.run(&["eval", inc, "--expected", "90", "--tolerance", "at leastish"]).status.code(), Some(2));
    let o = w.run(&["eval", "at(camps.population, 1940-01-01)", "--expected", "1,300"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("expected 1,300: the computed value is the same; equal within ±0"), "{}", stdout(&o));
    // a quotient: 1300/1200 and 1300/1210 bound it
    let o = w.run(&["eval", "at(camps.population, 1940-01-01) / at(camps.population, 1939-01-01) * 100"]);
    assert!(stdout(&o).contains("= 107.88  (range 107.44 to 108.33)"), "{}", stdout(&o));
    // a percent printed as 10.5 may be 10.45 to 10.55: the range keeps the half unit
    let o = w.run(&["eval", "at(camps.counterrevolutionaries_share, 1938-01-01)", "--expected", "10.5"]);
    assert!(stdout(&o).starts_with("at(camps.counterrevolutionaries_share, 1938-01-01) = 10.5  (range 10.45 to 10.55)\n"), "{}", stdout(&o));
    assert!(stdout(&o).contains(": 10.5 (10.45 to 10.55)  demo  single-source"), "{}", stdout(&o));
    // a literal beyond 15 digits is no number; a result beyond the range of numbers is no value
    assert_eq!(w.run(&["eval", &format!("{}*2", "9".repeat(400))]).status.code(), Some(2));
    let big = vec!["999999999999999"; 25].join("*");
    let o = w.run(&["eval", &big]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not evaluable: the result is too large to compute"), "{}", stdout(&o));
    // a small value keeps three significant digits; a negative published figure keeps the signs apart
    assert!(stdout(&w.run(&["eval", "1 / 3000"])).starts_with("1 / 3000 = 0.000333  (range"), "small values");
    let o = w.run(&["eval", "at(camps.population, 1940-01-01)", "--expected=-1300"]);
    assert!(stdout(&o).contains("computed differs by +2,600 (+200.00%)"), "{}", stdout(&o));
    // a count widened by 10% keeps its thousands grouped
    let o = w.run(&["eval", "at(colonies.population, 1938-01-01) * 1000 + 0.25"]);
    assert!(stdout(&o).contains("= 500,000.25  (range 450,000.25 to 550,000.25)"), "{}", stdout(&o));
    // the same for programs
    let o = w.run(&["eval", inc, "--expected", "101", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    assert_eq!((v["status"].as_str(), v["value"].as_f64(), v["low"].as_f64(), v["high"].as_f64()), (Some("evaluated"), Some(95.0), Some(90.0), Some(100.0)));
    assert_eq!((v["expected"]["verdict"].as_str(), v["expected"]["difference"].as_f64()), (Some("outside"), Some(-6.0)));
    assert_eq!(v["terms"][1]["sources"], serde_json::json!(["demo", "demo2"]));
    assert_eq!(v["registry"][0]["id"], "increase-1939");
    let o = w.run(&["eval", "flow(camps.deaths, 1941)", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["status"], "not-evaluable");
    // a figure used twice is listed once
    let o = w.run(&["eval", "(at(camps.population, 1940-01-01) - at(camps.population, 1939-01-01)) / at(camps.population, 1939-01-01)"]);
    assert!(stdout(&o).contains("figures used (2):"), "{}", stdout(&o));
    // a printed value by one source has no range
    let o = w.run(&["eval", "src(demo, camps.deaths, 1938-1939)"]);
    assert!(stdout(&o).contains("  camps.deaths 1938-01-01..1939-12-31: 100  demo  printed"), "{}", stdout(&o));
}

#[test]
fn eval_reports_missing_figures_and_every_bad_call() {
    let w = Work::new();
    let o = w.run(&["eval", "flow(camps.deaths, 1941)"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not evaluable: no value of camps.deaths for 1941-01-01..1941-12-31"), "{}", stdout(&o));
    // every problem of the expression at once, exit 2
    let o = w.run(&["eval", "sum(camps.deth, 1934, 1935) + at(camps.population, 1939) + srcsum(nobody, camps.deaths, 1939, 1938)"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    for want in ["series 'camps.deth' is not in series.csv", "'1939' in at(...) is not a date", "source 'nobody' is not in sources.csv", "srcsum(...) runs from 1939 back to 1938"] {
        assert!(e.contains(want), "{want}: {e}");
    }
    let o = w.run(&["eval", "sum(camps.deaths, 1938,"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at character 24 of the expression"), "{}", stderr(&o));
    let o = w.run(&["eval", "flow(camps.deaths, 1938)", "--expected", "86,7"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--expected '86,7' is not a number"), "{}", stderr(&o));
}

#[test]
fn a_malformed_call_in_the_registry_is_a_validation_error_not_a_missing_figure() {
    let w = Work::new();
    let mut claims = w.read("claims.csv");
    claims.push_str("backwards,deaths 1939 to 1938,demo,Table 2,\"sum(camps.deaths, 1939, 1938)\",100,0,\n");
    claims.push_str("no-date,camps in 1940,demo,Table 1,\"at(camps.population, 1940)\",1300,0,\n");
    w.write("claims.csv", claims.as_bytes());
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o) + &stdout(&o);
    assert!(e.contains("claims.csv:8:5: error[claim-error]: claim backwards: sum(...) runs from 1939 back to 1938"), "{e}");
    assert!(e.contains("claims.csv:9:5: error[claim-error]: claim no-date: '1940' in at(...) is not a date"), "{e}");
}

#[test]
fn check_shows_the_claims_asked_for_and_reports_their_status() {
    let w = with_a_failing_claim();
    // by source: only demo2's claim, which is documented, so exit 0 although 'wrong' fails
    let o = w.run(&["check", "--source", "demo2"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("DOC  wrong-but-known"), "{out}");
    assert!(!out.contains("camps-1940") && !out.contains("wrong "), "{out}");
    assert!(out.contains("claims: 0 pass, 0 fail, 1 documented, 0 not-evaluable"), "{out}");
    assert!(out.contains("(1 of the registry's 7 claims;"), "{out}");
    assert!(!out.contains("accounting identities:"), "{out}");
    // by status: the failing claim, exit 1
    let o = w.run(&["check", "--status", "fail"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("FAIL wrong "), "{}", stdout(&o));
    assert!(stdout(&o).contains("claims: 0 pass, 1 fail, 0 documented, 0 not-evaluable"), "{}", stdout(&o));
    // by id and by prefix; filters combine
    let o = w.run(&["check", "deaths-*", "camps-1940", "--status", "pass", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = v["claims"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["camps-1940", "deaths-1938", "deaths-total"]);
    // a name that matches nothing, an unknown source or status: usage errors
    for args in [&["check", "death-*"][..], &["check", "--source", "nosuch"], &["check", "--status", "passed"]] {
        let o = w.run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    assert!(stderr(&w.run(&["check", "death-*"])).contains("no claim of the registry is named 'death-*'"));
    let e = stderr(&w.run(&["check", "--source", "dem"]));
    assert!(e.contains("unknown source 'dem'") && e.contains("did you mean demo?"), "{e}");
    // without a filter, every claim and the identities, and the exit status of the whole registry
    let o = w.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("claims: 4 pass, 1 fail, 1 documented, 1 not-evaluable"), "{}", stdout(&o));
}
