//! ECMA-262 patterns on the `regex` crate: a translator from ECMA syntax and semantics to
//! `regex` syntax, so every `pattern` runs on a linear-time engine (catastrophic backtracking
//! is impossible by construction).
//!
//! What differs and is translated: `\d`, `\w`, `\b` and `\s` are ASCII (and ECMA's own
//! whitespace set) in ECMA but Unicode in `regex`; `.` excludes all four ECMA line terminators;
//! `\cX`, `\uXXXX` (and surrogate pairs), `\u{...}`, `\0`; `[^]` and `[]`; a `{` that does not
//! start a quantifier is a literal; `[` inside a class is a literal.
//!
//! What `regex` cannot do, by design, is reported as a compile error: backreferences (`\1`,
//! `\k<name>`) and lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`). A backtracking fallback (the
//! `regress` crate implements ECMA exactly) would accept them, at the price of exponential
//! worst cases on hostile patterns or inputs; a validator that runs untrusted schemas should not
//! pay that by default, so the fallback is left to a future opt-in flag.

use std::sync::Arc;

/// ECMA `\s`: the `WhiteSpace` and `LineTerminator` code points.
const SPACE: &str = r"\t\n\x{0B}\x{0C}\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";

/// Translates and compiles an ECMA-262 pattern.
pub(crate) fn compile(pattern: &str) -> Result<regex::Regex, String> {
    let translated = translate(pattern, false)?;
    build(&translated)
}

/// A compiled schema pattern. Literal patterns (`^x-`, `json`), common in `patternProperties`,
/// skip the regex engine: a search costs more to set up than a `starts_with`. A clone (one per
/// keyword of a pattern a schema repeats: FHIR has 398 `pattern`s, 16 distinct) allocates
/// nothing: cloning a `regex::Regex` builds it a new cache pool, which cost more than compiling
/// the keyword.
#[derive(Debug, Clone)]
pub(crate) enum Pattern {
    /// `^literal`
    Prefix(Arc<str>),
    /// `^literal$`
    Exact(Arc<str>),
    /// `literal$`
    Suffix(Arc<str>),
    /// `literal`, searched anywhere.
    Contains(Arc<str>),
    /// `^X+$`, `^X*$` or `^X{m,n}$` for one class `X` (FHIR's `^[ \r\n\t\S]+$`, `^\S*$`):
    /// an ASCII string is checked byte by byte against the class's ASCII members, found by
    /// running the translated class itself on each ASCII character; other strings go to
    /// the regex.
    AsciiRun(Arc<AsciiRun>),
    /// Any other pattern whose lazy DFA fits a small table over ASCII (FHIR's `date`, `code`):
    /// an ASCII string is read through the table, others go to the regex.
    Table(Arc<crate::ascii_dfa::AsciiDfa>, Arc<regex::Regex>),
    Regex(Arc<regex::Regex>),
}

#[derive(Debug, Clone)]
pub(crate) struct AsciiRun {
    /// Whether the class matches each ASCII character: a load per byte (a bit set of 128
    /// took a 128-bit shift per byte).
    table: [bool; 128],
    /// The longest range of ASCII every byte of which is a member (all graphic characters for
    /// FHIR's `^[ \r\n\t\S]+$`, `^\S*$`; `x` for `^x*$`): checked 16 bytes at a time, the
    /// table takes over from the first byte outside it.
    fast: Option<(u8, u8)>,
    min: usize,
    max: usize,
    regex: regex::Regex,
}

impl AsciiRun {
    fn new(members: u128, min: usize, max: usize, regex: regex::Regex) -> AsciiRun {
        let member = |c: u8| members >> c & 1 == 1;
        // The longest range of members (`x` for `^x*$`, the graphic characters for `\S`).
        let mut fast: Option<(u8, u8)> = None;
        let mut low = 0u8;
        while low < 0x80 {
            if !member(low) {
                low += 1;
                continue;
            }
            let mut high = low;
            while high < 0x7f && member(high + 1) {
                high += 1;
            }
            if fast.is_none_or(|(l, h)| high - low > h - l) {
                fast = Some((low, high));
            }
            low = high + 1;
        }
        AsciiRun {
            table: std::array::from_fn(|c| members >> c & 1 == 1),
            fast,
            min,
            max,
            regex,
        }
    }

