//! Format checkers, one function per format of the JSON Schema Test Suite's
//! `optional/format`, following the RFCs each format names (python-jsonschema with all its
//! optional format dependencies installed follows the same RFCs).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use crate::draft::Draft;

mod idn;

/// A format check on a string.
pub(crate) type Checker = fn(&str) -> bool;

/// The checker for a format name (`None`: unknown, always valid).
pub(crate) fn checker(name: &str, draft: Draft) -> Option<Checker> {
    Some(match name {
        // Drafts 4 and 6 name RFC 1123 alone: `ab--cd` is a plain label there.
        "hostname" if draft <= Draft::Draft6 => |s| hostname_with(s, false),
        "date" => date,
        "time" => time,
        "date-time" => date_time,
        "duration" => duration,
        "email" => |s| email(s, false),
        "idn-email" => |s| email(s, true),
        "hostname" => hostname,
        "idn-hostname" => idn::idn_hostname,
        "ipv4" => ipv4,
        "ipv6" => ipv6,
        "uri" => |s| uri(s, false, false),
        "uri-reference" => |s| uri(s, false, true),
        "iri" => |s| uri(s, true, false),
        "iri-reference" => |s| uri(s, true, true),
        "uri-template" => uri_template,
        "json-pointer" => json_pointer,
        "relative-json-pointer" => relative_json_pointer,
        "uuid" => uuid,
        "regex" => crate::ecma::is_valid_syntax,
        _ => return None,
    })
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// RFC 3339 `full-date`.
fn date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (digits(&s[0..4]), digits(&s[5..7]), digits(&s[8..10]))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `full-time`, with leap seconds only at 23:59:60 UTC.
fn time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&s[0..2]), digits(&s[3..5]), digits(&s[6..8]))
    else {
        return false;
    };
    let mut rest = &s[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    let offset_minutes: i64 = match rest {
        "Z" | "z" => 0,
        _ => {
            let ob = rest.as_bytes();
            if ob.len() != 6 || !matches!(ob[0], b'+' | b'-') || ob[3] != b':' {
                return false;
            }
            let (Some(oh), Some(om)) = (digits(&rest[1..3]), digits(&rest[4..6])) else {
                return false;
            };
            if oh > 23 || om > 59 {
                return false;
            }
            let m = i64::from(oh * 60 + om);
            if ob[0] == b'+' { m } else { -m }
        }
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    if second == 60 {
        let utc = (i64::from(hour * 60 + minute) - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

fn date_time(s: &str) -> bool {
    s.len() > 11
        && s.is_char_boundary(10)
        && matches!(s.as_bytes()[10], b'T' | b't')
        && date(&s[..10])
        && time(&s[11..])
}

fn regex(cell: &'static OnceLock<regex::Regex>, pattern: &str) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(pattern).expect("built-in format regexes compile"))
}

/// RFC 3339 appendix A `duration` (ISO 8601 subset, no fractions).
fn duration(s: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    const TIME: &str = "T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)";
    let pattern = format!(
        "^P(?:[0-9]+W|(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)(?:{TIME})?|{TIME})$"
    );
    regex(&RE, &pattern).is_match(s)
}

/// RFC 5321 mailbox (RFC 6531 with `idn`): dot-atom or quoted local part, and a hostname or
/// an address literal.
fn email(s: &str, idn: bool) -> bool {
    let Some(at) = s.rfind('@') else { return false };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || domain.is_empty() {
        return false;
    }
    let local_ok = if let Some(inner) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        let mut chars = inner.chars();
        let mut ok = true;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if !chars
                        .next()
                        .is_some_and(|n| (' '..='~').contains(&n) || (idn && !n.is_ascii()))
                    {
                        ok = false;
                    }
                }
                '"' => ok = false,
                c if (' '..='~').contains(&c) => {}
                c => ok &= idn && !c.is_ascii(),
            }
        }
        ok
    } else {
        local.split('.').all(|atom| {
            !atom.is_empty()
                && atom.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || "!#$%&'*+-/=?^_`{|}~".contains(c)
                        || (idn && !c.is_ascii())
                })
        })
    };
    if !local_ok {
        return false;
    }
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return match literal.strip_prefix("IPv6:") {
            Some(v6) => ipv6(v6),
            None => ipv4(literal),
        };
    }
    if idn {
        idn::idn_hostname(domain)
    } else {
        hostname(domain)
    }
}

