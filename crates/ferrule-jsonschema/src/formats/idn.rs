//! Internationalised host names: IDNA2008 (RFC 5890-5893) label rules and RFC 3492 Punycode.
//!
//! IDNA2008's derived property table is approximated from Unicode general categories and
//! scripts (the `regex` crate's tables, so no extra dependency): a code point is PVALID when it
//! is a lower-case or other letter, a mark or a decimal digit, plus the RFC 5892 exception
//! lists; CONTEXTJ and CONTEXTO rules and the Bidi rule are implemented as written, with
//! joining types and bidi classes derived from scripts. What this misses: code points that are
//! letters but change under NFKC case folding (compatibility forms), and NFC checks.

use std::sync::OnceLock;

fn class(cell: &'static OnceLock<regex::Regex>, pattern: &str, c: char) -> bool {
    let re = cell.get_or_init(|| regex::Regex::new(pattern).expect("built-in classes compile"));
    let mut buf = [0u8; 4];
    re.is_match(c.encode_utf8(&mut buf))
}

fn is_mark(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    class(&RE, r"^\p{M}$", c)
}

fn is_letter_like(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    class(&RE, r"^[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]$", c)
}

fn is_greek(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    class(&RE, r"^\p{Greek}$", c)
}

fn is_hebrew(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    class(&RE, r"^\p{Hebrew}$", c)
}

fn is_kana_or_han(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    c != '\u{30FB}' && class(&RE, r"^[\p{Hiragana}\p{Katakana}\p{Han}]$", c)
}

fn is_arabic_like(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    class(
        &RE,
        r"^[\p{Arabic}\p{Syriac}\p{Thaana}\p{Nko}\p{Mandaic}\p{Adlam}\p{Hanifi_Rohingya}]$",
        c,
    )
}

fn is_transparent(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    class(&RE, r"^[\p{Mn}\p{Me}\p{Cf}]$", c)
}

/// Code points with `Canonical_Combining_Class=Virama` (the ZWJ/ZWNJ rules need them).
const VIRAMAS: &[u32] = &[
    0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0DCA,
    0x0E3A, 0x0EBA, 0x0F84, 0x1039, 0x103A, 0x1714, 0x1715, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA,
    0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F, 0xA806, 0xA82C, 0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED,
    0x10A3F, 0x11046, 0x11070, 0x1107F, 0x110B9, 0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA,
    0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F, 0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E,
    0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F, 0x11D44, 0x11D45, 0x11D97,
];

/// RFC 5892 section 2.6 exceptions.
fn exception(c: char) -> Option<bool> {
    match c as u32 {
        0x00DF | 0x03C2 | 0x06FD | 0x06FE | 0x0F0B | 0x3007 => Some(true),
        0x0640 | 0x07FA | 0x302E | 0x302F | 0x3031..=0x3035 | 0x303B => Some(false),
        _ => None,
    }
}

/// Label separators IDNA accepts besides `.`.
fn is_separator(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// Is `label` (non-ASCII, or decoded from an A-label) a valid U-label?
fn u_label(label: &[char]) -> bool {
    let n = label.len();
    if n == 0
        || label[0] == '-'
        || label[n - 1] == '-'
        || (n >= 4 && label[2] == '-' && label[3] == '-')
    {
        return false;
    }
    if is_mark(label[0]) {
        return false;
    }
    let has_arabic_indic = label.iter().any(|c| ('\u{0660}'..='\u{0669}').contains(c));
    let has_extended = label.iter().any(|c| ('\u{06F0}'..='\u{06F9}').contains(c));
    for (i, &c) in label.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| label[j]);
        let after = label.get(i + 1).copied();
        let ok = match c {
            'a'..='z' | '0'..='9' | '-' => true,
            '\u{00B7}' => before == Some('l') && after == Some('l'),
            '\u{0375}' => after.is_some_and(is_greek),
            '\u{05F3}' | '\u{05F4}' => before.is_some_and(is_hebrew),
            '\u{30FB}' => label.iter().any(|&x| is_kana_or_han(x)),
            '\u{0660}'..='\u{0669}' => !has_extended,
            '\u{06F0}'..='\u{06F9}' => !has_arabic_indic,
            '\u{200D}' => before.is_some_and(|b| VIRAMAS.contains(&(b as u32))),
            '\u{200C}' => {
                before.is_some_and(|b| VIRAMAS.contains(&(b as u32))) || zwnj_joins(label, i)
            }
            c if c.is_ascii() => false,
            c => exception(c).unwrap_or_else(|| is_letter_like(c)),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// RFC 5892 appendix A.1's regular expression, joining types approximated by script.
fn zwnj_joins(label: &[char], i: usize) -> bool {
    let joining = |c: char| is_arabic_like(c) && !is_transparent(c);
    let left = label[..i]
        .iter()
        .rev()
        .find(|&&c| !is_transparent(c))
        .is_some_and(|&c| joining(c));
    let right = label[i + 1..]
        .iter()
        .find(|&&c| !is_transparent(c))
        .is_some_and(|&c| joining(c));
    left && right
}

#[derive(Clone, Copy, PartialEq, Eq)]
#[expect(
    clippy::upper_case_acronyms,
    reason = "Unicode's Bidi_Class value names"
)]
enum Bidi {
    L,
    R,
    AL,
    AN,
    EN,
    ES,
    CS,
    ET,
    ON,
    BN,
    NSM,
}