    /// Whether the string matches: decided here for ASCII, or for a string with an ASCII
    /// non-member before its first non-ASCII byte (the class cannot match that character
    /// wherever it is); the regex decides the rest.
    fn is_match(&self, s: &str) -> bool {
        let bytes = s.as_bytes();
        let start = self.fast.map_or(0, |(low, high)| {
            crate::scan::ascii_range_prefix(bytes, low, high)
        });
        for &b in &bytes[start..] {
            if b >= 0x80 {
                return self.regex.is_match(s);
            }
            if !self.table[usize::from(b)] {
                return false;
            }
        }
        // ASCII: a character is a byte and a UTF-16 unit, so the length is the count.
        (self.min..=self.max).contains(&bytes.len())
    }
}

impl Pattern {
    /// Compiles (and so checks) `pattern`, keeping a literal one (see [`literal`]) as a
    /// string. A literal is valid syntax whatever it holds, so it builds no regex: building one
    /// cost more than the rest of compiling a small schema with `"^x-"` patterns (Swagger's).
    pub(crate) fn new(pattern: &str) -> Result<Pattern, String> {
        let (start, rest) = match pattern.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        if let Some((text, end)) = literal(rest) {
            let text: Arc<str> = text.into();
            return Ok(match (start, end) {
                (true, false) => Pattern::Prefix(text),
                (true, true) => Pattern::Exact(text),
                (false, true) => Pattern::Suffix(text),
                (false, false) => Pattern::Contains(text),
            });
        }
        let translated = translate(pattern, false)?;
        let regex = build(&translated)?;
        Ok(match ascii_run(pattern) {
            Some((members, min, max)) => {
                Pattern::AsciiRun(Arc::new(AsciiRun::new(members, min, max, regex)))
            }
            None => match crate::ascii_dfa::AsciiDfa::new(&translated, SIZE_LIMIT) {
                Some(table) => Pattern::Table(Arc::new(table), Arc::new(regex)),
                None => Pattern::Regex(Arc::new(regex)),
            },
        })
    }

    #[inline]
    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self {
            // Inline word compares: `starts_with` calls `memcmp`, a tenth of the member pass
            // of an API document whose every object has `"^x-"` patterns.
            Pattern::Prefix(p) => {
                s.len() >= p.len()
                    && crate::keywords::names::same(&s.as_bytes()[..p.len()], p.as_bytes())
            }
            Pattern::Exact(p) => s == &**p,
            Pattern::Suffix(p) => s.ends_with(&**p),
            Pattern::Contains(p) => s.contains(&**p),
            Pattern::AsciiRun(run) => run.is_match(s),
            Pattern::Table(table, r) => table
                .is_match(s.as_bytes())
                .unwrap_or_else(|| r.is_match(s)),
            Pattern::Regex(r) => r.is_match(s),
        }
    }
}

/// ECMA's syntax characters: escaped, each stands for itself (and `regex` accepts the same
/// escapes); unescaped, none is a literal this module recognises.
const SYNTAX: &[u8] = b"^$\\.*+?()[]{}|/-";

/// `body` (after any `^`) as the literal it matches, and whether it ends with `$`: printable
/// ASCII other than syntax characters, and syntax characters escaped. Without the multiline
/// flag (schemas have no flags) `$` matches only at the end of the input, in ECMA and in the
/// translation alike; ASCII bytes never occur inside a multi-byte UTF-8 character, so a byte
/// search answers as a UTF-16 one does.
fn literal(body: &str) -> Option<(String, bool)> {
    let bytes = body.as_bytes();
    let mut text = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let e = *bytes.get(i + 1)?;
                if !SYNTAX.contains(&e) {
                    return None;
                }
                text.push(char::from(e));
                i += 2;
            }
            b'$' if i + 1 == bytes.len() => return Some((text, true)),
            b @ 0x20..=0x7e if !SYNTAX.contains(&b) || b == b'-' || b == b'/' => {
                text.push(char::from(b));
                i += 1;
            }
            _ => return None,
        }
    }
    Some((text, false))
}