/// RFC 1123 host names; `xn--` labels must be valid IDNA2008 A-labels.
fn hostname(s: &str) -> bool {
    hostname_with(s, true)
}

fn hostname_with(s: &str, idna: bool) -> bool {
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    s.split('.').all(|label| {
        let b = label.as_bytes();
        if b.is_empty()
            || b.len() > 63
            || b[0] == b'-'
            || b[b.len() - 1] == b'-'
            || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            return false;
        }
        if idna && b.len() >= 4 && b[2] == b'-' && b[3] == b'-' {
            return label.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("xn"))
                && idn::a_label(label, s);
        }
        true
    })
}

fn ipv4(s: &str) -> bool {
    // std rejects leading zeros, signs, short forms and non-ASCII digits, as RFC 2673 does.
    s.parse::<Ipv4Addr>().is_ok()
}

fn ipv6(s: &str) -> bool {
    s.parse::<Ipv6Addr>().is_ok()
}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~".contains(c)
}

fn is_sub_delim(c: char) -> bool {
    "!$&'()*+,;=".contains(c)
}

/// RFC 3987 `ucschar`.
fn is_ucschar(c: char) -> bool {
    let c = c as u32;
    matches!(c, 0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF | 0xE1000..=0xEFFFD)
        || ((0x10000..=0xDFFFD).contains(&c) && (c & 0xFFFF) <= 0xFFFD)
}

/// RFC 3987 `iprivate`.
fn is_iprivate(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x10_0000..=0x10_FFFD)
}

/// Checks characters against `allowed`, accepting `%XX` escapes.
fn chars_ok(s: &str, allowed: impl Fn(char) -> bool) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            let (Some(a), Some(b)) = (chars.next(), chars.next()) else {
                return false;
            };
            if !a.is_ascii_hexdigit() || !b.is_ascii_hexdigit() {
                return false;
            }
        } else if !allowed(c) {
            return false;
        }
    }
    true
}

/// RFC 3986 `URI` / `URI-reference`, RFC 3987 `IRI` / `IRI-reference`.
fn uri(s: &str, iri: bool, reference: bool) -> bool {
    let uc = |c: char| iri && is_ucschar(c);
    let pchar = |c: char| is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || uc(c);
    let (rest, fragment) = match s.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (s, None),
    };
    if let Some(f) = fragment {
        if !chars_ok(f, |c| pchar(c) || c == '/' || c == '?') {
            return false;
        }
    }
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    if let Some(q) = query {
        if !chars_ok(q, |c| {
            pchar(c) || c == '/' || c == '?' || (iri && is_iprivate(c))
        }) {
            return false;
        }
    }
    let scheme_end = rest.find(':').filter(|&i| !rest[..i].contains('/'));
    let (has_scheme, rest) = match scheme_end {
        Some(i) => {
            let scheme = &rest[..i];
            let mut sc = scheme.chars();
            let valid = sc.next().is_some_and(|c| c.is_ascii_alphabetic())
                && sc.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            if !valid {
                if !reference {
                    return false;
                }
                // Not a scheme: a relative path whose first segment has a colon.
                return false;
            }
            (true, &rest[i + 1..])
        }
        None => (false, rest),
    };
    if !has_scheme && !reference {
        return false;
    }
    let path = if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        if !authority(&after[..end], iri) {
            return false;
        }
        &after[end..]
    } else {
        rest
    };
    chars_ok(path, |c| pchar(c) || c == '/')
}