fn bidi(c: char) -> Bidi {
    match c {
        '0'..='9' | '\u{06F0}'..='\u{06F9}' => Bidi::EN,
        '\u{0660}'..='\u{0669}' | '\u{066B}' | '\u{066C}' | '\u{06DD}' => Bidi::AN,
        '+' | '-' => Bidi::ES,
        ',' | '.' | '/' | ':' | '\u{00A0}' => Bidi::CS,
        '#' | '$' | '%' | '\u{00B0}' | '\u{00B1}' => Bidi::ET,
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' => Bidi::BN,
        c if is_mark(c) && !class_mc(c) => Bidi::NSM,
        c if is_hebrew(c) => Bidi::R,
        c if is_arabic_like(c) => Bidi::AL,
        c if c.is_alphanumeric() || class_mc(c) => Bidi::L,
        _ => Bidi::ON,
    }
}

fn class_mc(c: char) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    class(&RE, r"^\p{Mc}$", c)
}

/// RFC 5893 section 2, for one label of a Bidi domain name.
fn bidi_label_ok(label: &[char]) -> bool {
    let classes: Vec<Bidi> = label.iter().map(|&c| bidi(c)).collect();
    let Some(&first) = classes.first() else {
        return true;
    };
    let last = classes.iter().rev().find(|&&b| b != Bidi::NSM).copied();
    match first {
        Bidi::R | Bidi::AL => {
            classes.iter().all(|b| !matches!(b, Bidi::L))
                && matches!(last, Some(Bidi::R | Bidi::AL | Bidi::EN | Bidi::AN))
                && !(classes.contains(&Bidi::EN) && classes.contains(&Bidi::AN))
        }
        Bidi::L => {
            classes.iter().all(|b| {
                matches!(
                    b,
                    Bidi::L
                        | Bidi::EN
                        | Bidi::ES
                        | Bidi::CS
                        | Bidi::ET
                        | Bidi::ON
                        | Bidi::BN
                        | Bidi::NSM
                )
            }) && matches!(last, Some(Bidi::L | Bidi::EN))
        }
        _ => false,
    }
}

fn is_rtl_label(label: &[char]) -> bool {
    label
        .iter()
        .any(|&c| matches!(bidi(c), Bidi::R | Bidi::AL | Bidi::AN))
}

/// Checks an `xn--` label of an otherwise ASCII host name.
pub(super) fn a_label(label: &str, _domain: &str) -> bool {
    let Some(decoded) = decode_a_label(label) else {
        return false;
    };
    u_label(&decoded) && (!is_rtl_label(&decoded) || bidi_label_ok(&decoded))
}

/// The U-label an `xn--` label encodes, if it is a canonical encoding of non-ASCII text.
fn decode_a_label(label: &str) -> Option<Vec<char>> {
    let lower = label.to_ascii_lowercase();
    let rest = lower.strip_prefix("xn--")?;
    let decoded = punycode_decode(rest)?;
    if decoded.iter().all(char::is_ascii) || punycode_encode(&decoded)? != rest {
        return None;
    }
    Some(decoded)
}

/// The `idn-hostname` format.
pub(super) fn idn_hostname(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let mut labels: Vec<Vec<char>> = Vec::new();
    let mut total = 0;
    for raw in s.split(is_separator) {
        if raw.is_empty() {
            return false;
        }
        let chars: Vec<char> = if raw.is_ascii() {
            let b = raw.as_bytes();
            if b.len() > 63
                || b[0] == b'-'
                || b[b.len() - 1] == b'-'
                || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            {
                return false;
            }
            total += b.len() + 1;
            if b.len() >= 4 && b[2] == b'-' && b[3] == b'-' {
                match decode_a_label(raw) {
                    Some(decoded) if u_label(&decoded) => decoded,
                    _ => return false,
                }
            } else {
                raw.chars().collect()
            }
        } else {
            let chars: Vec<char> = raw.chars().collect();
            if !u_label(&chars) {
                return false;
            }
            let Some(encoded) = punycode_encode(&chars) else {
                return false;
            };
            if encoded.len() + 4 > 63 {
                return false;
            }
            total += encoded.len() + 5;
            chars
        };
        labels.push(chars);
    }
    if total - 1 > 253 {
        return false;
    }
    if labels.iter().any(|l| is_rtl_label(l)) {
        return labels.iter().all(|l| bidi_label_ok(l));
    }
    true
}

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
    delta /= if first { DAMP } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

#[expect(clippy::many_single_char_names, reason = "RFC 3492's variable names")]
/// RFC 3492 decoding (of the part after `xn--`).
fn punycode_decode(input: &str) -> Option<Vec<char>> {
    let (basic, extended) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let bytes = extended.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let byte = *bytes.get(pos)?;
            pos += 1;
            let digit = match byte {
                b'a'..=b'z' => u32::from(byte - b'a'),
                b'A'..=b'Z' => u32::from(byte - b'A'),
                b'0'..=b'9' => u32::from(byte - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = output.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        output.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(output)
}

#[expect(clippy::many_single_char_names, reason = "RFC 3492's variable names")]
/// RFC 3492 encoding (without the `xn--` prefix).
fn punycode_encode(input: &[char]) -> Option<String> {
    let mut output: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let total = input.len() as u32;
    while handled < total {
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

fn digit(d: u32) -> char {
    if d < 26 {
        char::from(b'a' + d as u8)
    } else {
        char::from(b'0' + (d - 26) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_round_trips() {
        let text: Vec<char> = "bücher".chars().collect();
        assert_eq!(punycode_encode(&text).unwrap(), "bcher-kva");
        assert_eq!(punycode_decode("bcher-kva").unwrap(), text);
        assert!(punycode_decode("X").is_none());
    }

    #[test]
    fn idn_rules() {
        assert!(idn_hostname("실례.테스트"));
        assert!(!idn_hostname("\u{302E}실례.테스트"));
        assert!(idn_hostname("l\u{B7}l") && !idn_hostname("a\u{B7}l"));
        assert!(!idn_hostname("0a.\u{5D0}"));
    }
}