/// For `^X+$`, `^X*$`, `^X{m}$`, `^X{m,}$`, `^X{m,n}$` with `X` a class (`[...]`, `\S`, `.`,
/// ...): the ASCII characters `X` matches (as a bit set) and the length bounds.
fn ascii_run(pattern: &str) -> Option<(u128, usize, usize)> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let bytes = body.as_bytes();
    let atom_end = match bytes.first()? {
        b'[' => {
            let mut i = 1;
            if bytes.get(i) == Some(&b'^') {
                i += 1;
            }
            // `[]` and `[^]` are ECMA's own: left to the regex.
            if bytes.get(i) == Some(&b']') {
                return None;
            }
            loop {
                match bytes.get(i)? {
                    b'\\' => i += 2,
                    b']' => break i + 1,
                    b'[' => return None,
                    _ => i += 1,
                }
            }
        }
        b'\\' if matches!(bytes.get(1)?, b'S' | b's' | b'D' | b'd' | b'W' | b'w') => 2,
        b'.' => 1,
        b'\\' if SYNTAX.contains(bytes.get(1)?) => 2,
        b @ 0x20..=0x7e if !SYNTAX.contains(b) => 1,
        _ => return None,
    };
    let (atom, quantifier) = body.split_at(atom_end);
    let (min, max) = match quantifier {
        "+" => (1, usize::MAX),
        "*" => (0, usize::MAX),
        _ => {
            let inner = quantifier.strip_prefix('{')?.strip_suffix('}')?;
            let number = |s: &str| {
                (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse::<usize>().ok())
                    .flatten()
            };
            match inner.split_once(',') {
                None => (number(inner)?, number(inner)?),
                Some((low, "")) => (number(low)?, usize::MAX),
                Some((low, high)) => (number(low)?, number(high)?),
            }
        }
    };
    if min > max {
        return None;
    }
    let one = compile(&format!("^{atom}$")).ok()?;
    let mut members = 0u128;
    for c in 0u8..128 {
        if one.is_match(char::from(c).encode_utf8(&mut [0; 4])) {
            members |= 1 << c;
        }
    }
    Some((members, min, max))
}

/// The compiled-program size limit of a pattern.
const SIZE_LIMIT: usize = 50 << 20;

