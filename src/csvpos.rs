//! CSV read with the position of every field: the one reader of every CSV file the program reads
//! (the data folder's tables and lists, and a per-camp register).
//!
//! RFC 4180: fields separated by commas, records by LF or CRLF (a lone CR also ends a record, without
//! starting a new line number); a field that begins with a quote (after any spaces) runs to the
//! closing quote, may span lines, and doubles a quote inside it; spaces around the quotes are
//! dropped, and a CRLF inside a quoted field is read as LF. Each field keeps its
//! line, its cell number and its character column, so that a caller can name the place of a
//! problem in its own convention (tables name the cell, a register the character). Oddities are
//! read leniently and reported as [`Problem`]s; a quote never closed ends reading, since it would
//! swallow the rest of the file into one cell.

use crate::diag::{kind, Diagnostic};

/// One field: its text (unquoted) and where it starts.
#[derive(Debug, Clone)]
pub struct Field {
    pub text: String,
    /// line on which it starts, from 1
    pub line: usize,
    /// character column on its line, from 1 (of its first character: a quoted field's opening
    /// quote, or the spaces before it); its place in the record is its index in `Record::fields`
    pub column: usize,
    /// whether it was written in quotes
    pub quoted: bool,
}

/// One record: the line it starts on and its fields. Blank lines are not records.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<Field>,
}

impl Record {
    /// The fields' texts, as they stand.
    pub fn texts(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.text.clone()).collect()
    }
}

/// What is odd about a place in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oddity {
    /// a quoted field opens here and is never closed (reading stops)
    Unclosed,
    /// text follows the closing quote of a field (it is kept, appended to the field)
    TextAfterQuote,
    /// a quote stands inside a field that did not begin with one (kept as text)
    QuoteInUnquoted,
}

/// A problem and where it stands: line, cell (from 1) and character column (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub oddity: Oddity,
    pub line: usize,
    pub cell: usize,
    pub column: usize,
}

impl Problem {
    /// The problem as a diagnostic of `file`, placed at `column` (the caller's convention).
    /// A quote inside an unquoted field is a finding; the other two are errors.
    pub fn diagnostic(&self, file: &str, column: usize) -> Diagnostic {
        match self.oddity {
            Oddity::Unclosed => Diagnostic::error(file, self.line, column, kind::CSV_ERROR, "a quoted field opened here is never closed"),
            Oddity::TextAfterQuote => Diagnostic::error(file, self.line, column, kind::CSV_ERROR, "text after the closing quote of a field (kept)"),
            Oddity::QuoteInUnquoted => Diagnostic::finding(file, self.line, column, kind::CSV_ERROR, "a quote inside an unquoted field (kept as text)"),
        }
    }
}

/// What reading gives: the records read, the problems met, and whether the whole text was read
/// (false after a quote never closed: the records then stop before it).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    pub complete: bool,
}

