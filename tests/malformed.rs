//! A corpus of malformed inputs, one per error kind: each must be reported with its kind, file and
//! line, exit status 1, and no panic.

use crate::util::*;

struct Case {
    name: &'static str,
    file: &'static str,
    content: &'static [u8],
    kind: &'static str,
    at: &'static str,
}

const CASES: &[Case] = &[
    Case { name: "not a number", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,1000,500,1500,10.5\n1939,12x0,600,1800,12.0\n", kind: "not-a-number", at: "data/tables/demo/stocks.csv:3:2" },
    Case { name: "quote never closed", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,1000,500,1500,10.5\n1939,\"1200,600,1800,12.0\n1940,1300,650,1950,12.5\n", kind: "csv-error", at: "data/tables/demo/stocks.csv:3:2" },
    Case { name: "thousands separator", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,\"1,000\",500,1500,10.5\n", kind: "not-a-number", at: "data/tables/demo/stocks.csv:2:2" },
    Case { name: "empty cell not declared missing", file: "tables/demo/deaths.csv", content: b"year,deaths\n1938,100\n1939,\nTotal,100\n", kind: "missing-cell", at: "data/tables/demo/deaths.csv:3:2" },
    Case { name: "short row", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,1000,500,1500\n", kind: "missing-cell", at: "data/tables/demo/stocks.csv:2:5" },
    Case { name: "long row", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,1000,500,1500,10.5,7\n", kind: "extra-cell", at: "data/tables/demo/stocks.csv:2:6" },
    Case { name: "duplicate key", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,1000,500,1500,10.5\n1938,1000,500,1500,10.5\n", kind: "duplicate-key", at: "data/tables/demo/stocks.csv:3:1" },
    Case { name: "negative count", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,-1000,500,1500,10.5\n", kind: "negative-count", at: "data/tables/demo/stocks.csv:2:2" },
    Case { name: "percent above 100", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,1000,500,1500,110.5\n", kind: "percent-out-of-range", at: "data/tables/demo/stocks.csv:2:5" },
    Case { name: "bad year", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n19x8,1000,500,1500,10.5\n", kind: "bad-period", at: "data/tables/demo/stocks.csv:2:1" },
    Case { name: "bad date in text", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-02-30,,,1210,persons,p. 5,\n", kind: "bad-period", at: "data/tables/demo2/text.csv:2:2" },
    Case { name: "unknown source folder", file: "tables/nobody/t.csv", content: b"series,period_start,period_end,category,value,unit,location,note\n", kind: "unknown-source", at: "data/tables/nobody/t.csv:1:1" },
    Case { name: "unknown series", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.populaton,1939-01-01,,,1210,persons,p. 5,\n", kind: "unknown-series", at: "data/tables/demo2/text.csv:2:1" },
    Case { name: "invalid utf-8", file: "tables/demo/deaths.csv", content: b"year,deaths\n1938,100\n1939,\xff\xfe\n", kind: "invalid-utf8", at: "data/tables/demo/deaths.csv:3:6" },
    Case { name: "empty file", file: "tables/demo/deaths.csv", content: b"", kind: "empty-file", at: "data/tables/demo/deaths.csv:1:1" },
    Case { name: "empty reconciliation rules", file: "reconcile.toml", content: b"\n  \n", kind: "empty-file", at: "data/reconcile.toml:1:1" },
    Case { name: "empty uncertainty rules", file: "uncertainty.toml", content: b"", kind: "empty-file", at: "data/uncertainty.toml:1:1" },
    Case { name: "coverage targets that are only comments", file: "coverage.toml", content: b"# coverage targets\n\n# [[target]] left out\n", kind: "empty-file", at: "data/coverage.toml:1:1" },
    Case { name: "empty register claims", file: "register-claims.csv", content: b"\n", kind: "empty-file", at: "data/register-claims.csv:1:1" },
    Case { name: "manifest syntax", file: "tables/demo/deaths.toml", content: b"title = \"x\"\nunit = \"persons\"\nkeys = [\"year\"\n", kind: "manifest-error", at: "data/tables/demo/deaths.toml:4" },
    Case { name: "manifest unknown field", file: "tables/demo/deaths.toml", content: b"title = \"x\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissng = [\"-\"]\n", kind: "manifest-error", at: "data/tables/demo/deaths.toml:4" },
    Case { name: "manifest names a column the table lacks", file: "tables/demo/gender.toml", content: b"title = \"g\"\nunit = \"percent\"\nkeys = [\"gender\"]\n\n[[columns]]\nname = \"1940\"\nseries = \"camps.share_by_gender\"\nperiod = \"1940-01-01\"\n", kind: "manifest-error", at: "data/tables/demo/gender.toml:6" },
    Case { name: "bad unit", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1210,people,p. 5,\n", kind: "bad-unit", at: "data/tables/demo2/text.csv:2:6" },
    Case { name: "witness group naming an unknown source points at its group", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[witnesses]]\ndocument = \"D\"\nsources = [\"demo\", \"demo3\"]\n", kind: "unknown-source", at: "data/reconcile.toml:3:1" },
    Case { name: "source witnessing two documents points at the second group", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[witnesses]]\ndocument = \"D\"\nsources = [\"demo\"]\n\n[[witnesses]]\ndocument = \"E\"\nsources = [\"demo2\", \"demo\"]\n", kind: "config-error", at: "data/reconcile.toml:7:1" },
    Case { name: "exclusion of an unknown source points at its rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[exclude]]\nsource = \"dmeo\"\nseries = \"camps.population\"\nperiod = \"1939\"\nreason = \"r\"\n", kind: "unknown-source", at: "data/reconcile.toml:3:1" },
    Case { name: "preferred unknown source points at its rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nmethod = \"preferred\"\nprefer = [\"demo2\", \"nobody\"]\n", kind: "unknown-source", at: "data/reconcile.toml:3:1" },
    Case { name: "unparseable claim", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,demo,p. 1,\"at(camps.population, 1940-01-01) +\",1,0,\n", kind: "claim-error", at: "data/claims.csv:2:5" },
    Case { name: "reconcile rule without a reason points at its rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[exclude]]\nsource = \"demo\"\nseries = \"camps.population\"\nperiod = \"1939\"\nreason = \"a reason\"\n\n[[exclude]]\nsource = \"demo\"\nseries = \"camps.population\"\nperiod = \"1940\"\nreason = \"\"\n", kind: "config-error", at: "data/reconcile.toml:9:1" },
    Case { name: "reconcile series with an unknown method points at its rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nmethod = \"mean\"\n", kind: "config-error", at: "data/reconcile.toml:3:1" },
    Case { name: "short row in the series vocabulary", file: "series.csv", content: b"series,unit,kind,description\ncamps.population,persons\n", kind: "missing-cell", at: "data/series.csv:2:3" },
    Case { name: "short row in the bibliography", file: "sources.csv", content: b"source_id,citation,year,kind,archival_ref,copy_read,notes\ndemo,c,2000\n", kind: "missing-cell", at: "data/sources.csv:2:4" },
    Case { name: "exclusion of an unknown series points at its rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[exclude]]\nsource = \"demo\"\nseries = \"camps.populaton\"\nperiod = \"1939\"\nreason = \"r\"\n", kind: "unknown-series", at: "data/reconcile.toml:3:1" },
    Case { name: "an uncertainty rule that narrows a range points at its rule", file: "uncertainty.toml", content: b"[[rule]]\nid = \"ok\"\nseries = \"camps.population\"\nhigh_add = 10\nrationale = \"r\"\ncitation = \"c\"\n\n[[rule]]\nid = \"narrow\"\nseries = \"camps.population\"\nlow_rel = -0.5\nrationale = \"r\"\ncitation = \"c\"\n", kind: "config-error", at: "data/uncertainty.toml:8:1" },
    Case { name: "an uncertainty rule without a rationale", file: "uncertainty.toml", content: b"[[rule]]\nid = \"x\"\nseries = \"camps.population\"\nhigh_add = 10\nrationale = \"\"\ncitation = \"c\"\n", kind: "config-error", at: "data/uncertainty.toml:1:1" },
    Case { name: "an uncertainty rule for an unknown series", file: "uncertainty.toml", content: b"[[rule]]\nid = \"x\"\nseries = \"camps.nothing\"\nhigh_add = 10\nrationale = \"r\"\ncitation = \"c\"\n", kind: "unknown-series", at: "data/uncertainty.toml:1:1" },
    Case { name: "a row period for a row the table lacks", file: "tables/demo/deaths.toml", content: b"title = \"d\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"year\"\n\n[[total_rows]]\ncolumn = \"year\"\nlabel = \"Total\"\n\n[[row_periods]]\ncolumn = \"year\"\nlabel = \"1940\"\nperiod = \"1940-01-01/1940-06-30\"\nreason = \"r\"\n\n[[columns]]\nname = \"deaths\"\nseries = \"camps.deaths\"\n", kind: "manifest-error", at: "data/tables/demo/deaths.toml:15:10" },
    Case { name: "an exclusion that names no printed value points at its rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[exclude]]\nsource = \"demo\"\nseries = \"camps.population\"\nperiod = \"1939-01-01\"\nreason = \"r\"\n\n[[exclude]]\nsource = \"demo\"\nseries = \"camps.population\"\nperiod = \"1929-01-01\"\nreason = \"a typo in the year\"\n", kind: "config-error", at: "data/reconcile.toml:9:1" },
    Case { name: "a series rule whose span holds no value points at its rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nwithin = \"1950-1953\"\nmethod = \"preferred\"\nprefer = [\"demo2\"]\n", kind: "config-error", at: "data/reconcile.toml:3:1" },
    Case { name: "a flow dated to a single day (period_end left empty)", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.deaths,1938-01-01,,,100,persons,p. 5,\n", kind: "bad-period", at: "data/tables/demo2/text.csv:2:5" },
    Case { name: "bad source kind", file: "sources.csv", content: b"source_id,citation,year,kind,archival_ref,copy_read,notes\ndemo,c,2000,rumour,,copy,\ndemo2,c,2000,secondary,,copy,\ngulagstats,c,2000,compilation,,copy,\n", kind: "csv-error", at: "data/sources.csv:2:4" },
    Case { name: "a cell rule for a row the table lacks", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1941\"\ncell = \"colonies\"\nseries = \"camps.population\"\nreason = \"r\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:30:10" },
    Case { name: "a cell rule for a column the table lacks", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colony\"\nseries = \"camps.population\"\nreason = \"r\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:32:8" },
    Case { name: "a cell rule in another unit than its column", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colonies\"\nseries = \"camps.counterrevolutionaries_share\"\nreason = \"r\"\n", kind: "bad-unit", at: "data/tables/demo/stocks.toml:33:10" },
    Case { name: "a cell rule without a reason", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colonies\"\nseries = \"camps.population\"\nreason = \"\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:32:8" },
    Case { name: "a cell rule that changes nothing", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colonies\"\nreason = \"r\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:32:8" },
    Case { name: "a cell rule with a bad period", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colonies\"\nperiod = \"1940-13-01\"\nreason = \"r\"\n", kind: "bad-period", at: "data/tables/demo/stocks.toml:33:10" },
    Case { name: "a cell described twice", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colonies\"\nperiod = \"1940-04-01\"\nreason = \"r\"\n\n[[cells]]\ncolumn = \"year\"\nlabel = \"1940\"\ncell = \"colonies\"\nperiod = \"1940-05-01\"\nreason = \"r\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:39:8" },
    Case { name: "a table that does not say where it stands in its source", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:1:1" },
    Case { name: "a wide-table section in a long table", file: "tables/demo2/text.toml", content: b"title = \"Demo figures in text\"\nlayout = \"long\"\n\n[[columns]]\nname = \"value\"\nseries = \"camps.population\"\n", kind: "manifest-error", at: "data/tables/demo2/text.toml:5:8" },
    Case { name: "a sum that includes itself", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"total\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:22:20" },
    Case { name: "a sum over a key column", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"year\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:22:20" },
    Case { name: "a category and a category column", file: "tables/demo/gender.toml", content: b"title = \"Demo gender\"\nlocation = \"Table 3\"\nunit = \"percent\"\nkeys = [\"gender\"]\nshares_sum_to_100 = true\n\n[[columns]]\nname = \"1939\"\nseries = \"camps.share_by_gender\"\ncategory_from = \"gender\"\ncategory = \"men\"\nperiod = \"1939-01-01\"\n", kind: "manifest-error", at: "data/tables/demo/gender.toml:10:17" },
    Case { name: "a skipped column with a series", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\nskip = true\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:17:10" },
    Case { name: "a preferred rule without a prefer list", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nmethod = \"preferred\"\n", kind: "config-error", at: "data/reconcile.toml:3:1" },
    Case { name: "a prefer list on a median rule", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nmethod = \"median\"\nprefer = [\"demo\"]\n", kind: "config-error", at: "data/reconcile.toml:3:1" },
    Case { name: "a second rule for the same series and span", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nmethod = \"median\"\n\n[[series]]\nseries = \"camps.population\"\nmethod = \"preferred\"\nprefer = [\"demo\"]\n", kind: "config-error", at: "data/reconcile.toml:7:1" },
    Case { name: "a witness group without sources", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[witnesses]]\ndocument = \"D\"\nsources = []\n", kind: "config-error", at: "data/reconcile.toml:3:1" },
    Case { name: "two witness groups for one document", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[witnesses]]\ndocument = \"D\"\nsources = [\"demo\"]\n\n[[witnesses]]\ndocument = \"D\"\nsources = [\"demo2\"]\n", kind: "config-error", at: "data/reconcile.toml:7:1" },
    Case { name: "a claim without a location", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,demo,,\"at(camps.population, 1940-01-01)\",1300,0,\n", kind: "missing-cell", at: "data/claims.csv:2:4" },
    Case { name: "a claim with a negative tolerance", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,demo,p. 1,\"at(camps.population, 1940-01-01)\",1300,-5,\n", kind: "not-a-number", at: "data/claims.csv:2:7" },
    Case { name: "a register claim without a location", file: "register-claims.csv", content: b"id,statement,source_id,location,name_patterns,date,comparison,value\nr1,x,demo,,bam,1939-01-01,equals,5\n", kind: "missing-cell", at: "data/register-claims.csv:2:4" },
    Case { name: "a series kind with a typo", file: "series.csv", content: b"series,unit,kind,description\ncamps.population,persons,stock,camps\ncolonies.population,persons,stock,colonies\ngulag.population,persons,stock,camps + colonies\ncamps.counterrevolutionaries_share,percent,stock,share\ncamps.deaths,persons,flwo,deaths\ngulag.deaths,persons,flow,deaths\ncamps.share_by_gender,percent,composition,gender\n", kind: "csv-error", at: "data/series.csv:6:3" },
    Case { name: "a series without a description", file: "series.csv", content: b"series,unit,kind,description\ncamps.population,persons,stock,camps\ncolonies.population,persons,stock,colonies\ngulag.population,persons,stock,camps + colonies\ncamps.counterrevolutionaries_share,percent,stock,share\ncamps.deaths,persons,flow,\ngulag.deaths,persons,flow,deaths\ncamps.share_by_gender,percent,composition,gender\n", kind: "missing-cell", at: "data/series.csv:6:4" },
    Case { name: "a source year that is not a year", file: "sources.csv", content: b"source_id,citation,year,kind,archival_ref,copy_read,notes\ndemo,\"Demo source for tests (synthetic figures)\",c. 2000,compilation,,tests/fixtures,synthetic\ndemo2,\"Second demo source (synthetic)\",2001,secondary,,tests/fixtures,synthetic\ngulagstats,\"derived by the pipeline\",2026,compilation,,computed,derived\n", kind: "csv-error", at: "data/sources.csv:2:3" },
    Case { name: "a file that is no table in a source folder", file: "tables/demo/deaths.CSV", content: b"year,deaths\n1938,100\n", kind: "csv-error", at: "data/tables/demo/deaths.CSV:1:1" },
    Case { name: "a table outside any source folder", file: "tables/deaths.csv", content: b"year,deaths\n1938,100\n", kind: "csv-error", at: "data/tables/deaths.csv:1:1" },
    Case { name: "an uncertainty amount that is not a number", file: "uncertainty.toml", content: b"[[rule]]\nid = \"x\"\nseries = \"colonies.population\"\nhigh_rel = nan\nrationale = \"r\"\ncitation = \"c\"\n", kind: "config-error", at: "data/uncertainty.toml:1:1" },
    Case { name: "an infinite uncertainty amount", file: "uncertainty.toml", content: b"[[rule]]\nid = \"x\"\nseries = \"colonies.population\"\nhigh_add = inf\nrationale = \"r\"\ncitation = \"c\"\n", kind: "config-error", at: "data/uncertainty.toml:1:1" },
    Case { name: "an uncertainty rule that widens nothing", file: "uncertainty.toml", content: b"[[rule]]\nid = \"x\"\nseries = \"colonies.population\"\nfrom = 1950\nto = 1953\nhigh_add = 5\nrationale = \"r\"\ncitation = \"c\"\n", kind: "config-error", at: "data/uncertainty.toml:1:1" },
    Case { name: "an uncertainty rule twice over one series", file: "uncertainty.toml", content: b"[[rule]]\nid = \"x\"\nseries = \"colonies.population\"\nhigh_add = 5\nrationale = \"r\"\ncitation = \"c\"\n\n[[rule]]\nid = \"x\"\nseries = \"colonies.population\"\nhigh_add = 5\nrationale = \"r\"\ncitation = \"c\"\n", kind: "config-error", at: "data/uncertainty.toml:8:1" },
    Case { name: "a date with signs in it", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-+1-+1,,,1210,persons,p. 5,\n", kind: "bad-period", at: "data/tables/demo2/text.csv:2:2" },
    Case { name: "a figure with too many digits", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999,persons,p. 5,\n", kind: "not-a-number", at: "data/tables/demo2/text.csv:2:5" },
    Case { name: "a coverage span beyond the years of the data", file: "coverage.toml", content: b"[[target]]\nseries = \"camps.population\"\ndated = \"1 January\"\nfrom = -2147483648\nto = 2147483647\n", kind: "config-error", at: "data/coverage.toml:1:1" },
    Case { name: "a flow counted at 1 January in coverage", file: "coverage.toml", content: b"[[target]]\nseries = \"camps.deaths\"\ndated = \"1 January\"\nfrom = 1938\nto = 1939\n", kind: "config-error", at: "data/coverage.toml:1:1" },
    Case { name: "a configuration file that is not UTF-8", file: "reconcile.toml", content: b"default_method = \"median\"\n\n[[witnesses]]\ndocument = \"Caf\xe9\"\nsources = [\"demo\", \"demo2\"]\n", kind: "invalid-utf8", at: "data/reconcile.toml:4:16" },
    Case { name: "a key column described as a value column", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n\n[[columns]]\nname = \"year\"\nseries = \"camps.population\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:30:8" },
    Case { name: "a category taken from a value column", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\ncategory_from = \"camps\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:18:17" },
    Case { name: "a figure with an empty category", file: "tables/demo/gender.csv", content: b"gender,1939\nmen,92.0\nwomen,8.0\n,0.0\n", kind: "missing-cell", at: "data/tables/demo/gender.csv:4:1" },
    Case { name: "a category with spaces around it", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\ncategory = \" all \"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:16:8" },
    Case { name: "a missing marker that is a figure", file: "tables/demo/stocks.toml", content: b"title = \"Demo stocks on 1 January\"\nlocation = \"Table 1\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\", \"-\", \"1000\"]\n\n[period]\ncolumn = \"year\"\nkind = \"jan1\"\n\n[[columns]]\nname = \"camps\"\nseries = \"camps.population\"\n\n[[columns]]\nname = \"colonies\"\nseries = \"colonies.population\"\n\n[[columns]]\nname = \"total\"\nseries = \"gulag.population\"\nsum_of = [\"camps\", \"colonies\"]\n\n[[columns]]\nname = \"share\"\nseries = \"camps.counterrevolutionaries_share\"\nunit = \"percent\"\n", kind: "manifest-error", at: "data/tables/demo/stocks.toml:1:1" },
    Case { name: "a table with a header and no rows", file: "tables/demo/deaths.csv", content: b"year,deaths\n", kind: "missing-cell", at: "data/tables/demo/deaths.csv:1:1" },
    Case { name: "shares that sum to 100 in a table of persons", file: "tables/demo/deaths.toml", content: b"shares_sum_to_100 = true\ntitle = \"Demo deaths\"\nlocation = \"Table 2\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"year\"\n\n[[total_rows]]\ncolumn = \"year\"\nlabel = \"Total\"\nperiod = \"1938-1939\"\n\n[[columns]]\nname = \"deaths\"\nseries = \"camps.deaths\"\n", kind: "manifest-error", at: "data/tables/demo/deaths.toml:1:1" },
    Case { name: "a row period for a total row", file: "tables/demo/deaths.toml", content: b"title = \"Demo deaths\"\nlocation = \"Table 2\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"-\"]\n\n[period]\ncolumn = \"year\"\nkind = \"year\"\n\n[[total_rows]]\ncolumn = \"year\"\nlabel = \"Total\"\nperiod = \"1938-1939\"\n\n[[columns]]\nname = \"deaths\"\nseries = \"camps.deaths\"\n\n[[row_periods]]\ncolumn = \"year\"\nlabel = \"Total\"\nperiod = \"1938-01-01/1938-06-30\"\n", kind: "manifest-error", at: "data/tables/demo/deaths.toml:21:10" },
    Case { name: "a long table with a column nobody reads", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note,source_id\ncamps.population,1939-01-01,,,1210,persons,p. 5,,demo\n", kind: "manifest-error", at: "data/tables/demo2/text.csv:1:9" },
    Case { name: "a bibliography column nobody reads", file: "sources.csv", content: b"source_id,citation,year,kind,archival_ref,copy_read,notes,extra\ndemo,\"Demo source for tests (synthetic figures)\",2000,compilation,,tests/fixtures,synthetic,x\ndemo2,\"Second demo source (synthetic)\",2001,secondary,,tests/fixtures,synthetic,x\ngulagstats,\"derived by the pipeline\",2026,compilation,,computed,derived,x\n", kind: "csv-error", at: "data/sources.csv:1:8" },
    Case { name: "a claim that reads a stock over a year", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,demo,p. 1,\"flow(camps.population, 1938)\",1,0,\n", kind: "claim-error", at: "data/claims.csv:2:5" },
    Case { name: "a claim that reads a flow at a date", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,demo,p. 1,\"at(camps.deaths, 1938-01-01)\",1,0,\n", kind: "claim-error", at: "data/claims.csv:2:5" },
    Case { name: "a claim on a misspelt derived series", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,demo,p. 1,\"flow(camps.death_rate_typo, 1938)\",1,0,\n", kind: "unknown-series", at: "data/claims.csv:2:5" },
    Case { name: "a claim on a category the series lacks", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,demo,p. 1,\"at(camps.share_by_gender, 1939-01-01, Men)\",92,0,\n", kind: "claim-error", at: "data/claims.csv:2:5" },
    Case { name: "a register claim dated other than 1 January", file: "register-claims.csv", content: b"id,statement,source_id,location,name_patterns,date,comparison,value\nr1,x,demo,p. 1,bam,1939-12-31,equals,5\n", kind: "bad-period", at: "data/register-claims.csv:2:6" },
    Case { name: "a register claim of a fractional count", file: "register-claims.csv", content: b"id,statement,source_id,location,name_patterns,date,comparison,value\nr1,x,demo,p. 1,bam,1939-01-01,equals,5.4\n", kind: "not-a-number", at: "data/register-claims.csv:2:8" },
    Case { name: "a claim statement over two lines", file: "claims.csv", content: b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,\"camps\non 1 January\",demo,p. 1,\"at(camps.population, 1940-01-01)\",1300,0,\n", kind: "csv-error", at: "data/claims.csv:2:2" },
    Case { name: "a rounding that is no power of ten", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note,rounded_to\ncamps.population,1939-01-01,,,1250,persons,p. 5,,50\n", kind: "bad-rounding", at: "data/tables/demo2/text.csv:2:9" },
    Case { name: "a rounding of 1 (every whole figure is)", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note,rounded_to\ncamps.population,1939-01-01,,,1250,persons,p. 5,,1\n", kind: "bad-rounding", at: "data/tables/demo2/text.csv:2:9" },
    Case { name: "a figure that is no multiple of its rounding", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note,rounded_to\ncamps.population,1939-01-01,,,1250,persons,p. 5,,100\n", kind: "bad-rounding", at: "data/tables/demo2/text.csv:2:9" },
    Case { name: "a rounding on a figure printed with decimals", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note,rounded_to\ncamps.population,1939-01-01,,,1200.0,persons,p. 5,,100\n", kind: "bad-rounding", at: "data/tables/demo2/text.csv:2:9" },
    Case { name: "a location that points at another row", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1200,persons,p. 5,\ncamps.population,1940-01-01,,,1300,persons,same sentence,\n", kind: "relative-location", at: "data/tables/demo2/text.csv:3:7" },
    Case { name: "a location that says 'next sentence'", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1200,persons,p. 5,\ncamps.population,1940-01-01,,,1300,persons,\"p. 5, next  sentence\",\n", kind: "relative-location", at: "data/tables/demo2/text.csv:3:7" },
    Case { name: "a location whose [as: ...] points elsewhere too", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1200,persons,p. 5,\ncamps.population,1940-01-01,,,1300,persons,same sentence [as: ibid.],\n", kind: "relative-location", at: "data/tables/demo2/text.csv:3:7" },
    Case { name: "a location with an empty [as: ]", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1200,persons,p. 5,\ncamps.population,1940-01-01,,,1300,persons,same sentence [as: ],\n", kind: "relative-location", at: "data/tables/demo2/text.csv:3:7" },
    Case { name: "a bound that is neither lower nor upper", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note,bound\ncamps.population,1939-01-01,,,1200,persons,p. 5,,more than\n", kind: "bad-bound", at: "data/tables/demo2/text.csv:2:9" },
    Case { name: "text after the closing quote of a field", file: "tables/demo/stocks.csv", content: b"year,camps,colonies,total,share\n1938,1000,500,1500,10.5\n1939,\"1200\"0,600,1800,12.0\n", kind: "csv-error", at: "data/tables/demo/stocks.csv:3:2" },
    Case { name: "a register claim a cell short", file: "register-claims.csv", content: b"id,statement,source_id,location,name_patterns,date,comparison,value\nr1,x,demo,p. 1,bam,1939-01-01,equals\n", kind: "missing-cell", at: "data/register-claims.csv:2:8" },
    Case { name: "a register claim with a quote never closed", file: "register-claims.csv", content: b"id,statement,source_id,location,name_patterns,date,comparison,value\nr1,\"x,demo,p. 1,bam,1939-01-01,equals,5\n", kind: "csv-error", at: "data/register-claims.csv:2:2" },
    Case { name: "two figures of one source at one place", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1200,persons,p. 5,\ncamps.population,1939-01-01,,,1300,persons,p. 5,\n", kind: "duplicate-key", at: "data/tables/demo2/text.csv:3:5" },
    Case { name: "a register claim id used twice", file: "register-claims.csv", content: b"id,statement,source_id,location,name_patterns,date,comparison,value\nr1,x,demo,p. 1,bam,1939-01-01,equals,5\nr1,y,demo,p. 2,bam,1940-01-01,equals,6\n", kind: "duplicate-key", at: "data/register-claims.csv:3:1" },
    Case { name: "a register claim with an unknown source and a bad date", file: "register-claims.csv", content: b"id,statement,source_id,location,name_patterns,date,comparison,value\nr1,x,nosuch,p. 1,bam,1939-12-31,equals,5\n", kind: "unknown-source", at: "data/register-claims.csv:2:3" },
    Case { name: "a control character in a text cell", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1210,persons,p. 5,a\x1b[31mred\n", kind: "csv-error", at: "data/tables/demo2/text.csv:2:8" },
    Case { name: "a text cell a spreadsheet would run as a formula", file: "tables/demo2/text.csv", content: b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1210,persons,p. 5,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n", kind: "csv-error", at: "data/tables/demo2/text.csv:2:8" },
];

#[test]
fn every_malformed_input_is_reported_with_kind_file_and_line() {
    for c in CASES {
        let w = Work::new();
        w.write(c.file, c.content);
        let o = w.run(&["validate"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{}: exit status, stderr:\n{err}", c.name);
        assert!(!err.contains("panicked"), "{}: panic:\n{err}", c.name);
        let tag = format!("error[{}]", c.kind);
        assert!(err.contains(&tag), "{}: no {tag} in:\n{err}", c.name);
        assert!(err.lines().any(|l| l.contains(&tag) && l.starts_with(c.at)), "{}: expected {tag} at {}, got:\n{err}", c.name, c.at);
    }
}

#[test]
fn missing_file_is_reported() {
    let w = Work::new();
    std::fs::remove_file(w.data().join("tables/demo/deaths.toml")).unwrap();
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("data/tables/demo/deaths.toml:1:1: error[missing-file]"), "{}", stderr(&o));
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let w = Work::new();
    w.write("tables/demo/stocks.csv", b"year,camps,colonies,total,share\n1938,abc,500,1500,10.5\n1939,1200,-5,1800,120\n");
    w.write("tables/demo2/text.csv", b"series,period_start,period_end,category,value,unit,location,note\nno.such,1939-01-01,,,1,persons,p. 1,\n");
    let o = w.run(&["validate"]);
    let err = stderr(&o);
    for k in ["not-a-number", "negative-count", "percent-out-of-range", "unknown-series"] {
        assert!(err.contains(&format!("error[{k}]")), "missing {k} in:\n{err}");
    }
    assert!(err.contains("5 error(s)") || err.matches("error[").count() >= 4, "{err}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let w = Work::new();
    let text = w.read("tables/demo/stocks.csv").replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.as_bytes());
    w.write("tables/demo/stocks.csv", &bytes);
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // and a problem in a CRLF file is reported at its own line (the third here), not one short
    w.write("tables/demo/deaths.csv", b"year,deaths\r\n1938,100\r\n1939,x\r\nTotal,100\r\n");
    let err = stderr(&w.run(&["validate"]));
    assert!(err.contains("data/tables/demo/deaths.csv:3:2: error[not-a-number]"), "{err}");
}

#[test]
fn a_printed_range_is_no_difference_but_a_bound_it_breaks_is() {
    let w = Work::new();
    let head = "series,period_start,period_end,category,value,unit,location,note,rounded_to,bound\n";
    // "351,000 - 360,000" entered as its two ends: both can hold
    w.write("tables/demo2/text.csv", format!("{head}camps.population,1939-01-01,,,1200,persons,\"p. 5, low end\",,,lower\ncamps.population,1939-01-01,,,1300,persons,\"p. 5, high end\",,,upper\n").as_bytes());
    let err = stderr(&w.run(&["validate"]));
    assert!(!err.contains("source-differs-from-itself"), "{err}");
    // the exported observations say which figure is a bound, the contract's columns having no place for it
    let o = w.run(&["export", "--out", "x", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let f = std::fs::read_to_string(w.path("x/observations.csv")).unwrap();
    assert!(f.lines().any(|l| l.starts_with("camps.population,1939-01-01,1939-01-01,,1200,") && l.ends_with(",printed,[lower bound]")), "{f}");
    assert!(f.lines().any(|l| l.starts_with("camps.population,1939-01-01,1939-01-01,,1300,") && l.ends_with(",printed,[upper bound]")), "{f}");
    // "more than 1300" and "at most 1200" cannot both hold
    w.write("tables/demo2/text.csv", format!("{head}camps.population,1939-01-01,,,1300,persons,\"p. 5, low end\",,,lower\ncamps.population,1939-01-01,,,1200,persons,\"p. 5, high end\",,,upper\n").as_bytes());
    let err = stderr(&w.run(&["validate"]));
    assert!(err.contains("data/tables/demo2/text.csv:3:5: finding[source-differs-from-itself]"), "{err}");
    // a figure is set against every earlier one, not only the first: a count outside the source's
    // own printed range is reported even when the range was entered first
    w.write("tables/demo2/text.csv", format!("{head}camps.population,1939-01-01,,,1200,persons,\"p. 5, low end\",,,lower\ncamps.population,1939-01-01,,,1300,persons,\"p. 5, high end\",,,upper\ncamps.population,1939-01-01,,,1400,persons,p. 9,,,\n").as_bytes());
    let err = stderr(&w.run(&["validate"]));
    assert!(err.contains("data/tables/demo2/text.csv:4:5: finding[source-differs-from-itself]: demo2 gives 1400 for camps.population 1939-01-01 here and at most 1300 at data/tables/demo2/text.csv:3"), "{err}");
    // a round figure and a count within its rounding can both hold ("about 1.2 thousand", 1234)
    w.write("tables/demo2/text.csv", format!("{head}camps.population,1939-01-01,,,1200,persons,p. 5,,100,\ncamps.population,1939-01-01,,,1234,persons,p. 9,,,\n").as_bytes());
    let err = stderr(&w.run(&["validate"]));
    assert!(!err.contains("source-differs-from-itself"), "{err}");
    // nor an exact figure below the source's own "more than"
    w.write("tables/demo2/text.csv", format!("{head}camps.population,1939-01-01,,,1300,persons,p. 5,,,lower\ncamps.population,1939-01-01,,,1250,persons,p. 9,,,\n").as_bytes());
    let err = stderr(&w.run(&["validate"]));
    assert!(err.contains("data/tables/demo2/text.csv:3:5: finding[source-differs-from-itself]"), "{err}");
}

/// A wide table writes `location` from its manifest's `location`, row and column: two wide tables of
/// one source with the same manifest `location` would give the exports two rows with one key.
#[test]
fn two_wide_tables_of_one_source_at_one_place_are_a_duplicate_key() {
    let w = Work::new();
    w.write("tables/demo/stocks2.toml", w.read("tables/demo/stocks.toml").as_bytes());
    w.write("tables/demo/stocks2.csv", b"year,camps,colonies,total,share\n1938,1001,500,1501,10.5\n");
    let err = stderr(&w.run(&["validate"]));
    assert!(err.contains("data/tables/demo/stocks2.csv:2:2: error[duplicate-key]") && err.contains("manifests different `location`s"), "{err}");
    // a row repeated within one wide table is one error, of the row
    w.write("tables/demo/stocks2.csv", b"year,camps,colonies,total,share\n1937,1,1,2,10.5\n1937,1,1,2,10.5\n");
    let err = stderr(&w.run(&["validate"]));
    assert_eq!(err.matches("stocks2.csv:3:").count(), 1, "{err}");
}

#[test]
fn totals_and_shares_that_do_not_add_up_are_findings_not_errors() {
    let w = Work::new();
    w.write("tables/demo/deaths.csv", b"year,deaths\n1938,100\n1939,50\nTotal,160\n");
    w.write("tables/demo/gender.csv", b"gender,1939\nmen,90.0\nwomen,8.0\n");
    w.write("tables/demo/stocks.csv", b"year,camps,colonies,total,share\n1938,1000,500,1600,10.5\n");
    let o = w.run(&["validate"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("data/tables/demo/deaths.csv:4:2: finding[total-mismatch]"), "{err}");
    assert!(err.contains("finding[shares-not-100]"), "{err}");
    assert!(err.contains("data/tables/demo/stocks.csv:2:4: finding[total-mismatch]"), "{err}");
    // a quote inside a cell that does not begin with one is read as text, and said
    w.write("tables/demo/gender.csv", b"gender,1939\nmen,90.0\nwomen\",10.0\n");
    let o = w.run(&["validate"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("data/tables/demo/gender.csv:3:1: finding[csv-error]: a quote inside an unquoted field (kept as text)"), "{err}");
    // one source, two figures for the same quantity: a finding at the second
    w.write("tables/demo2/text.csv", b"series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,1210,persons,p. 5,\ncamps.population,1939-01-01,,,1250,persons,p. 9,\n");
    let err = stderr(&w.run(&["validate"]));
    assert!(err.contains("data/tables/demo2/text.csv:3:5: finding[source-differs-from-itself]: demo2 gives 1250 for camps.population 1939-01-01 here and 1210 at data/tables/demo2/text.csv:2"), "{err}");
    // the exports carry every finding, with its place
    let o = w.run(&["export", "--out", "x", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let f = std::fs::read_to_string(w.path("x/findings.csv")).unwrap();
    assert!(f.lines().any(|l| l.starts_with("data,total-mismatch,,,,data/tables/demo/deaths.csv:4:2,")), "{f}");
    assert!(f.lines().any(|l| l.starts_with("data,source-differs-from-itself,,,,data/tables/demo2/text.csv:3:5,")), "{f}");
}

#[test]
fn shares_within_rounding_pass() {
    let w = Work::new();
    w.write("tables/demo/gender.csv", b"gender,1939\nmen,92.0\nwomen,8.3\n");
    let o = w.run(&["validate"]);
    assert!(stderr(&o).contains("shares-not-100"), "0.3 over with one decimal is beyond rounding: {}", stderr(&o));
    w.write("tables/demo/gender.csv", b"gender,1939\nmen,92\nwomen,8\n");
    let o = w.run(&["validate"]);
    assert!(!stderr(&o).contains("shares-not-100"), "{}", stderr(&o));
}

#[test]
fn random_garbage_never_panics() {
    // deterministic pseudo-random bytes into every kind of file
    let mut x: u64 = 0x9E3779B97F4A7C15;
    for round in 0..40 {
        let w = Work::new();
        let files = ["tables/demo/stocks.csv", "tables/demo/stocks.toml", "sources.csv", "series.csv", "claims.csv", "tables/demo2/text.csv", "reconcile.toml"];
        let f = files[round % files.len()];
        let mut bytes = w.read(f).into_bytes();
        for _ in 0..8 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if !bytes.is_empty() {
                let i = (x as usize) % bytes.len();
                bytes[i] = (x >> 32) as u8;
            }
        }
        w.write(f, &bytes);
        for cmd in [&["validate"][..], &["build", "--out", "out"][..]] {
            let o = w.run(cmd);
            let err = stderr(&o);
            assert!(!err.contains("panicked"), "round {round} {f}: {err}");
            assert!(matches!(o.status.code(), Some(0) | Some(1) | Some(2)), "round {round}: {:?}", o.status);
        }
    }
}

#[test]
fn cells_of_a_skipped_column_must_still_be_figures() {
    let w = Work::new();
    w.write("tables/demo2/chart.toml", b"title = \"chart\"\nlocation = \"Table 9\"\nunit = \"persons\"\nkeys = [\"year\"]\nmissing = [\"\"]\n\n[period]\ncolumn = \"year\"\nkind = \"year\"\n\n[[columns]]\nname = \"dead\"\nseries = \"camps.deaths\"\n\n[[columns]]\nname = \"average\"\nskip = true\n");
    w.write("tables/demo2/chart.csv", b"year,dead,average\n1941,90,1000\n1942,80,\n");
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(0), "a figure or a declared missing marker passes: {}", stderr(&o));
    w.write("tables/demo2/chart.csv", b"year,dead,average\n1941,90,1000\n1942,80,1.0O0\n");
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).lines().any(|l| l.starts_with("data/tables/demo2/chart.csv:3:3: error[not-a-number]")), "{}", stderr(&o));
}

/// Seeded mutations of every fixture file (bytes changed, deleted, inserted, copied from elsewhere
/// in the file): validate, check and eval must report and exit 0, 1 or 2, never panic. The seed
/// is fixed, so a failure reproduces; the mutated file is printed.
#[test]
fn seeded_mutations_of_the_inputs_never_panic() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261127);
    let mut files = vec![];
    let mut stack = vec![fixture()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p.strip_prefix(fixture()).unwrap().to_string_lossy().to_string());
            }
        }
    }
    files.sort();
    let inserts: [&[u8]; 10] = [b",", b"\"", b"\n", b"\r\n", b"\xef\xbb\xbf", b"-", b"1e309", b"[", b"=", b"\x00"];
    for round in 0..60 {
        let w = Work::new();
        let f = &files[rng.gen_range(0..files.len())];
        let mut b = std::fs::read(w.data().join(f)).unwrap();
        for _ in 0..rng.gen_range(1..=4) {
            if b.is_empty() {
                break;
            }
            let k = rng.gen_range(0..b.len());
            match rng.gen_range(0..4) {
                0 => b[k] = rng.gen(),
                1 => {
                    let n = rng.gen_range(1..=20).min(b.len() - k);
                    b.drain(k..k + n);
                }
                2 => {
                    let ins = inserts[rng.gen_range(0..inserts.len())];
                    b.splice(k..k, ins.iter().copied());
                }
                _ => {
                    let from = rng.gen_range(0..b.len());
                    let piece: Vec<u8> = b[from..(from + rng.gen_range(1..=30)).min(b.len())].to_vec();
                    b.splice(k..k, piece);
                }
            }
        }
        w.write(f, &b);
        for args in [&["validate"][..], &["check"], &["eval", "sum(camps.deaths, 1938, 1939)"]] {
            let o = w.run(args);
            let err = stderr(&o);
            assert!(matches!(o.status.code(), Some(0..=2)) && !err.contains("panicked"), "round {round}, {f} mutated to:\n{}\n`{}`: {:?}\n{err}", String::from_utf8_lossy(&b), args.join(" "), o.status);
        }
    }
}

/// Diagnostics name every file, tables and configuration alike, from the data folder given: with
/// `--data mydata`, `mydata/reconcile.toml`, not a fixed `data/...`.
#[test]
fn diagnostics_name_files_from_the_data_folder_given() {
    let w = Work::new();
    w.write("reconcile.toml", b"default_method = \"mean\"\n");
    w.write("claims.csv", b"id,statement,source_id,location,expression,expected,tolerance,explanation\nc1,x,nobody,p. 1,\"flow(camps.deaths, 1938)\",1,0,\n");
    w.write("coverage.toml", b"[[target]]\nseries = \"camps.nothing\"\ndated = \"year\"\nfrom = 1938\nto = 1939\n");
    w.write("tables/demo/deaths.csv", b"year,deaths\n1938,1x0\nTotal,100\n");
    std::fs::rename(w.data(), w.path("mydata")).unwrap();
    let o = w.run(&["validate", "--data", "mydata"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for want in ["mydata/reconcile.toml:1:1: error[config-error]: default_method 'mean': it is not median", "mydata/claims.csv:2:3: error[unknown-source]", "mydata/coverage.toml:1:1: error[unknown-series]", "mydata/tables/demo/deaths.csv:2:2: error[not-a-number]"] {
        assert!(err.lines().any(|l| l.starts_with(want)), "{want}:\n{err}");
    }
    assert!(!err.lines().any(|l| l.starts_with("data/")), "{err}");
    // from another folder, with the data folder given by a longer path, every path printed opens
    // from there: the folder's path as given, not only its name
    let o = std::process::Command::new(bin()).current_dir(w.path("mydata/tables")).args(["validate", "--data", "../../mydata"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for want in ["../../mydata/reconcile.toml:1:1: error[config-error]", "../../mydata/tables/demo/deaths.csv:2:2: error[not-a-number]", "note: ../../mydata/register-claims.csv is not there"] {
        assert!(err.lines().any(|l| l.starts_with(want)), "{want}:\n{err}");
    }
    // `--data ..` names the folder too, and a file that is missing is shown where it should be
    let o = std::process::Command::new(bin()).current_dir(w.path("mydata/tables")).args(["validate", "--data", ".."]).output().unwrap();
    let err = stderr(&o);
    for want in ["../reconcile.toml:1:1: error[config-error]", "../tables/demo/deaths.csv:2:2: error[not-a-number]", "note: ../register-claims.csv is not there"] {
        assert!(err.lines().any(|l| l.starts_with(want)), "{want}:\n{err}");
    }
    std::fs::rename(w.path("mydata/series.csv"), w.path("series.csv.away")).unwrap();
    let o = std::process::Command::new(bin()).current_dir(w.path("mydata/tables")).args(["validate", "--data", "../../mydata"]).output().unwrap();
    assert!(stderr(&o).lines().any(|l| l.starts_with("../../mydata/series.csv:1:1: error[missing-file]")), "{}", stderr(&o));
    std::fs::rename(w.path("series.csv.away"), w.path("mydata/series.csv")).unwrap();
    // the exported findings keep paths from the data folder's name on, wherever it lies
    std::fs::write(w.path("mydata/tables/demo/deaths.csv"), b"year,deaths\n1938,100\n1939,50\nTotal,100\n").unwrap();
    std::fs::write(w.path("mydata/reconcile.toml"), b"# no rules\ndefault_method = \"median\"\n").unwrap();
    std::fs::write(w.path("mydata/claims.csv"), b"id,statement,source_id,location,expression,expected,tolerance,explanation\n").unwrap();
    std::fs::remove_file(w.path("mydata/coverage.toml")).unwrap();
    let o = std::process::Command::new(bin()).current_dir(w.path("mydata/tables")).args(["export", "--data", "../../mydata", "--out", "../../out"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let f = std::fs::read_to_string(w.path("out/findings.csv")).unwrap();
    assert!(f.contains(",mydata/tables/demo/deaths.csv:"), "{f}");
    assert!(!f.contains("../"), "{f}");
    // the same bytes with the folder given as `.` from inside it, or by its absolute path
    for (cwd, data, out) in [("mydata", ".", "../out2"), ("", w.path("mydata").to_str().unwrap(), "out3")] {
        let o = std::process::Command::new(bin()).current_dir(w.path(cwd)).args(["export", "--data", data, "--out", out, "--format", "csv"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let other = w.path(cwd).join(out);
        assert_eq!(std::fs::read_to_string(other.join("findings.csv")).unwrap(), f, "--data {data}");
        assert_eq!(std::fs::read(other.join("tables.csv")).unwrap(), std::fs::read(w.path("out/tables.csv")).unwrap(), "--data {data}");
    }
}

/// A sources.csv (series.csv) that cannot be read at all is one error, not one per source id (series
/// name) used elsewhere: the follow-on errors are held back, and one finding says how many.
#[test]
fn an_unreadable_sources_or_series_file_is_one_error() {
    for (file, from, to, what) in [("sources.csv", &b"demo"[..], &b"d\xe9mo"[..], "use(s) of a source id"), ("series.csv", b"persons", b"pers\xf6ns", "use(s) of a series name")] {
        let w = Work::new();
        let mut b = std::fs::read(w.data().join(file)).unwrap();
        let at = b.windows(from.len()).position(|x| x == from).unwrap();
        b.splice(at..at + from.len(), to.iter().copied());
        w.write(file, &b);
        let o = w.run(&["validate"]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error[")).collect();
        assert_eq!(errors.len(), 1, "{file}:\n{err}");
        assert!(errors[0].contains("error[invalid-utf8]"), "{err}");
        assert!(err.lines().any(|l| l.contains("finding[unknown-") && l.contains(what) && l.contains(&format!("{file} could not be read"))), "{err}");
    }
}

/// A percent change below -100 is impossible: an error at its cell.
#[test]
fn a_change_cannot_fall_below_minus_100_percent() {
    let w = Work::new();
    w.append("series.csv", "camps.growth,percent,change,growth against the year before\n");
    w.write("tables/demo2/text.csv", b"series,period_start,period_end,category,value,unit,location,note\ncamps.growth,1939-01-01,1939-12-31,,-150,percent,p. 5,\n");
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("data/tables/demo2/text.csv:2:5: error[percent-out-of-range]"), "{}", stderr(&o));
}

/// A data folder whose tables/ holds no table is an error, and the rules that then match nothing
/// are not listed one by one.
#[test]
fn a_data_folder_without_tables_says_so_once() {
    let w = Work::new();
    std::fs::remove_dir_all(w.data().join("tables")).unwrap();
    std::fs::create_dir(w.data().join("tables")).unwrap();
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("data/tables:1:1: error[missing-file]: no tables"), "{err}");
    assert_eq!(err.matches("error[").count(), 1, "{err}");
}

/// A closed stderr (`gulagstats validate 2>&1 | true`) is no reason to crash: the report is lost, the
/// exit status is the command's own, and `build` still writes its outputs.
#[test]
fn a_closed_stderr_does_not_panic() {
    let w = Work::new();
    for (args, code) in [(&["validate"][..], 0), (&["build", "--out", "out"][..], 0), (&["eval", "1 +"][..], 2)] {
        let mut child = std::process::Command::new(bin())
            .current_dir(w.dir.path())
            .args(args)
            .env_remove("CI")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // close the reading end before the program has written anything
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}: {status:?}");
    }
    assert!(w.path("out/data/clean/observations.csv").exists());
}

/// A build that cannot write one of its outputs fails before it has replaced any: the outputs of the
/// earlier run stay, all of one run (here a folder stands where findings.csv goes).
#[test]
fn a_build_that_cannot_write_leaves_the_earlier_outputs_whole() {
    let w = Work::new();
    assert_eq!(w.run(&["build", "--out", "out"]).status.code(), Some(0));
    std::fs::write(w.path("out/charts/figure-a.svg"), "earlier run").unwrap();
    std::fs::write(w.path("out/data/clean/observations.csv"), "earlier run").unwrap();
    std::fs::remove_file(w.path("out/data/clean/findings.csv")).unwrap();
    std::fs::create_dir(w.path("out/data/clean/findings.csv")).unwrap();
    let o = w.run(&["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("findings.csv"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(w.path("out/charts/figure-a.svg")).unwrap(), "earlier run");
    assert_eq!(std::fs::read_to_string(w.path("out/data/clean/observations.csv")).unwrap(), "earlier run");
    // once the way is clear the build writes everything again
    std::fs::remove_dir(w.path("out/data/clean/findings.csv")).unwrap();
    assert_eq!(w.run(&["build", "--out", "out"]).status.code(), Some(0));
    assert_ne!(std::fs::read_to_string(w.path("out/charts/figure-a.svg")).unwrap(), "earlier run");
}

/// A bad cell of any length is shown in its message cut to 60 characters, with its length.
#[test]
fn a_huge_bad_cell_is_not_echoed_whole() {
    let w = Work::new();
    let cell = "9".repeat(50_000) + "x" + &"9".repeat(49_999);
    w.write("tables/demo2/text.csv", format!("series,period_start,period_end,category,value,unit,location,note\ncamps.population,1939-01-01,,,{cell},persons,p. 5,\n").as_bytes());
    let o = w.run(&["validate"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let line = err.lines().find(|l| l.contains("error[not-a-number]")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.len() < 400 && line.contains("(100000 characters)"), "{}", &line[..line.len().min(400)]);
}
