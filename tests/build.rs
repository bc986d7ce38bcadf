use crate::util::*;

#[test]
fn build_writes_charts_and_datasets_and_is_byte_identical() {
    let w = Work::new();
    let o = w.run(&["build", "--out", "out1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = w.run(&["build", "--out", "out2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["charts/figure-c.svg", "charts/figure-c.png", "data/clean/observations.csv", "data/clean/reconciled.csv", "data/clean/claims.csv", "data/clean/observations.parquet", "data/clean/datapackage.json"] {
        let a = std::fs::read(w.path("out1").join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        let b = std::fs::read(w.path("out2").join(f)).unwrap();
        assert_eq!(a, b, "{f} differs between runs");
        assert!(!a.is_empty());
    }
    let svg = std::fs::read_to_string(w.path("out1/charts/figure-c.svg")).unwrap();
    assert!(!svg.contains(&w.dir.path().display().to_string()), "absolute path in output");
}

#[test]
fn observations_keep_provenance_and_contract_columns() {
    let w = Work::new();
    let o = w.run(&["export", "--out", "x", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(w.path("x/observations.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), "series,period_start,period_end,category,value,unit,source_id,location,evidence,note");
    assert!(csv.contains("camps.population,1939-01-01,1939-01-01,,1200,persons,demo,\"Table 1, row '1939', column 'camps'\",printed,"), "{csv}");
    assert!(csv.contains("camps.share_by_gender,1939-01-01,1939-01-01,men,92.0,percent,demo"), "{csv}");
    // the printed total over its span is kept, marked as a total row
    assert!(csv.contains("camps.deaths,1938-01-01,1939-12-31,,100,persons,demo"), "{csv}");
    // derived values say so
    assert!(csv.lines().any(|l| l.starts_with("gulag.population,1938-01-01,1938-01-01,,1500,persons,gulagstats,derived: rule sum,derived,")), "{csv}");
    assert!(!csv.contains("1939-01-01,1939-12-31,,-"), "a missing marker became a value");
    let rec = std::fs::read_to_string(w.path("x/reconciled.csv")).unwrap();
    assert!(rec.starts_with("series,period_start,period_end,category,value,low,high,unit,n_sources,method,sources,flags\n"));
}

#[test]
fn reconciled_rows_flag_conflicts_and_keep_low_le_value_le_high() {
    let w = Work::new();
    let o = w.run(&["export", "--out", "x", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rec = std::fs::read_to_string(w.path("x/reconciled.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(rec.as_bytes());
    let mut saw_conflict = false;
    for r in rdr.records() {
        let r = r.unwrap();
        let (v, lo, hi): (f64, f64, f64) = (r[4].parse().unwrap(), r[5].parse().unwrap(), r[6].parse().unwrap());
        assert!(lo <= v && v <= hi, "{r:?}");
        if &r[0] == "camps.population" && &r[1] == "1939-01-01" {
            // demo 1200 vs demo2 1210: beyond rounding
            assert!(r[11].contains("conflict"), "{r:?}");
            assert_eq!(&r[8], "2");
            assert!(lo <= 1200.0 && hi >= 1210.0, "the range spans both witnesses: {r:?}");
            saw_conflict = true;
        }
        if &r[0] == "camps.population" && &r[1] == "1940-01-01" {
            assert!(!r[11].contains("conflict"), "1300 vs 1300 agree: {r:?}");
        }
        if &r[0] == "colonies.population" && &r[1] == "1938-01-01" {
            // uncertainty rule widens by 10%
            // an exact printed count 500, widened by 10%
            assert_eq!((lo, hi), (450.0, 550.0), "{r:?}");
            assert!(r[11].contains("uncertainty:test-rule"));
        }
    }
    assert!(saw_conflict);
}

#[test]
fn show_prints_each_source_and_the_reconciled_value() {
    let w = Work::new();
    let o = w.run(&["show", "camps.population", "--from", "1939", "--to", "1939"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("camps.population 1939-01-01: 1,205"), "{out}");
    assert!(out.contains("demo ") && out.contains("demo2"), "{out}");
    assert!(!out.contains("1938-01-01"), "--from not applied: {out}");
    let o = w.run(&["show", "no.such"]);
    assert_eq!(o.status.code(), Some(2));
    // a year no value covers, where the table prints a dash instead of a figure, is said to be so
    // (demo's deaths: '-' for 1939; the printed total of 1938-1939 covers it only as a span)
    let out = stdout(&w.run(&["show", "camps.deaths", "--from", "1939", "--to", "1939"]));
    assert!(out.ends_with("camps.deaths 1939-01-01..1939-12-31: no figure; printed instead: demo '-'\n"), "{out}");
    assert!(!stdout(&w.run(&["show", "camps.deaths", "--from", "1938", "--to", "1938"])).contains("1938-01-01..1938-12-31: no figure"));
    // a date with only categories of a stock says that the whole is missing there; a composition
    // series (shares by category) has no whole to miss
    w.append("tables/demo2/text.csv", "camps.population,1937-01-01,,Siblag,500,persons,p. 9,\n");
    let out = stdout(&w.run(&["show", "camps.population", "--from", "1937", "--to", "1938"]));
    assert!(out.starts_with("(no value of camps.population as a whole for 1937-01-01; only its categories)\ncamps.population 1937-01-01 [Siblag]: 500"), "{out}");
    assert_eq!(out.matches("as a whole").count(), 1, "{out}");
    assert!(!stdout(&w.run(&["show", "camps.share_by_gender"])).contains("as a whole"));
    // nor does a stock named as split by something (its whole is another series)
    w.append("series.csv", "gulag.population_by_gender,persons,stock,by gender\n");
    w.append("tables/demo2/text.csv", "gulag.population_by_gender,1939-01-01,,women,100,persons,p. 9,\n");
    let out = stdout(&w.run(&["show", "gulag.population_by_gender"]));
    assert!(out.starts_with("gulag.population_by_gender 1939-01-01 [women]: 100"), "{out}");
    // a typo gets the nearest name; a known series with nothing in the range is an empty answer
    // (exit 1), not a usage error
    let o = w.run(&["show", "camps.populaton"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown series 'camps.populaton' (did you mean camps.population?)"), "{}", stderr(&o));
    let o = w.run(&["show", "camps.population", "--from", "1960", "--to", "1961"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no values of camps.population in that range") && !stderr(&o).contains("usage"), "{}", stderr(&o));
    // a prefix with `*` shows every series it begins; a prefix that begins none is a usage error
    let out = stdout(&w.run(&["show", "camps.*", "--from", "1939", "--to", "1939"]));
    assert!(out.contains("camps.population 1939-01-01: 1,205") && out.contains("camps.deaths"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("gulag.")), "{out}");
    let o = w.run(&["show", "nosuch.*"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no series begins with 'nosuch.'"), "{}", stderr(&o));
    // a derived value names its rule once, not "derived derived: rule sum"
    let out = stdout(&w.run(&["show", "gulag.population", "--from", "1938", "--to", "1938"]));
    assert!(out.contains("  derived: rule sum"), "{out}");
    assert!(!out.contains("derived derived"), "{out}");
    // --format csv: one row per value, with its reconciled row beside it, readable by a CSV reader
    let o = w.run(&["show", "camps.population", "--from", "1939", "--to", "1939", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(head.join(","), "series,period_start,period_end,category,unit,reconciled_value,low,high,method,flags,source_id,document,value,evidence,precision,location,excluded_reason");
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let text = stdout(&w.run(&["show", "camps.population", "--from", "1939", "--to", "1939"]));
    // the text lists each value indented under its row (a finding or an exclusion is not a value)
    let sources_listed = text.lines().filter(|l| l.starts_with("    ") && !l.trim_start().starts_with("excluded") && !l.trim_start().starts_with("finding")).count();
    assert_eq!(rows.len(), sources_listed, "{rows:?}\n{text}");
    let demo = rows.iter().find(|r| &r[10] == "demo" && &r[1] == "1939-01-01").expect("a row of source demo");
    assert!(demo[5].starts_with("1205") && &demo[13] == "printed" && !demo[15].is_empty(), "{demo:?}");
    let o = w.run(&["show", "gulag.population", "--from", "1938", "--to", "1938", "--format", "csv"]);
    let out = stdout(&o);
    // a derived value is the pipeline's, named by its rule
    assert!(out.lines().any(|l| l.contains(",gulagstats,gulagstats,1500,derived,,derived: rule sum,")), "{out}");
}

/// A `[[cells]]` entry types one cell as another series than its column's, and the
/// observation's note says why; `rebuild` and the other cells are unaffected.
#[test]
fn a_cell_can_be_of_another_series_than_its_column() {
    let w = Work::new();
    let mut toml = w.read("tables/demo/stocks.toml");
    toml.push_str("\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colonies\"\nseries = \"camps.population\"\nreason = \"the note under the table\"\n");
    w.write("tables/demo/stocks.toml", toml.as_bytes());
    let o = w.run(&["export", "--out", "x", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(w.path("x/observations.csv")).unwrap();
    assert!(csv.contains("camps.population,1940-01-01,1940-01-01,,700,persons,demo,\"Table 1, row '1940', column 'colonies'\",printed,this cell is of camps.population: the note under the table"), "{csv}");
    assert!(!csv.contains("colonies.population,1940-01-01"), "{csv}");
    assert!(csv.contains("colonies.population,1939-01-01,1939-01-01,,600,"), "{csv}");
    // a period of its own
    let mut toml = w.read("tables/demo/stocks.toml");
    toml.push_str("\n[[cells]]\ncolumn = \"year\"\nlabel = \"1939\"\ncell = \"camps\"\nperiod = \"1939-04-01\"\nreason = \"r\"\n");
    w.write("tables/demo/stocks.toml", toml.as_bytes());
    let o = w.run(&["export", "--out", "y", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(w.path("y/observations.csv")).unwrap();
    assert!(csv.contains("camps.population,1939-04-01,1939-04-01,,1200,persons,demo,\"Table 1, row '1939', column 'camps'\",printed,this cell is dated 1939-04-01: r"), "{csv}");
}

/// Two exact counts that differ by a single person disagree; two percents printed to different
/// decimals that agree within rounding do not, and the finer one gives the value and the range (a
/// rounder figure that agrees adds nothing to it).
#[test]
fn counts_are_exact_and_percents_rounded() {
    let w = Work::new();
    w.write("tables/demo2/text.csv", b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,1939-01-01,,1201,persons,p. 5,one more\ncamps.counterrevolutionaries_share,1938-01-01,1938-01-01,,10.46,percent,p. 6,finer\ncamps.counterrevolutionaries_share,1940-01-01,1940-01-01,,12,percent,p. 7,whole percent\n");
    let rec = w.export_reconciled("x");
    let row = |p: &str| line_of(&rec, p);
    let r = row("camps.population,1939-01-01,");
    assert!(r.ends_with(",conflict") || r.contains(",conflict;"), "1200 vs 1201: {r}");
    assert!(r.contains(",1200,1201,persons,"), "whole counts, no rounding slack: {r}");
    let r = row("camps.counterrevolutionaries_share,1938-01-01,");
    assert!(!r.contains("conflict"), "10.5 vs 10.46 is rounding: {r}");
    assert!(r.contains(",10.46,10.455,10.465,percent,2,most-precise-document,"), "the finer figure's half units: {r}");
    let r = row("camps.counterrevolutionaries_share,1940-01-01,");
    assert!(!r.contains("conflict"), "11.5 vs 12 is rounding: {r}");
    assert!(r.contains(",11.5,11.45,11.55,percent,2,most-precise-document,"), "the whole percent 12 agrees and adds nothing: {r}");
}

/// A figure the data marks as rounded (`rounded_to`: "1,2 thousand" is rounded to 100) agrees with
/// an exact count within that rounding, and the count gives the value and the range. Words in a
/// note change nothing: "about 1,300" without `rounded_to` is exact.
#[test]
fn figures_marked_rounded_are_rounded() {
    let w = Work::new();
    w.write("tables/demo/stocks.csv", b"year,camps,colonies,total,share\n1938,1000,500,1500,10.5\n1939,1234,600,1834,12.0\n1940,1301,700,2001,11.5\n");
    w.write("tables/demo2/text.csv", b"series,period_start,period_end,category,value,unit,location,note,rounded_to\ncamps.population,1939-01-01,1939-01-01,,1200,persons,p. 5,\"printed as 1,2 thousand\",100\ncamps.population,1940-01-01,1940-01-01,,1300,persons,p. 6,\"about 1,300\",\n");
    let rec = w.export_reconciled("x");
    let row = |p: &str| line_of(&rec, p);
    let r = row("camps.population,1939-01-01,");
    assert!(!r.contains("conflict"), "1,234 lies within 1,2 thousand: {r}");
    assert!(r.contains(",1234,1234,1234,persons,2,most-precise-document,"), "{r}");
    let r = row("camps.population,1940-01-01,");
    assert!(r.contains(",1300,1301,persons,") && r.contains("conflict"), "a note's words do not round: {r}");
}

/// A bound ("more than 1,200": `bound = lower`) agrees with every value it allows and takes no part
/// in the value or the range where another document gives the value; a value outside it conflicts;
/// a reconciled value that is itself a bound is flagged so.
#[test]
fn bounds_agree_with_what_they_allow_and_are_flagged() {
    let w = Work::new();
    w.write("tables/demo/stocks.csv", b"year,camps,colonies,total,share\n1938,1000,500,1500,10.5\n1939,1234,600,1834,12.0\n1940,1300,700,2000,11.5\n");
    w.write("tables/demo2/text.csv", b"series,period_start,period_end,category,value,unit,location,note,bound\ncamps.population,1939-01-01,1939-01-01,,1200,persons,p. 5,more than 1200,lower\ncamps.population,1940-01-01,1940-01-01,,1200,persons,p. 6,at most 1200,upper\ncamps.population,1941-01-01,1941-01-01,,1500,persons,p. 7,more than 1500,lower\n");
    let rec = w.export_reconciled("x");
    let row = |p: &str| line_of(&rec, p);
    let r = row("camps.population,1939-01-01,");
    assert!(r.contains(",1234,1234,1234,persons,2,most-precise-document,demo;demo2,"), "the bound agrees and stays out: {r}");
    assert!(!r.contains("conflict") && !r.contains("bound") && !r.contains("single-source"), "{r}");
    let r = row("camps.population,1940-01-01,");
    assert!(r.contains("conflict"), "1,300 is above 'at most 1,200': {r}");
    assert!(r.contains(",1300,1200,1300,persons,"), "a bound that conflicts stays in the range: {r}");
    let r = row("camps.population,1941-01-01,");
    assert!(r.contains(",1500,1500,1500,persons,1,single-document,demo2,") && r.ends_with(",single-source;lower-bound"), "{r}");
    // bounds of two documents: the tightest gives the value and the range; a lower and an upper
    // bound leave the interval between them
    w.write("tables/demo/extra.csv", b"series,period_start,period_end,category,value,unit,location,note,bound\ncamps.population,1941-01-01,,,1000,persons,p. 3,more than 1000,lower\ncamps.population,1942-01-01,,,1700,persons,p. 3,at most 1700,upper\n");
    w.write("tables/demo/extra.toml", b"title = \"extra\"\nlayout = \"long\"\nunit = \"persons\"\n");
    w.append("tables/demo2/text.csv", "camps.population,1942-01-01,1942-01-01,,1600,persons,p. 8,more than 1600,lower\n");
    let rec = w.export_reconciled("y");
    let row = |p: &str| line_of(&rec, p);
    let r = row("camps.population,1941-01-01,");
    assert!(r.contains(",1500,1500,1500,persons,2,tightest-bound,demo;demo2,lower-bound"), "the higher 'more than' says the most: {r}");
    let r = row("camps.population,1942-01-01,");
    assert!(r.contains(",1650,1600,1700,persons,2,between-bounds,demo;demo2,"), "more than 1,600 and at most 1,700: {r}");
    assert!(r.contains("lower-bound") && r.contains("upper-bound") && !r.contains("conflict"), "{r}");
    // `show` says of each printed figure what the data says of it
    let out = stdout(&w.run(&["show", "camps.population", "--from", "1942", "--to", "1942"]));
    assert!(out.lines().any(|l| l.contains("demo2") && l.contains(" 1600 ") && l.ends_with("[lower bound]")), "{out}");
    assert!(out.lines().any(|l| l.contains("demo ") && l.ends_with("[upper bound]")), "{out}");
    // `eval`: a value that is only a "more than" allows any figure above it, and none below;
    // "more than 1,600 and at most 1,700" keeps the interval between them
    let o = w.run(&["eval", "at(camps.population, 1941-01-01)", "--expected", "2500"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("(range 1,500 to unbounded)") && stdout(&o).contains("inside the range the data allows"), "{}", stdout(&o));
    let o = w.run(&["eval", "at(camps.population, 1941-01-01)", "--expected", "1400"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = w.run(&["eval", "at(camps.population, 1942-01-01)", "--expected", "1800"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("(range 1,600 to 1,700)"), "{}", stdout(&o));
    // a tolerance without a figure to compare is a usage error, not silently ignored
    let o = w.run(&["eval", "at(camps.population, 1942-01-01)", "--tolerance", "5"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--expected"), "{}", stderr(&o));
}

/// A `preferred` rule gives the value only where a preferred source has one; elsewhere the median
/// rule does, and the method says so (it said `preferred:demo` for a source not in the list).
#[test]
fn a_preferred_rule_without_a_preferred_value_falls_back_to_the_median() {
    let w = Work::new();
    w.append("reconcile.toml", "\n[[series]]\nseries = \"colonies.population\"\nmethod = \"preferred\"\nprefer = [\"demo2\"]\n");
    let r = line_of(&w.export_reconciled("x"), "colonies.population,1939-01-01,");
    assert!(r.contains(",single-document,demo,"), "{r}");
}

/// An output of an earlier run that this run does not write is removed, so the folder holds what
/// the package describes: the JSON of an earlier export, the coverage chart of data that had targets.
#[test]
fn outputs_of_an_earlier_run_do_not_outlive_it() {
    let w = Work::new();
    assert_eq!(w.run(&["export", "--out", "x"]).status.code(), Some(0));
    assert!(w.path("x/observations.json").is_file());
    let o = w.run(&["export", "--out", "x", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(w.path("x/observations.csv").is_file() && !w.path("x/observations.json").exists() && !w.path("x/observations.parquet").exists());
    // and says so
    assert!(stderr(&o).contains("file(s) of an earlier run from") && stderr(&o).contains("observations.json"), "{}", stderr(&o));
    w.write("coverage.toml", b"[[target]]\nseries = \"camps.population\"\ndated = \"1 January\"\nfrom = 1938\nto = 1940\n");
    let o = w.run(&["build", "--out", "o"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(w.path("o/charts/coverage.svg").is_file());
    // build says where it wrote
    assert!(stderr(&o).lines().any(|l| l.starts_with("wrote ") && l.contains(" chart file(s) to o/charts and ") && l.ends_with(" dataset file(s) to o/data/clean")), "{}", stderr(&o));
    std::fs::write(w.path("o/charts/register-vs-central.svg"), b"<svg/>").unwrap();
    std::fs::remove_file(w.data().join("coverage.toml")).unwrap();
    assert_eq!(w.run(&["build", "--out", "o"]).status.code(), Some(0));
    assert!(!w.path("o/charts/coverage.svg").exists() && !w.path("o/charts/coverage.png").exists());
    assert!(w.path("o/charts/register-vs-central.svg").is_file(), "a chart build does not draw is left alone");
}

/// Camp deaths above the deaths of camps and colonies, from two documents, are a finding of check.
#[test]
fn camp_deaths_above_system_deaths_are_found() {
    let w = Work::new();
    w.write("tables/demo2/text.csv", b"series,period_start,period_end,category,value,unit,location,note\ngulag.deaths,1938-01-01,1938-12-31,,60,persons,p. 5,\n");
    let out = stdout(&w.run(&["check"]));
    assert!(out.contains("[part-not-above-whole] camps.deaths 1938-01-01: reconciled camp deaths 100 above camps + colonies 60 (demo2)"), "{out}");
    // `show` gives the finding under each row it joins, and not under the others
    let shown = stdout(&w.run(&["show", "gulag.deaths"]));
    assert!(shown.contains("    demo2 ") && shown.contains("\n    finding [part-not-above-whole]: reconciled camp deaths 100 above camps + colonies 60 (demo2)\n"), "{shown}");
    let shown = stdout(&w.run(&["show", "camps.deaths", "--from", "1939", "--to", "1939"]));
    assert!(shown.starts_with("camps.deaths 1938-01-01..1939-12-31: ") && !shown.contains("finding ["), "{shown}");
}

#[test]
fn flows_inside_a_span_that_add_up_to_more_than_it_are_found() {
    let head = "series,period_start,period_end,category,value,unit,location,note,rounded_to,bound\n";
    let rows = |span: &str, bound: &str| format!("{head}camps.deaths,1936-01-01,1940-12-31,,{span},persons,p. 1,,,{bound}\ncamps.deaths,1936-01-01,1936-12-31,,40,persons,p. 2,,,\ncamps.deaths,1937-01-01,1937-12-31,,30,persons,p. 2,,,\n");
    // the fixture's 1938 (100, demo) with 1936 and 1937: 170 at least, above the span's 150; the
    // fixture's 1938-1939 (100, its total row), which overlaps 1938, is not counted as well
    let work = |span: &str, bound: &str| {
        let w = Work::new();
        w.write("tables/demo2/span.toml", b"title = \"Spans\"\nlayout = \"long\"\n");
        w.write("tables/demo2/span.csv", rows(span, bound).as_bytes());
        w
    };
    let w = work("150", "");
    let out = stdout(&w.run(&["check"]));
    assert!(out.contains("[parts-above-span] camps.deaths 1936-01-01: camps.deaths over 1936-01-01..1940-12-31: at most 150 (demo2), but flows within it add up to at least 170: 1936-01-01..1936-12-31 40 (demo2) + 1937-01-01..1937-12-31 30 (demo2) + 1938-01-01..1938-12-31 100 (demo)"), "{out}");
    let rec = w.export_reconciled("o");
    let flagged = |p: &str| rec.lines().any(|l| l.starts_with(&format!("camps.deaths,{p},")) && l.contains("identity-finding"));
    assert!(flagged("1936-01-01,1940-12-31") && flagged("1938-01-01,1938-12-31") && !flagged("1938-01-01,1939-12-31"), "{rec}");
    // 170 does not exceed 175, although all the parts together (270) would
    let w = work("175", "");
    assert!(!stdout(&w.run(&["check"])).contains("parts-above-span"));
    // a span printed as "more than" has no upper end to exceed
    let w = work("150", "lower");
    assert!(!stdout(&w.run(&["check"])).contains("parts-above-span"));
}

#[test]
fn failed_run_leaves_earlier_outputs_intact() {
    let w = Work::new();
    assert_eq!(w.run(&["build", "--out", "o"]).status.code(), Some(0));
    let before = std::fs::read(w.path("o/data/clean/observations.csv")).unwrap();
    w.write("tables/demo/stocks.csv", b"year,camps,colonies,total,share\n1938,zzz,500,1500,10.5\n");
    let o = w.run(&["build", "--out", "o"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("data/tables/demo/stocks.csv:2:2: error[not-a-number]"), "{}", stderr(&o));
    assert_eq!(std::fs::read(w.path("o/data/clean/observations.csv")).unwrap(), before);
    // hand-entered data is never rewritten
    assert!(w.read("tables/demo/stocks.csv").contains("zzz"));
    // an output folder that cannot be made: the message says what failed, on which path
    let w = Work::new();
    std::fs::write(w.path("blocker"), b"").unwrap();
    let o = w.run(&["export", "--out", "blocker/x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot create folder blocker/x: "), "{}", stderr(&o));
    // the data folder is never an output folder: export would write its claims.csv over the registry
    for args in [&["export", "--out", "data"][..], &["export", "--out", "data/tables/x"], &["build", "--out", "data"], &["plot", "--out", "data"]] {
        let o = w.run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("hand-entered data is never written over"), "{}", stderr(&o));
    }
    assert!(w.read("claims.csv").starts_with("id,statement,source_id,location,expression,"));
    assert_eq!(w.run(&["export", "--out", "data/clean", "--format", "csv"]).status.code(), Some(0));
}

#[test]
fn help_and_usage_errors() {
    {
        let w = Work::new();
        let o = w.run(&["show", "camps.population", "--from", "1950", "--to", "1940"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("--from 1950-01-01 is after --to 1940-12-31"), "{}", stderr(&o));
        // a name that matches nothing is an error even beside one that matches
        w.write("coverage.toml", b"[[target]]\nseries = \"camps.population\"\ndated = \"1 January\"\nfrom = 1938\nto = 1940\n");
        assert_eq!(w.run(&["coverage", "camps.population"]).status.code(), Some(0));
        let o = w.run(&["coverage", "camps.population", "camps.nosuch"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("unknown series 'camps.nosuch'"), "{}", stderr(&o));
        // a series without a target names the targets there are
        let o = w.run(&["coverage", "camps.population", "camps.deaths"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("no coverage target for camps.deaths in data/coverage.toml (targets: camps.population)"), "{}", stderr(&o));
        assert_eq!(w.run(&["bench", "--runs", "0"]).status.code(), Some(2));
    }
    let w = Work::new();
    for c in ["validate", "build", "check", "eval", "export", "plot", "show", "coverage", "conflicts", "rebuild", "sources", "bench", "register"] {
        let o = w.run(&[c, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{c} --help");
        assert!(stdout(&o).contains("Usage"), "{c}");
    }
    assert_eq!(w.run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(w.run(&["export", "--out", "x", "--format", "xls"]).status.code(), Some(2));
    assert_eq!(w.run(&["validate", "--data", "nowhere"]).status.code(), Some(2));
    assert_eq!(w.run(&["plot", "figure-z", "--out", "x"]).status.code(), Some(2));
}

#[test]
fn plot_draws_only_the_named_figure() {
    let w = Work::new();
    let o = w.run(&["plot", "figure-c", "--out", "p", "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files: Vec<_> = std::fs::read_dir(w.path("p")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(files, vec!["figure-c.svg".to_string()]);
    let svg = std::fs::read_to_string(w.path("p/figure-c.svg")).unwrap();
    assert!(svg.contains("Figure C") && svg.contains("Sources: demo, demo2"), "title and source line");
}

#[test]
fn the_most_precise_document_gives_the_value_when_documents_agree_within_rounding() {
    let w = Work::new();
    // demo prints 93 exactly; demo2 prints "about 90" (rounded to tens): no conflict, value 93, and
    // the range is the count's own (the round figure that agrees adds nothing)
    w.write("tables/demo/extra.csv", b"series,period_start,period_end,category,value,unit,location,note\ncamps.deaths,1939-01-01,1939-12-31,,93,persons,p. 3,\n");
    w.write("tables/demo/extra.toml", b"title = \"extra\"\nlayout = \"long\"\nunit = \"persons\"\n");
    let t = w.read("tables/demo2/text.csv").replace(",note\n", ",note,rounded_to\n").replace("\n", ",\n").replacen(",rounded_to,\n", ",rounded_to\n", 1) + "camps.deaths,1939-01-01,1939-12-31,,90,persons,p. 8,about 90,10\n";
    w.write("tables/demo2/text.csv", t.as_bytes());
    let o = w.run(&["build", "--out", "o"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rec = std::fs::read_to_string(w.path("o/data/clean/reconciled.csv")).unwrap();
    let row = |p: &str| line_of(&rec, p);
    let r = row("camps.deaths,1939-01-01,1939-12-31,,");
    assert!(r.starts_with("camps.deaths,1939-01-01,1939-12-31,,93,93,93,persons,2,most-precise-document,demo;demo2,"), "{r}");
    assert!(!r.contains("conflict"), "{r}");
    // 1200 against 1210 (both exact) is a conflict: the median of the two documents
    let r = row("camps.population,1939-01-01,1939-01-01,,");
    assert!(r.contains(",median-of-documents,") && r.ends_with(",conflict;identity-finding"), "{r}");
}

#[test]
fn period_kind_per_column_and_exclusion_within_a_span() {
    let w = Work::new();
    // one year key: a stock read as 1 January, a flow read as the calendar year
    w.write("tables/demo2/chart.csv", b"year,stock,dead\n1941,900,90\n1942,800,80\n");
    w.write(
        "tables/demo2/chart.toml",
        b"title = \"chart\"\nlocation = \"Table 9\"\nunit = \"persons\"\nkeys = [\"year\"]\n\n[period]\ncolumn = \"year\"\nkind = \"year\"\n\n[[columns]]\nname = \"stock\"\nseries = \"camps.population\"\nperiod_kind = \"jan1\"\n\n[[columns]]\nname = \"dead\"\nseries = \"camps.deaths\"\n",
    );
    w.append("reconcile.toml", "\n[[exclude]]\nsource = \"demo2\"\nseries = \"camps.deaths\"\nwithin = \"1941-1941\"\nreason = \"test\"\n");
    let o = w.run(&["build", "--out", "o"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let obs = std::fs::read_to_string(w.path("o/data/clean/observations.csv")).unwrap();
    assert!(obs.lines().any(|l| l.starts_with("camps.population,1941-01-01,1941-01-01,,900,persons,demo2,")), "{obs}");
    assert!(obs.lines().any(|l| l.starts_with("camps.deaths,1942-01-01,1942-12-31,,80,persons,demo2,")), "{obs}");
    let rec = std::fs::read_to_string(w.path("o/data/clean/reconciled.csv")).unwrap();
    // 1941 deaths: the only source is excluded, so no reconciled row; 1942 is kept
    assert!(!rec.lines().any(|l| l.starts_with("camps.deaths,1941-01-01,1941-12-31,,")), "{rec}");
    assert!(rec.lines().any(|l| l.starts_with("camps.deaths,1942-01-01,1942-12-31,,80,")), "{rec}");
    // the left-out figure does not vanish from the reports: conflicts and show list it with its
    // reason, with no reconciled value
    let out = stdout(&w.run(&["conflicts", "camps.deaths"]));
    assert!(out.starts_with("Disagreements between sources: 0 conflict(s)") && out.contains("; 1 row(s) whose every value is left out, with no reconciled value\n"), "{out}");
    let block = "camps.deaths 1941-01-01..1941-12-31: no reconciled value (every value is left out of reconciliation)\n    demo2                                  90  printed Table 9, row '1941', column 'dead'\n        excluded from reconciliation: test\n";
    assert!(out.contains(block), "{out}");
    let out = stdout(&w.run(&["show", "camps.deaths"]));
    // after the reconciled rows; then the dates a table marks with a dash (demo's 1939)
    assert!(out.ends_with(&format!("{block}camps.deaths 1939-01-01..1939-12-31: no figure; printed instead: demo '-'\n")), "{out}");
    let out = stdout(&w.run(&["show", "camps.deaths", "--from", "1941", "--to", "1941", "--format", "csv"]));
    assert_eq!(out.lines().nth(1), Some("camps.deaths,1941-01-01,1941-12-31,,persons,,,,,,demo2,demo2,90,printed,,\"Table 9, row '1941', column 'dead'\",test"), "{out}");
    let conflicts = std::fs::read_to_string(w.path("o/data/clean/conflicts.csv")).unwrap();
    assert!(conflicts.contains("\ncamps.deaths,1941-01-01,1941-12-31,,persons,,,,,demo2,demo2,90,,\"Table 9, row '1941', column 'dead'\",test\n"), "{conflicts}");
    // with the rule gone, the row is reconciled again and nothing is left out
    let rules = w.read("reconcile.toml");
    w.write("reconcile.toml", rules.replace("\n[[exclude]]\nsource = \"demo2\"\nseries = \"camps.deaths\"\nwithin = \"1941-1941\"\nreason = \"test\"\n", "").as_bytes());
    let out = stdout(&w.run(&["conflicts", "camps.deaths"]));
    assert!(!out.contains("excluded from reconciliation") && !out.contains("no reconciled value"), "{out}");
    w.write("reconcile.toml", rules.as_bytes());

    // period and period_kind together, and an unknown kind, are manifest errors at their line
    let m = w.read("tables/demo2/chart.toml").replace("period_kind = \"jan1\"", "period_kind = \"jan1\"\nperiod = \"1941-01-01\"");
    w.write("tables/demo2/chart.toml", m.as_bytes());
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("tables/demo2/chart.toml:13:") && stderr(&o).contains("not both"), "{}", stderr(&o));
    let m = w.read("tables/demo2/chart.toml").replace("period_kind = \"jan1\"\nperiod = \"1941-01-01\"", "period_kind = \"monthly\"");
    w.write("tables/demo2/chart.toml", m.as_bytes());
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("tables/demo2/chart.toml:13:") && stderr(&o).contains("'monthly'"), "{}", stderr(&o));
}

#[test]
fn estimates_of_different_authors_are_never_merged_into_one_value() {
    let w = Work::new();
    w.append("tables/demo2/text.csv", "estimate.arrests_1937_38,1937-01-01,1938-12-31,,7000000,persons,p. 7,an author's estimate\n");
    w.write("tables/demo/est.csv", b"series,period_start,period_end,category,value,unit,location,note\nestimate.arrests_1937_38,1937-01-01,1938-12-31,,1000000,persons,p. 2,another author's estimate\n");
    w.write("tables/demo/est.toml", b"title = \"e\"\nlayout = \"long\"\nunit = \"persons\"\nmissing = [\"\"]\n");
    let o = w.run(&["build", "--out", "o"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rec = std::fs::read_to_string(w.path("o/data/clean/reconciled.csv")).unwrap();
    let rows: Vec<&str> = rec.lines().filter(|l| l.starts_with("estimate.arrests_1937_38,")).collect();
    assert_eq!(rows.len(), 2, "one row per author: {rows:?}");
    assert!(rows.iter().any(|l| l.starts_with("estimate.arrests_1937_38,1937-01-01,1938-12-31,demo2,7000000,")), "{rows:?}");
    assert!(rows.iter().any(|l| l.starts_with("estimate.arrests_1937_38,1937-01-01,1938-12-31,demo,1000000,")), "{rows:?}");
    assert!(!rec.contains("4000000"), "no midpoint of two authors: {rows:?}");
}

#[test]
fn coverage_counts_documents_per_year_and_rejects_bad_targets() {
    let w = Work::new();
    // no targets file (it may be left out): nothing to count, a note, exit 0; csv is the header only
    let o = w.run(&["coverage", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("coverage.toml is not there or holds no targets"), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));
    // a name that is no series at all is a usage error with a hint
    let o = w.run(&["coverage", "camps.populaton"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown series 'camps.populaton' (did you mean camps.population?)"), "{}", stderr(&o));
    w.write("coverage.toml", b"[[target]]\nseries = \"camps.population\"\ndated = \"1 January\"\nfrom = 1937\nto = 1940\n");
    let o = w.run(&["coverage"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("camps.population (1 January, 1937-1940): 2 of 4 years from two or more documents"), "{out}");
    assert!(out.contains("two or more  1939-1940") && out.contains("one          1938") && out.contains("none         1937"), "{out}");
    // demo's 1,200 and demo2's 1,210 for 1939 are two documents that disagree; 1940's agree
    assert!(out.contains("  two or more  1939-1940\n               of these, documents that disagree beyond printed precision: 1939\n"), "{out}");
    let o = w.run(&["coverage", "--format", "csv"]);
    let out = stdout(&o);
    assert!(out.starts_with("series,dated,year,period_start,period_end,n_documents,documents,n_sources,sources,documents_disagree,no_figure_sources\n"), "{out}");
    assert!(out.contains("camps.population,1 January,1939,1939-01-01,1939-01-01,2,demo;demo2,2,demo;demo2,true,\n"), "{out}");
    // the same table is an export of build, described in the data package
    assert_eq!(w.run(&["build", "--out", "o"]).status.code(), Some(0));
    let exported = std::fs::read_to_string(w.path("o/data/clean/coverage.csv")).unwrap();
    assert_eq!(exported, out);
    let pkg = std::fs::read_to_string(w.path("o/data/clean/datapackage.json")).unwrap();
    assert!(pkg.contains("\"coverage.parquet\"") && pkg.contains("\"n_documents\""), "{pkg}");
    // and a chart; without targets the chart is absent, and asking for it is a usage error
    let o = w.run(&["plot", "coverage", "--out", "p", "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(w.path("p/coverage.svg")).unwrap();
    assert!(svg.contains("camps.population (1 January)") && svg.contains("two documents"), "coverage chart lacks its rows or legend");
    // 1939's two documents disagree: framed in red (one frame, one key)
    assert_eq!(svg.matches("stroke=\"#C81E1E\"").count(), 2, "coverage chart does not frame and key the disagreeing documents");
    // two witnesses of one document count once
    w.append("reconcile.toml", "\n[[witnesses]]\ndocument = \"Demo\"\nsources = [\"demo\", \"demo2\"]\n");
    let out = stdout(&w.run(&["coverage", "--format", "csv"]));
    assert!(out.contains("camps.population,1 January,1939,1939-01-01,1939-01-01,1,Demo,2,demo;demo2,false,\n"), "{out}");
    // one document: no frame, no key
    assert_eq!(w.run(&["plot", "coverage", "--out", "p2", "--format", "svg"]).status.code(), Some(0));
    assert!(!std::fs::read_to_string(w.path("p2/coverage.svg")).unwrap().contains("#C81E1E"), "a frame where no documents disagree");
    // and the text says that the one document is printed in two copies
    let out = stdout(&w.run(&["coverage"]));
    assert!(out.contains("  one          1938-1940\n               of these, printed in two or more copies of the one document: 1939-1940\n"), "{out}");
    // a year whose table prints a dash where the figure would stand is said to be so, not only
    // counted as having no document (demo's deaths print '-' for 1939; 1940, which no table has, is not)
    w.append("coverage.toml", "\n[[target]]\nseries = \"camps.deaths\"\ndated = \"year\"\nfrom = 1938\nto = 1940\n");
    let out = stdout(&w.run(&["coverage", "camps.deaths"]));
    assert!(out.contains("  none         1939-1940\n               of these, printed as '-' (no figure) in 1 document: 1939\n"), "{out}");
    let out = stdout(&w.run(&["coverage", "camps.deaths", "--format", "csv"]));
    assert!(out.contains("camps.deaths,year,1939,1939-01-01,1939-12-31,0,,0,,false,demo\n") && out.contains("camps.deaths,year,1940,1940-01-01,1940-12-31,0,,0,,false,\n"), "{out}");
    // and the chart puts a dash in that empty cell, with a key (and its table flags the cell)
    assert_eq!(w.run(&["plot", "coverage", "--out", "p3", "--format", "svg"]).status.code(), Some(0));
    assert!(std::fs::read_to_string(w.path("p3/coverage.svg")).unwrap().contains("a dash or"), "coverage chart lacks the key of the dashed years");
    let o = w.run(&["export", "--out", "e3", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let charts = std::fs::read_to_string(w.path("e3/charts.csv")).unwrap();
    assert_eq!(charts.lines().filter(|l| l.starts_with("coverage,") && l.contains("no-figure-printed")).count(), 1, "{charts}");
    // a bad target is a data error with file and line, reported by validate too
    w.write("coverage.toml", b"[[target]]\nseries = \"camps.population\"\ndated = \"1 January\"\nfrom = 1937\nto = 1940\n\n[[target]]\nseries = \"no.such\"\ndated = \"year\"\nfrom = 1930\nto = 1931\n");
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("data/coverage.toml:7:1: error[unknown-series]: coverage target: unknown series 'no.such'"), "{}", stderr(&o));
    assert_eq!(w.run(&["coverage"]).status.code(), Some(1));
    std::fs::remove_file(w.data().join("coverage.toml")).unwrap();
    let o = w.run(&["plot", "coverage", "--out", "q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing to draw"), "{}", stderr(&o));
}

#[test]
fn conflicts_lists_each_disagreement_with_sources_and_recorded_reasons() {
    let w = Work::new();
    // the fixture's one conflict: two documents print 1200 and 1210 for 1 January 1939
    let o = w.run(&["conflicts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Disagreements between sources: 1 conflict(s) beyond printed precision (1 between documents, 0 only between copies of one document)"), "{out}");
    assert!(out.contains("camps.population 1939-01-01: 1,205 (range 1,200 to 1,210)"), "{out}");
    assert!(out.contains("    demo                                 1200  printed Table 1") && out.contains("    demo2                                1210  printed p. 5"), "{out}");
    // copies of one document that differ still conflict (they are two sources), and the count
    // says that the conflict is between copies only
    let plain = w.read("reconcile.toml");
    w.write("reconcile.toml", (plain.clone() + "\n[[witnesses]]\ndocument = \"Demo\"\nsources = [\"demo\", \"demo2\"]\n").as_bytes());
    let out = stdout(&w.run(&["conflicts", "camps.population"]));
    assert!(out.starts_with("Disagreements between sources: 1 conflict(s) beyond printed precision (0 between documents, 1 only between copies of one document),"), "{out}");
    assert!(out.contains("camps.population 1939-01-01: 1,200 (range 1,200 to 1,210) persons  method single-document  flags single-source;conflict;witness-variant\n"), "{out}");
    w.write("reconcile.toml", plain.as_bytes());
    // a witness left out of reconciliation is listed with its reason, and no longer conflicts
    w.append("reconcile.toml", "\n[[exclude]]\nsource = \"demo2\"\nseries = \"camps.population\"\nperiod = \"1939-01-01\"\nreason = \"Digits transposed in this copy (test).\"\n");
    let out = stdout(&w.run(&["conflicts", "camps.population"]));
    assert!(out.starts_with("Disagreements between sources: 0 conflict(s) beyond printed precision (0 between documents, 0 only between copies of one document), 1 row(s) with a witness left out"), "{out}");
    assert!(out.contains("flags single-source;witness-excluded") && out.contains("        excluded from reconciliation: Digits transposed in this copy (test)."), "{out}");
    let csv = stdout(&w.run(&["conflicts", "--format", "csv"]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "series,period_start,period_end,category,unit,reconciled_value,low,high,flags,source_id,document,value,precision,location,excluded_reason");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[2].starts_with("camps.population,1939-01-01,1939-01-01,,persons,1200,1200,1200,single-source;witness-excluded,demo2,demo2,1210,,p. 5,Digits transposed"), "{csv}");
    // a rule that leaves out several rows is explained in full once per report, then pointed to
    let before = w.read("reconcile.toml");
    let rule_line = plain.lines().count() + 2;
    w.write("reconcile.toml", (plain.clone() + "\n[[exclude]]\nsource = \"demo2\"\nseries = \"camps.population\"\nwithin = \"1939-1940\"\nreason = \"Not this copy (test).\"\n").as_bytes());
    for args in [&["show", "camps.population"][..], &["conflicts", "camps.population"][..]] {
        let out = stdout(&w.run(args));
        assert_eq!(out.matches("excluded from reconciliation: Not this copy (test).\n").count(), 1, "{out}");
        assert_eq!(out.matches(&format!("excluded from reconciliation: the same rule as above (reconcile.toml line {rule_line})\n")).count(), 1, "{out}");
    }
    w.write("reconcile.toml", before.as_bytes());
    // the same table is exported and described in the data package
    let o = w.run(&["export", "--out", "o"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(w.path("o/conflicts.csv")).unwrap(), csv);
    let pkg = std::fs::read_to_string(w.path("o/datapackage.json")).unwrap();
    assert!(pkg.contains("\"conflicts.parquet\"") && pkg.contains("\"excluded_reason\""), "{pkg}");
    // usage errors
    assert_eq!(w.run(&["conflicts", "no.such"]).status.code(), Some(2));
    assert_eq!(w.run(&["conflicts", "--format", "xml"]).status.code(), Some(2));
}

#[test]
fn a_series_rule_can_be_limited_to_a_span_of_years() {
    let w = Work::new();
    // the general rule prefers demo; a rule within 1939 prefers demo2: only 1939 follows it
    w.write(
        "reconcile.toml",
        b"default_method = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nmethod = \"preferred\"\nprefer = [\"demo\", \"demo2\"]\nnote = \"general\"\n\n[[series]]\nseries = \"camps.population\"\nwithin = \"1939\"\nmethod = \"preferred\"\nprefer = [\"demo2\", \"demo\"]\nnote = \"For 1939 the second witness (test).\"\n",
    );
    let out = stdout(&w.run(&["show", "camps.population"]));
    assert!(out.contains("camps.population 1939-01-01: 1,210 (range 1,200 to 1,210) persons  method preferred:demo2"), "{out}");
    assert!(out.contains("camps.population 1940-01-01: 1,300 (range 1,300 to 1,300) persons  method preferred:demo\n"), "{out}");
    assert!(out.contains("camps.population 1938-01-01: 1,000 (range 1,000 to 1,000) persons  method preferred:demo  flags single-source\n"), "{out}");
    let out = stdout(&w.run(&["conflicts"]));
    assert!(out.contains("    rule for camps.population within 1939: For 1939 the second witness (test)."), "{out}");
    // a rule for exactly one period comes before a rule within a span that holds it, and leaves
    // the span's other periods alone
    w.write(
        "reconcile.toml",
        b"[[series]]\nseries = \"camps.population\"\nmethod = \"preferred\"\nprefer = [\"demo\", \"demo2\"]\n\n[[series]]\nseries = \"camps.population\"\nwithin = \"1939-1940\"\nmethod = \"preferred\"\nprefer = [\"demo\", \"demo2\"]\nnote = \"span\"\n\n[[series]]\nseries = \"camps.population\"\nperiod = \"1939-01-01\"\nmethod = \"preferred\"\nprefer = [\"demo2\"]\nnote = \"For 1 January 1939 only (test).\"\n",
    );
    let out = stdout(&w.run(&["show", "camps.population"]));
    assert!(out.contains("camps.population 1939-01-01: 1,210 (range 1,200 to 1,210) persons  method preferred:demo2"), "{out}");
    assert!(out.contains("camps.population 1940-01-01: 1,300 (range 1,300 to 1,300) persons  method preferred:demo\n"), "{out}");
    assert!(stdout(&w.run(&["conflicts"])).contains("    rule for camps.population for 1939-01-01: For 1 January 1939 only (test)."));
    // period and within together, a period that is none, and a period no source prints are errors
    for (rule, says) in [
        ("period = \"1939-01-01\"\nwithin = \"1939\"", "set period or within, not both"),
        ("period = \"19x9\"", "period '19x9' is not a period"),
        ("period = \"1931-01-01\"", "no source prints camps.population for 1931-01-01"),
    ] {
        w.write("reconcile.toml", format!("[[series]]\nseries = \"camps.population\"\n{rule}\nmethod = \"preferred\"\nprefer = [\"demo2\"]\n").as_bytes());
        let o = w.run(&["validate"]);
        assert_eq!(o.status.code(), Some(1), "{rule}");
        assert!(stderr(&o).contains("data/reconcile.toml:1:1: error[config-error]") && stderr(&o).contains(says), "{}", stderr(&o));
    }
    // a span that is not a period is an error at the rule's line
    w.write("reconcile.toml", b"[[series]]\nseries = \"camps.population\"\nwithin = \"19x9\"\nmethod = \"preferred\"\nprefer = [\"demo2\"]\n");
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("data/reconcile.toml:1:1: error[config-error]: series 'camps.population': within '19x9' is not a period"), "{}", stderr(&o));
}

#[test]
fn rebuild_fills_unread_cells_from_other_sources_and_never_as_printed() {
    let w = Work::new();
    assert_eq!(w.run(&["rebuild"]).status.code(), Some(2), "the fixture has no unread cell");
    w.append("sources.csv", "demo3,\"A table seen only as an image (synthetic)\",1993,secondary,,tests/fixtures,synthetic\n");
    let table = b"year,camps,colonies\n1938,999,-\n1939,unread,unread\n1940,unread,unread\n1941,unread,unread\n";
    w.write("tables/demo3/image.csv", table);
    w.write("tables/demo3/image.toml", b"title = \"Custodial populations\"\nlocation = \"Appendix A\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"unread\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n");
    let o = w.run(&["rebuild"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("demo3/image (Appendix A): \"Custodial populations\"\n  6 unread cell(s): 4 rebuilt, 2 missing; 1 printed"), "{out}");
    // 1939: median of the fixture's two documents, which disagree (r!); 1941: no source has it;
    // 1938: printed, a dash is not rebuilt
    assert!(out.contains("  1938       999\n"), "{out}");
    assert!(out.contains("  1939  1,205 r!    600 r\n"), "{out}");
    assert!(out.contains("  1941         ?         ?\n"), "{out}");
    assert!(out.contains("  camps: rebuilt from demo, demo2"), "{out}");
    let csv = stdout(&w.run(&["rebuild", "demo3", "--format", "csv"]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "source_id,table,row,column,series,period_start,period_end,category,unit,status,printed,value,low,high,method,sources,flags");
    assert!(lines.contains(&"demo3,image,1938,camps,camps.population,1938-01-01,1938-01-01,,persons,printed,999,999,,,,,"), "{csv}");
    assert!(lines.contains(&"demo3,image,1939,camps,camps.population,1939-01-01,1939-01-01,,persons,rebuilt,,1205,1200,1210,median-of-documents,demo;demo2,conflict;identity-finding"), "{csv}");
    assert!(lines.contains(&"demo3,image,1941,camps,camps.population,1941-01-01,1941-01-01,,persons,missing,,,,,,,"), "{csv}");
    assert_eq!(lines.len(), 8, "{csv}");
    // a rebuilt value is not an observation of the table's source, and the table file is untouched
    let o = w.run(&["export", "--out", "x", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let obs = std::fs::read_to_string(w.path("x/observations.csv")).unwrap();
    assert_eq!(obs.lines().filter(|l| l.contains(",demo3,")).count(), 1, "{obs}");
    assert_eq!(std::fs::read_to_string(w.path("x/rebuilt.csv")).unwrap(), csv);
    assert_eq!(w.read("tables/demo3/image.csv").as_bytes(), table);
    assert_eq!(w.run(&["rebuild", "no/such"]).status.code(), Some(2));
}

#[test]
fn sources_lists_what_the_data_takes_from_each_source() {
    let w = Work::new();
    let o = w.run(&["sources", "demo2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // demo2's figures: the two camp counts of its text.csv (1939 and 1940)
    assert!(out.starts_with("demo2 ("), "{out}");
    assert!(out.contains("  copy read: "), "{out}");
    assert!(out.lines().any(|l| l.starts_with("  camps.population") && l.contains("2 printed") && l.ends_with("1939-01-01..1940-01-01")), "{out}");
    assert!(out.contains("\n  claims citing it: 1 (1 documented): wrong-but-known\n"), "{out}");
    // CSV: one row per source and series; every source when none is named
    let o = w.run(&["sources", "--format", "csv"]);
    let csv = stdout(&o);
    assert!(csv.starts_with("source_id,kind,year,document,series,printed,derived,excluded,period_start,period_end,copy_read\n"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("demo,") && l.contains(",camps.deaths,")), "{csv}");
    // the pipeline's own values are derived, never printed
    let derived: Vec<Vec<&str>> = csv.lines().filter(|l| l.starts_with("gulagstats,")).map(|l| l.split(',').collect()).collect();
    assert!(!derived.is_empty() && derived.iter().all(|f| f[5] == "0" && f[6] != "0"), "{csv}");
    // an exclusion is counted against the source it leaves out
    w.append("reconcile.toml", "\n[[exclude]]\nsource = \"demo2\"\nseries = \"camps.population\"\nperiod = \"1939-01-01\"\nreason = \"test\"\n");
    let out = stdout(&w.run(&["sources", "demo2"]));
    assert!(out.contains("1 left out of reconciliation"), "{out}");
    // a claim citing another source that reads demo's own figures is listed under demo, by id; demo's
    // own claim that reads them (deaths-total) is counted among the claims citing it, not again
    w.append("claims.csv", "demo2-reads-demo,deaths 1938-1939 as demo2 prints them,demo2,p. 9,\"src(demo, camps.deaths, 1938-1939)\",100,0,\n");
    let out = stdout(&w.run(&["sources", "demo", "demo2"]));
    assert!(out.contains("\n  other claims using its printed figures: 1 (1 pass): demo2-reads-demo\n"), "{out}");
    assert_eq!(out.matches("other claims using").count(), 1, "{out}");
    // an unknown source is a usage error
    let o = w.run(&["sources", "nobody"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown source 'nobody'"), "{}", stderr(&o));
    let o = w.run(&["sources", "dem"]);
    assert!(stderr(&o).contains("did you mean demo?"), "{}", stderr(&o));
}

/// A printed total set against the sum of its reconciled parts at the same date: demo prints 1,800
/// camps and colonies on 1 January 1939, but its 600 colonies and the camps' reconciled 1,205 (1,200
/// against another source's 1,210) make 1,805: reported, not corrected.
#[test]
fn a_printed_total_against_its_reconciled_parts_is_a_finding() {
    let w = Work::new();
    let o = w.run(&["check"]);
    let out = stdout(&o);
    assert!(out.contains("[total-not-sum-of-parts] gulag.population 1939-01-01: printed gulag.population 1,800 (demo) against its reconciled parts, camps 1,205 + colonies 600 = 1,805; difference -5"), "{out}");
    // where the parts add up, nothing is said
    assert!(!out.contains("gulag.population 1938-01-01"), "{out}");
    // the total and its parts say so on their reconciled rows; rows of an identity that holds do not
    let rec = w.export_reconciled("x");
    for key in ["gulag.population,1939-01-01,1939-01-01,,", "camps.population,1939-01-01,1939-01-01,,", "colonies.population,1939-01-01,1939-01-01,,"] {
        assert!(line_of(&rec, key).ends_with(";identity-finding") || line_of(&rec, key).ends_with(",identity-finding"), "{key}: {rec}");
    }
    assert!(!line_of(&rec, "gulag.population,1938-01-01,1938-01-01,,").contains("identity-finding"), "{rec}");
    // and the finding names those rows, so that a flagged row finds its finding
    let o = w.run(&["export", "--out", "f", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fin = std::fs::read_to_string(w.path("f/findings.csv")).unwrap();
    let row = fin.lines().find(|l| l.starts_with("identity,total-not-sum-of-parts,gulag.population,1939-01-01,")).unwrap_or_else(|| panic!("{fin}"));
    for r in ["gulag.population 1939-01-01..1939-01-01", "camps.population 1939-01-01..1939-01-01", "colonies.population 1939-01-01..1939-01-01"] {
        assert!(row.contains(r), "{r}: {row}");
    }
    // a total that no source prints (the median of two documents) is named as reconciled, with its sources
    w.append("tables/demo2/text.csv", "gulag.population,1939-01-01,,,1830,persons,p. 7,\n");
    let out = stdout(&w.run(&["check"]));
    assert!(out.contains("[total-not-sum-of-parts] gulag.population 1939-01-01: reconciled gulag.population 1,815 (demo;demo2) against its reconciled parts"), "{out}");
}

/// The table files are an export too: each with its manifest's title and notes, and the count of the
/// printed observations it gives, which add up to the printed observations.
#[test]
fn the_table_files_are_exported_with_their_manifests() {
    let w = Work::new();
    assert_eq!(w.run(&["export", "--out", "x", "--format", "csv"]).status.code(), Some(0));
    let tables = std::fs::read_to_string(w.path("x/tables.csv")).unwrap();
    assert!(tables.starts_with("source_id,table,title,location,copy,unit,n_observations,notes,footnotes\n"), "{tables}");
    let obs = std::fs::read_to_string(w.path("x/observations.csv")).unwrap();
    let printed = csv::Reader::from_reader(obs.as_bytes()).records().filter(|r| &r.as_ref().unwrap()[8] == "printed").count();
    let mut total = 0;
    for r in csv::Reader::from_reader(tables.as_bytes()).records() {
        let r = r.unwrap();
        total += r[6].parse::<usize>().unwrap();
    }
    assert!(printed > 0 && total == printed, "{total} observations in tables, {printed} printed");
    assert!(line_of(&tables, "demo,stocks,").contains("Demo stocks"), "{tables}");
    let pkg = std::fs::read_to_string(w.path("x/datapackage.json")).unwrap();
    assert!(pkg.contains("\"tables.csv\"") && pkg.contains("\"n_observations\""), "{pkg}");
}

/// Colonies and prisons printed together are checked against the two printed apart, and a count
/// of counter-revolutionaries against its printed share of the camps: each broken identity is a
/// finding, and its rows are flagged `identity-finding`.
#[test]
fn colonies_with_prisons_and_counts_against_shares_are_checked() {
    let w = Work::new();
    w.append("series.csv", "prisons.population,persons,stock,prisons\ncolonies_prisons.population,persons,stock,colonies and prisons\ncamps.counterrevolutionaries,persons,stock,counter-revolutionaries\n");
    // demo prints 600 colonies on 1 January 1939; demo2 prints 300 prisons and 1,000 together (900
    // apart), and 500 counter-revolutionaries where demo's 12.0 percent of 1,200 camps is 144
    w.append("tables/demo2/text.csv", "prisons.population,1939-01-01,,,300,persons,p. 7,\ncolonies_prisons.population,1939-01-01,,,1000,persons,p. 7,\n");
    let stocks = w.read("tables/demo/stocks.csv");
    assert!(stocks.contains("\n1939,1200,600,1800,12.0\n"), "{stocks}");
    w.write("tables/demo/extra.csv", b"series,period_start,period_end,category,value,unit,location,note\ncamps.counterrevolutionaries,1939-01-01,,,500,persons,p. 4,\n");
    w.write("tables/demo/extra.toml", b"title = \"extra\"\nlayout = \"long\"\nunit = \"persons\"\n");
    let out = stdout(&w.run(&["check"]));
    assert!(out.contains("[total-not-sum-of-parts] colonies_prisons.population 1939-01-01: printed colonies_prisons.population 1,000 (demo2) against its reconciled parts, colonies 600 + prisons 300 = 900; difference 100"), "{out}");
    assert!(out.contains("[count-against-share] camps.counterrevolutionaries 1939-01-01: demo: 500 counter-revolutionaries, but 12.0% of 1,200 is 144"), "{out}");
    let rec = w.export_reconciled("x");
    for key in ["colonies_prisons.population,1939-01-01", "prisons.population,1939-01-01", "camps.counterrevolutionaries,1939-01-01", "camps.counterrevolutionaries_share,1939-01-01"] {
        assert!(line_of(&rec, key).contains("identity-finding"), "{key}: {rec}");
    }
}

/// An optional file left out means no entries of its kind, but never unseen: `validate` and `build`
/// say what its absence means. (An empty one is an error: the malformed corpus.)
#[test]
fn a_missing_optional_file_is_named_with_what_its_absence_means() {
    let w = Work::new();
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("data/uncertainty.toml is not there"), "{}", stderr(&o));
    std::fs::remove_file(w.data().join("uncertainty.toml")).unwrap();
    std::fs::remove_file(w.data().join("claims.csv")).unwrap();
    for args in [&["validate"][..], &["build", "--out", "o"][..]] {
        let o = w.run(args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("note: data/uncertainty.toml is not there: no systematic uncertainty: no range is widened"), "{err}");
        assert!(err.contains("note: data/claims.csv is not there: no claims are checked"), "{err}");
        assert!(!err.contains("reconcile.toml is not there"), "{err}");
    }
}
