use crate::util::*;

#[test]
fn check_evaluates_claims_with_statuses() {
    let w = Work::new();
    let mut claims = w.read("claims.csv");
    claims.push_str("wrong,camp increase in 1939 as misread,demo,p. 9,\"at(camps.population, 1940-01-01) - at(camps.population, 1939-01-01)\",100,0,\n");
    w.write("claims.csv", claims.as_bytes());
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
    assert_eq!(c["computed"], "95");
    for k in ["id", "statement", "source_id", "location", "expected", "computed", "tolerance", "status"] {
        assert!(c.get(k).is_some(), "{k}");
    }
}

#[test]
fn text_report_and_exit_zero_when_all_pass_or_documented() {
    let w = Work::new();
    let o = w.run(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("PASS camps-1940"), "{out}");
    assert!(out.contains("documented: demo2 counts camps and colonies together"), "{out}");
    assert!(out.contains("claims: 4 pass, 0 fail, 1 documented, 1 not-evaluable"), "{out}");
}
