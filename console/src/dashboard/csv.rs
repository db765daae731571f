//! CSV as RFC 4180 says (CRLF line ends, a field with `,` `"` CR or LF in double quotes,
//! `"` doubled), and safe to open in a spreadsheet: a text value that starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return would be read as a formula (CSV injection, OWASP),
//! so it gets a leading `'`. Numbers are written as numbers.

/// One field, quoted when needed.
pub fn field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// A text value made safe from formula injection.
pub fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// One record.
pub fn record<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, f);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_defuses() {
        let mut s = String::new();
        record(&mut s, ["plain", "a,b", "say \"hi\"", "two\nlines"]);
        assert_eq!(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("+1"), "'+1");
        assert_eq!(text("-2"), "'-2");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("fine = ok"), "fine = ok");
    }
}