fn build(translated: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(translated)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

/// Is `pattern` valid ECMA-262 syntax? (The `regex` format: lookaround and backreferences are
/// valid ECMA even though [`compile`] refuses to run them.)
pub(crate) fn is_valid_syntax(pattern: &str) -> bool {
    translate(pattern, true).is_ok_and(|t| build(&t).is_ok())
}

/// Translates an ECMA-262 pattern to `regex` syntax. With `syntax_only`, constructs `regex`
/// cannot run (lookaround, backreferences) become empty groups, so the rest is still checked.
pub(crate) fn translate(pattern: &str, syntax_only: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut i = 0;
    let mut in_class = false;
    let mut class_start = false;
    while i < chars.len() {
        let c = chars[i];
        let first_in_class = class_start;
        class_start = false;
        match c {
            '\\' => {
                i += 1;
                let Some(&e) = chars.get(i) else {
                    return Err("pattern ends with a lone backslash".into());
                };
                i = escape(&chars, i, e, in_class, syntax_only, &mut out)?;
                continue;
            }
            '[' if !in_class => {
                if chars.get(i + 1) == Some(&'^') && chars.get(i + 2) == Some(&']') {
                    out.push_str(r"[\x{0}-\x{10FFFF}]");
                    i += 3;
                    continue;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push_str(r"[^\x{0}-\x{10FFFF}]");
                    i += 2;
                    continue;
                }
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                    class_start = true;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.get(i + 1) == Some(&'-') => out.push_str(r"\-"),
            ']' if first_in_class => out.push_str(r"\]"),
            '.' if !in_class => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                let rest: String = chars[i + 1..chars.len().min(i + 4)].iter().collect();
                let lookbehind = rest.starts_with("?<=") || rest.starts_with("?<!");
                if rest.starts_with("?=") || rest.starts_with("?!") || lookbehind {
                    if !syntax_only {
                        return Err(
                            "lookaround assertions are not supported (linear-time engine)".into(),
                        );
                    }
                    out.push_str("(?:");
                    i += if lookbehind { 4 } else { 3 };
                    continue;
                }
                if !rest.starts_with("?:") && !group_name(&chars[i + 2..]) {
                    return Err(
                        "only (?:...), (?<name>...) and lookaround groups exist in ECMA 262".into(),
                    );
                }
                out.push('(');
            }
            '{' if !in_class => {
                if let Some(end) = quantifier_end(&chars, i) {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    continue;
                }
                out.push_str(r"\{");
            }
            '}' if !in_class => out.push_str(r"\}"),
            c => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err("unterminated character class".into());
    }
    Ok(out)
}

/// Does `rest` (after `(?`) start with `<name>`?
fn group_name(rest: &[char]) -> bool {
    if rest.first() != Some(&'<') {
        return false;
    }
    let Some(end) = rest.iter().position(|&c| c == '>') else {
        return false;
    };
    end > 1
        && rest[1..end]
            .iter()
            .all(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
}

/// `{n}`, `{n,}` or `{n,m}` starting at `start`: index of the closing brace.
fn quantifier_end(chars: &[char], start: usize) -> Option<usize> {
    let mut j = start + 1;
    let digits = |j: &mut usize| {
        let s = *j;
        while chars.get(*j).is_some_and(char::is_ascii_digit) {
            *j += 1;
        }
        *j > s
    };
    if !digits(&mut j) {
        return None;
    }
    if chars.get(j) == Some(&',') {
        j += 1;
        digits(&mut j);
    }
    (chars.get(j) == Some(&'}')).then_some(j)
}

fn hex(chars: &[char], from: usize, n: usize) -> Option<u32> {
    if from + n > chars.len() {
        return None;
    }
    let s: String = chars[from..from + n].iter().collect();
    if !s.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(&s, 16).ok()
}

fn push_class(out: &mut String, set: &str, negated: bool, in_class: bool) {
    if in_class && !negated {
        out.push_str(set);
    } else {
        out.push('[');
        if negated {
            out.push('^');
        }
        out.push_str(set);
        out.push(']');
    }
}

fn push_char(out: &mut String, c: u32) {
    use std::fmt::Write;
    let _ = write!(out, r"\x{{{c:X}}}");
}

#[expect(clippy::too_many_lines, reason = "one arm per ECMA escape")]
/// Translates the escape whose letter `e` is at `i`; returns the index after it.
fn escape(
    chars: &[char],
    i: usize,
    e: char,
    in_class: bool,
    syntax_only: bool,
    out: &mut String,
) -> Result<usize, String> {
    let next = i + 1;
    match e {
        'd' => push_class(out, DIGIT, false, in_class),
        'D' => push_class(out, DIGIT, true, in_class),
        'w' => push_class(out, WORD, false, in_class),
        'W' => push_class(out, WORD, true, in_class),
        's' => push_class(out, SPACE, false, in_class),
        'S' => push_class(out, SPACE, true, in_class),
        'b' if in_class => push_char(out, 8),
        'b' => out.push_str(r"(?-u:\b)"),
        'B' if !in_class => out.push_str(r"(?-u:\B)"),
        't' | 'n' | 'r' | 'f' | 'v' => {
            out.push('\\');
            out.push(e);
        }
        'c' => {
            let Some(letter) = chars.get(next).filter(|c| c.is_ascii_alphabetic()) else {
                return Err(r"\c must be followed by a letter".into());
            };
            push_char(out, (*letter as u32) % 32);
            return Ok(next + 1);
        }
        '0' if !chars.get(next).is_some_and(char::is_ascii_digit) => push_char(out, 0),
        '1'..='9' if !in_class => {
            if !syntax_only {
                return Err("backreferences are not supported (linear-time engine)".into());
            }
            let digits = chars[next..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            out.push_str("(?:)");
            return Ok(next + digits);
        }
        'k' if !in_class && chars.get(next) == Some(&'<') => {
            if !syntax_only {
                return Err("named backreferences are not supported (linear-time engine)".into());
            }
            let end = chars[next..]
                .iter()
                .position(|&c| c == '>')
                .ok_or("unterminated \\k<name>")?;
            out.push_str("(?:)");
            return Ok(next + end + 1);
        }
        'x' => {
            let v = hex(chars, next, 2).ok_or(r"\x must be followed by two hex digits")?;
            push_char(out, v);
            return Ok(next + 2);
        }
        'u' => {
            if chars.get(next) == Some(&'{') {
                let end = chars[next..]
                    .iter()
                    .position(|&c| c == '}')
                    .ok_or(r"unterminated \u{")?;
                let v = hex(chars, next + 1, end - 1).ok_or(r"invalid \u{...} escape")?;
                if char::from_u32(v).is_none() {
                    return Err(r"\u{...} is not a scalar value".into());
                }
                push_char(out, v);
                return Ok(next + end + 1);
            }
            let v = hex(chars, next, 4).ok_or(r"\u must be followed by four hex digits")?;
            let mut after = next + 4;
            let mut code = v;
            if (0xD800..0xDC00).contains(&v)
                && chars.get(after) == Some(&'\\')
                && chars.get(after + 1) == Some(&'u')
            {
                if let Some(low) = hex(chars, after + 2, 4).filter(|l| (0xDC00..0xE000).contains(l))
                {
                    code = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
                    after += 6;
                }
            }
            if char::from_u32(code).is_none() {
                return Err("lone surrogates cannot be matched in UTF-8 text".into());
            }
            push_char(out, code);
            return Ok(after);
        }
        'p' | 'P' => {
            if chars.get(next) != Some(&'{') {
                return Err(format!(r"\{e} must be followed by {{...}}"));
            }
            let end = chars[next..]
                .iter()
                .position(|&c| c == '}')
                .ok_or("unterminated property escape")?;
            out.push('\\');
            out.push(e);
            out.extend(&chars[next..=next + end]);
            return Ok(next + end + 1);
        }
        '-' if in_class => out.push_str(r"\-"),
        c if c.is_ascii_alphanumeric() || c == '_' => {
            return Err(format!(
                r"\{c} is not a valid escape in ECMA 262 regular expressions"
            ));
        }
        '/' => out.push('/'),
        c if c.is_ascii_punctuation() => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        compile(pattern).unwrap().is_match(text)
    }

    #[test]
    fn literal_patterns_match_like_the_regex() {
        for pattern in [
            "^x-",
            "^",
            "",
            "json",
            "^a b/c:d@e_f",
            "^x-.*",
            "x$",
            "^\\d",
        ] {
            let fast = Pattern::new(pattern).unwrap();
            for text in [
                "",
                "x-",
                "x-y",
                "ax-",
                "json",
                "a json b",
                "a b/c:d@e_f!",
                "x",
                "1",
            ] {
                assert_eq!(
                    fast.is_match(text),
                    matches(pattern, text),
                    "{pattern} {text}"
                );
            }
        }
        assert!(matches!(Pattern::new("^x-").unwrap(), Pattern::Prefix(_)));
        assert!(matches!(Pattern::new("^x-.*").unwrap(), Pattern::Table(..)));
    }

    /// Each literal shape (with ECMA escapes) and each literal-character run answers as the
    /// regex on ASCII and non-ASCII text, newlines included.
    #[test]
    fn literal_shapes_match_like_the_regex() {
        let texts = [
            "",
            "abc",
            "abc\n",
            "\nabc",
            "xabc",
            "abcx",
            "ab",
            "a.b",
            "a$b",
            "$ref",
            "x-y",
            "\u{e9}abc",
            "abc\u{e9}",
            "a\u{e9}c",
            "ABC",
            "x",
            "xx",
            "xxx\n",
            "\u{e9}",
            "a/b",
            "(a)",
            "a+b",
            "\\",
        ];
        for (pattern, shape) in [
            ("^abc$", "Exact"),
            ("^$", "Exact"),
            ("abc$", "Suffix"),
            ("$", "Suffix"),
            (r"^\$ref", "Prefix"),
            (r"^a\.b$", "Exact"),
            (r"a\$b", "Contains"),
            (r"\(a\)", "Contains"),
            (r"a\+b$", "Suffix"),
            (r"^a/b$", "Exact"),
            (r"\\", "Contains"),
            ("^x*$", "AsciiRun"),
            ("^x+$", "AsciiRun"),
            ("^x{2,3}$", "AsciiRun"),
            (r"^\.*$", "AsciiRun"),
        ] {
            let fast = Pattern::new(pattern).unwrap();
            let got = match fast {
                Pattern::Prefix(_) => "Prefix",
                Pattern::Exact(_) => "Exact",
                Pattern::Suffix(_) => "Suffix",
                Pattern::Contains(_) => "Contains",
                Pattern::AsciiRun(_) => "AsciiRun",
                Pattern::Table(..) | Pattern::Regex(_) => "regex",
            };
            assert_eq!(got, shape, "{pattern}");
            for text in texts {
                assert_eq!(
                    fast.is_match(text),
                    matches(pattern, text),
                    "{pattern} {text:?}"
                );
            }
            let long = "x".repeat(100);
            assert_eq!(fast.is_match(&long), matches(pattern, &long), "{pattern}");
        }
        // Not literals: left to the regex (or refused as it refuses them).
        for pattern in ["^a$b", r"^\w", "^a.c$", r"^\<", "a|b", "^a?$", r"^\u00e9$"] {
            assert!(
                !matches!(
                    Pattern::new(pattern),
                    Ok(Pattern::Prefix(_)
                        | Pattern::Exact(_)
                        | Pattern::Suffix(_)
                        | Pattern::Contains(_))
                ),
                "{pattern}"
            );
        }
    }

    /// Literal patterns build no regex: that is right only if every literal is valid syntax,
    /// and if what is not a literal is still checked.
    #[test]
    fn literal_patterns_skip_only_valid_regexes() {
        let members: Vec<char> = (0u8..128)
            .filter(|b| b.is_ascii_alphanumeric() || b"-_ /:@".contains(b))
            .map(char::from)
            .collect();
        for c in &members {
            for pattern in [format!("{c}"), format!("^{c}"), format!("{c}{c}-{c}")] {
                assert!(compile(&pattern).is_ok(), "{pattern}");
                assert!(Pattern::new(&pattern).is_ok(), "{pattern}");
            }
        }
        let all: String = members.iter().collect();
        assert!(matches!(Pattern::new(&all), Ok(Pattern::Contains(_))));
        assert!(compile(&all).is_ok());
        for invalid in ["^x-(", "x(", "^a[", "(?=a)", "^x-\\1"] {
            assert!(Pattern::new(invalid).is_err(), "{invalid}");
        }
    }

    #[test]
    fn ascii_runs_match_like_the_regex() {
        let texts: Vec<String> = [
            "",
            "a",
            "abc",
            " ",
            "a b",
            "\t",
            "\n",
            "\r",
            "\x0b",
            "\x0c",
            "A-.9",
            "-",
            "x\u{e9}",
            "\u{a0}",
            "\u{2028}",
            "\u{feff}a",
            "\u{1F600}",
            "]",
            "\\",
            "^",
            "aaaaaaaa",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .chain((0u8..128).map(|c| char::from(c).to_string()))
        .chain([64, 65, 66].map(|n| "a".repeat(n)))
        // A control character at each offset of two words, and DEL.
        .chain((0..17).flat_map(|at| {
            ["\t", "\x01", "\x1f", "\x7f", " "]
                .map(|c| format!("{}{c}{}", "b".repeat(at), "c".repeat(9)))
        }))
        // Three 16-byte blocks with one character out of the fast range at each offset, and
        // an ASCII non-member before or after a non-ASCII character.
        .chain((0..48).flat_map(|at| {
            [
                "\t", " ", "\x7f", "~", "\u{e9}", "\u{e9} ", " \u{e9}", "\u{3000}",
            ]
            .map(|c| format!("{}{c}{}", "x".repeat(at), "y".repeat(48 - at)))
        }))
        .collect();
        for pattern in [
            r"^[ \r\n\t\S]+$",
            r"^\S*$",
            r"^[A-Za-z0-9\-\.]{1,64}$",
            r"^\d{3}$",
            r"^\w{2,}$",
            r"^.+$",
            r"^[^\]\\]*$",
            r"^[\^a]{0,1}$",
            r"^\s+$",
            r"^[\u0041-\u0043]+$",
            r"^[!-~]+$",
            r"^[ -~]{2,40}$",
            r"^[^\s]*$",
        ] {
            let fast = Pattern::new(pattern).unwrap();
            assert!(matches!(fast, Pattern::AsciiRun(_)), "{pattern}");
            for text in &texts {
                assert_eq!(
                    fast.is_match(text),
                    matches(pattern, text),
                    "{pattern} {text:?}"
                );
            }
        }
        for pattern in [
            "^[]+$",
            "^[^]*$",
            "^[a][b]+$",
            "^ab+$",
            "^[a]+?$",
            "^[a]+",
            "^[a]{2,1}",
        ] {
            assert!(
                !matches!(Pattern::new(pattern), Ok(Pattern::AsciiRun(_))),
                "{pattern}"
            );
        }
    }

    #[test]
    fn ascii_classes_like_ecma() {
        assert!(matches(r"^\d$", "7"));
        assert!(!matches(r"^\d$", "\u{09EA}"));
        assert!(!matches(r"^\w$", "\u{e9}"));
        assert!(matches(r"^\s$", "\u{FEFF}"));
        assert!(matches(r"^[\s]$", "\u{2029}"));
        assert!(matches(r"^[^\d]$", "a"));
        assert!(matches(r"^[\D]$", "a"));
    }

    #[test]
    fn ecma_only_syntax() {
        assert!(matches(r"^\cJ$", "\n"));
        assert!(matches(r"^\u00e9$", "\u{e9}"));
        assert!(matches(r"^\ud83d\ude00$", "\u{1F600}"));
        assert!(matches("^[^]$", "\n"));
        assert!(!matches("[]", "a"));
        assert!(matches("a{", "a{"));
        assert!(matches("^a{2}$", "aa"));
        assert!(!matches("^.$", "\u{2028}"));
        assert!(matches(r"\p{Letter}", "\u{e9}"));
    }

    #[test]
    fn unsupported_is_a_clear_error() {
        assert!(compile(r"(a)\1").unwrap_err().contains("backreferences"));
        assert!(compile("a(?=b)").unwrap_err().contains("lookaround"));
        assert!(compile(r"\a").is_err());
        assert!(compile("[a").is_err());
        assert!(compile("(?i)a").is_err() && compile("(?P<n>a)").is_err());
        assert!(is_valid_syntax(r"(?<n>a)\k<n>") && is_valid_syntax("(?<=a+)b"));
        assert!(!is_valid_syntax("(?#comment)a") && !is_valid_syntax(r"\a"));
    }
}