fn authority(a: &str, iri: bool) -> bool {
    let (userinfo, hostport) = match a.rfind('@') {
        Some(i) => (Some(&a[..i]), &a[i + 1..]),
        None => (None, a),
    };
    if let Some(u) = userinfo {
        if !chars_ok(u, |c| {
            is_unreserved(c) || is_sub_delim(c) || c == ':' || (iri && is_ucschar(c))
        }) {
            return false;
        }
    }
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return false;
        };
        let literal = &inner[..close];
        let ok = if literal.starts_with(['v', 'V']) {
            literal[1..].split_once('.').is_some_and(|(ver, rest)| {
                !ver.is_empty()
                    && ver.chars().all(|c| c.is_ascii_hexdigit())
                    && !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| is_unreserved(c) || is_sub_delim(c) || c == ':')
            })
        } else {
            ipv6(literal)
        };
        if !ok {
            return false;
        }
        let after = &inner[close + 1..];
        match after.strip_prefix(':') {
            Some(p) => ("", Some(p)),
            None if after.is_empty() => ("", None),
            None => return false,
        }
    } else {
        match hostport.rfind(':') {
            Some(i) => (&hostport[..i], Some(&hostport[i + 1..])),
            None => (hostport, None),
        }
    };
    if let Some(p) = port {
        if !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    chars_ok(host, |c| {
        is_unreserved(c) || is_sub_delim(c) || (iri && is_ucschar(c))
    })
}

/// RFC 6570 URI Template syntax (level 4).
fn uri_template(s: &str) -> bool {
    let mut rest = s;
    loop {
        let end = rest.find(['{', '}']).unwrap_or(rest.len());
        let literal = &rest[..end];
        let literal_ok = chars_ok(literal, |c| {
            !(c.is_control() || " \"<>\\^`|".contains(c)) && (!c.is_ascii() || c.is_ascii_graphic())
        });
        if !literal_ok {
            return false;
        }
        rest = &rest[end..];
        if rest.is_empty() {
            return true;
        }
        if rest.starts_with('}') {
            return false;
        }
        let Some(close) = rest.find('}') else {
            return false;
        };
        if !expression(&rest[1..close]) {
            return false;
        }
        rest = &rest[close + 1..];
    }
}

fn expression(e: &str) -> bool {
    let e = e
        .strip_prefix(['+', '#', '.', '/', ';', '?', '&'])
        .unwrap_or(e);
    e.split(',').all(|varspec| {
        let (name, modifier) = match varspec.find([':', '*']) {
            Some(i) => (&varspec[..i], Some(&varspec[i..])),
            None => (varspec, None),
        };
        let name_ok = !name.is_empty()
            && name.split('.').all(|part| {
                !part.is_empty() && chars_ok(part, |c| c.is_ascii_alphanumeric() || c == '_')
            });
        let modifier_ok = match modifier {
            None | Some("*") => true,
            Some(m) => m.strip_prefix(':').is_some_and(|n| {
                (1..=4).contains(&n.len())
                    && !n.starts_with('0')
                    && n.bytes().all(|b| b.is_ascii_digit())
            }),
        };
        name_ok && modifier_ok
    })
}

/// RFC 6901.
fn json_pointer(s: &str) -> bool {
    if !(s.is_empty() || s.starts_with('/')) {
        return false;
    }
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// draft-handrews-relative-json-pointer.
fn relative_json_pointer(s: &str) -> bool {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || (n > 1 && s.starts_with('0')) {
        return false;
    }
    let rest = &s[n..];
    rest == "#" || json_pointer(rest)
}

/// RFC 4122 textual form (any version and variant).
fn uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_checks() {
        assert!(date("2020-02-29") && !date("2019-02-29"));
        assert!(time("23:59:60Z") && time("15:59:60-08:00") && !time("22:59:60Z"));
        assert!(duration("P1Y2M3DT4H5M6S") && !duration("P1Y2D") && !duration("PT"));
        assert!(email("\"joe@bloggs\"@example.com", false) && !email("te..st@example.com", false));
        assert!(uri("urn:example:resource", false, false) && !uri("abc", false, false));
        assert!(uri("./this:that", false, true) && !uri("1:b", false, true));
        assert!(uri_template("{v:1000}") && !uri_template("{v:0}"));
        assert!(relative_json_pointer("0#") && !relative_json_pointer("01#"));
    }
}