/// Read CSV text. Never panics; any text gives records and problems.
pub fn read(text: &str) -> Parsed {
    let b = text.as_bytes();
    let n = b.len();
    let (mut pos, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut records = Vec::new();
    let mut problems = Vec::new();
    // character column of byte `off` on the line starting at `ls`; a cursor remembers the last
    // answer so that a long line is counted once, not once per field
    let mut cur = (usize::MAX, 0usize, 0usize); // (line start, byte offset, chars before it)
    let mut col = |ls: usize, off: usize| {
        let (from, base) = if cur.0 == ls && cur.1 <= off { (cur.1, cur.2) } else { (ls, 0) };
        let n = base + text.get(from..off).map(|s| s.chars().count()).unwrap_or(0);
        cur = (ls, off, n);
        n + 1
    };
    while pos < n {
        let rec_line = line;
        let mut fields = Vec::new();
        loop {
            let (fline, fcol) = (line, col(line_start, pos));
            let cell = fields.len() + 1;
            let mut value: Vec<u8> = Vec::new();
            // spaces around a cell are dropped when it is read (docs/data-format.md), so spaces
            // before an opening quote do not make the quotes part of the text
            let blanks = b[pos.min(n)..].iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
            let quoted = b.get(pos + blanks) == Some(&b'"');
            if quoted {
                pos += blanks + 1;
                let mut closed = false;
                while pos < n {
                    let c = b[pos];
                    if c == b'"' {
                        if pos + 1 < n && b[pos + 1] == b'"' {
                            value.push(b'"');
                            pos += 2;
                            continue;
                        }
                        pos += 1;
                        closed = true;
                        break;
                    }
                    if c == b'\n' {
                        line += 1;
                        line_start = pos + 1;
                    }
                    // a CRLF file's line end inside a quoted cell is a line end, as in an LF file
                    if !(c == b'\r' && b.get(pos + 1) == Some(&b'\n')) {
                        value.push(c);
                    }
                    pos += 1;
                }
                if !closed {
                    // at the quote, after any spaces (ASCII: one column each)
                    problems.push(Problem { oddity: Oddity::Unclosed, line: fline, cell, column: fcol + blanks });
                    return Parsed { records, problems, complete: false };
                }
                // and spaces after the closing quote (kept if text follows them: that text is kept)
                let after = pos;
                while pos < n && matches!(b[pos], b' ' | b'\t') {
                    pos += 1;
                }
                if pos < n && !matches!(b[pos], b',' | b'\n' | b'\r') {
                    problems.push(Problem { oddity: Oddity::TextAfterQuote, line, cell, column: col(line_start, pos) });
                    value.extend_from_slice(&b[after..pos]);
                    while pos < n && !matches!(b[pos], b',' | b'\n' | b'\r') {
                        value.push(b[pos]);
                        pos += 1;
                    }
                }
            } else {
                while pos < n && !matches!(b[pos], b',' | b'\n' | b'\r') {
                    if b[pos] == b'"' {
                        problems.push(Problem { oddity: Oddity::QuoteInUnquoted, line, cell, column: col(line_start, pos) });
                    }
                    value.push(b[pos]);
                    pos += 1;
                }
            }
            // splitting only at ASCII bytes keeps the text valid UTF-8
            let text_v = String::from_utf8(value).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            fields.push(Field { text: text_v, line: fline, column: fcol, quoted });
            if pos < n && b[pos] == b',' {
                pos += 1;
                continue;
            }
            if pos < n && b[pos] == b'\r' {
                pos += 1;
            }
            if pos < n && b[pos] == b'\n' {
                pos += 1;
                line += 1;
                line_start = pos;
            }
            break;
        }
        let blank = fields.len() == 1 && fields[0].text.trim().is_empty() && !fields[0].quoted;
        if !blank {
            records.push(Record { line: rec_line, fields });
        }
    }
    Parsed { records, problems, complete: true }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_across_quoted_lines() {
        let p = read("a,b\r\n\"x\ny\",\"q\"\"\"\n\n1,2");
        assert!(p.problems.is_empty() && p.complete, "{p:?}");
        let r = &p.records;
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].fields[0].text, "x\ny");
        assert_eq!(r[1].fields[1].text, "q\"");
        assert_eq!((r[1].fields[1].line, r[1].fields[1].column, r[2].line), (3, 4, 5));
    }

    #[test]
    fn names_where_a_quote_goes_wrong() {
        let where_ = |t: &str| read(t).problems.iter().map(|p| (p.oddity, p.line, p.cell, p.column)).collect::<Vec<_>>();
        // a doubled quote inside a quoted field is a quote character, not its end
        assert_eq!(where_("a,b\n1,\"say \"\"x\"\"\"\n"), vec![]);
        assert_eq!(where_("a,b\n1,5\"\n"), vec![(Oddity::QuoteInUnquoted, 2, 2, 4)]);
        assert_eq!(where_("a,b\n1,\"x\"y\n"), vec![(Oddity::TextAfterQuote, 2, 2, 6)]);
        assert_eq!(where_("a,b\n1,2\n3,\"x\n4,5\n"), vec![(Oddity::Unclosed, 3, 2, 3)]);
        // a closed quoted field over two lines keeps its record's cell count
        assert_eq!(where_("a,b,c\n\"x\ny\",2,\"z\n"), vec![(Oddity::Unclosed, 3, 3, 6)]);
        assert_eq!(where_("\"a,b\n"), vec![(Oddity::Unclosed, 1, 1, 1)]);
        // reading stops at a quote never closed: the records before it are kept
        let p = read("a,b\n1,2\n3,\"x\n4,5\n");
        assert_eq!((p.records.len(), p.complete), (2, false));
        // spaces around a quoted cell are dropped, not read as text after the quote
        let p = read("a,b\n1, \"x, y\" \n");
        assert!(p.problems.is_empty(), "{p:?}");
        assert_eq!(p.records[1].fields[1].text, "x, y");
        // text after a closing quote keeps the spaces before it; an unclosed quote after spaces is
        // placed at the quote
        let p = read("a,b\n1, \"x\" y\n");
        assert_eq!((p.records[1].fields[1].text.as_str(), p.problems[0].oddity), ("x y", Oddity::TextAfterQuote));
        assert_eq!(where_("a,b\n1,  \"x\n"), vec![(Oddity::Unclosed, 2, 2, 5)]);
        // a CRLF file's line end inside a quoted cell is read as LF, as in an LF file
        assert_eq!(read("a\r\n\"x\r\ny\"\r\n").records[1].fields[0].text, "x\ny");
        // columns count characters, not bytes
        assert_eq!(where_("ф,\"б\"x\n"), vec![(Oddity::TextAfterQuote, 1, 2, 6)]);
    }

    #[test]
    fn blank_lines_are_not_records_but_a_quoted_empty_field_is() {
        let p = read("a\n\n   \n\"\"\n");
        assert_eq!(p.records.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 4]);
    }
}
