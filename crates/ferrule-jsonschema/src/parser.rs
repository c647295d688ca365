//! A small, strict JSON parser producing [`Value`], with exact numbers and a nesting limit so
//! that hostile input (100,000 nested arrays) is an error rather than a stack overflow.

use std::fmt;

use crate::number::{BigInt, Number};
use crate::value::Value;

/// Default maximum nesting depth of [`parse`] (arrays and objects).
pub const DEFAULT_MAX_DEPTH: usize = 1024;

/// Why JSON text could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The input is not UTF-8.
    InvalidUtf8,
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A byte that cannot start or continue a value here.
    UnexpectedCharacter,
    /// A malformed number.
    InvalidNumber,
    /// A malformed string escape.
    InvalidEscape,
    /// A raw control character inside a string.
    ControlCharacterInString,
    /// Something after the top-level value.
    TrailingCharacters,
    /// Arrays and objects nested deeper than the limit.
    TooDeep,
}

/// A JSON syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorKind,
    offset: usize,
    line: usize,
    column: usize,
}

impl ParseError {
    /// What went wrong.
    pub fn kind(&self) -> &ParseErrorKind {
        &self.kind
    }
    /// Byte offset of the error.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// 1-based line of the error.
    pub fn line(&self) -> usize {
        self.line
    }
    /// 1-based column (in bytes) of the error.
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ParseErrorKind::InvalidUtf8 => "invalid utf-8",
            ParseErrorKind::UnexpectedEnd => "unexpected end of input",
            ParseErrorKind::UnexpectedCharacter => "unexpected character",
            ParseErrorKind::InvalidNumber => "invalid number",
            ParseErrorKind::InvalidEscape => "invalid string escape",
            ParseErrorKind::ControlCharacterInString => "control character in string",
            ParseErrorKind::TrailingCharacters => "trailing characters",
            ParseErrorKind::TooDeep => "nesting too deep",
        };
        write!(f, "{what} at line {} column {}", self.line, self.column)
    }
}

impl std::error::Error for ParseError {}

/// Parses JSON text (with Python's `json` extensions `NaN`, `Infinity`, `-Infinity`).
pub fn parse(input: &[u8]) -> Result<Value, ParseError> {
    parse_with_depth(input, DEFAULT_MAX_DEPTH)
}

/// [`parse`] with an explicit nesting limit.
pub fn parse_with_depth(input: &[u8], max_depth: usize) -> Result<Value, ParseError> {
    let text = match std::str::from_utf8(input) {
        Ok(text) => text,
        Err(e) => {
            return Err(error_at(
                input,
                e.valid_up_to(),
                ParseErrorKind::InvalidUtf8,
            ));
        }
    };
    let mut parser = Parser {
        input,
        text,
        pos: 0,
        depth_left: max_depth,
    };
    let value = parser
        .value()
        .map_err(|(kind, pos)| error_at(input, pos, kind))?;
    parser.skip_ws();
    if parser.pos != input.len() {
        return Err(error_at(
            input,
            parser.pos,
            ParseErrorKind::TrailingCharacters,
        ));
    }
    Ok(value)
}

#[expect(clippy::naive_bytecount, reason = "error path only")]
fn error_at(input: &[u8], offset: usize, kind: ParseErrorKind) -> ParseError {
    let before = &input[..offset.min(input.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    ParseError {
        kind,
        offset,
        line,
        column,
    }
}

type PResult<T> = Result<T, (ParseErrorKind, usize)>;

/// An open container while parsing.
enum Frame {
    Array(Vec<Value>),
    /// Members so far, and the key whose value is being parsed.
    Object(Vec<(String, Value)>, String),
}

/// The scanner shared by [`parse`] and the tape ([`crate::tape`]), so that both accept exactly
/// the same text.
pub(crate) struct Parser<'a> {
    pub(crate) input: &'a [u8],
    /// `input`, validated once: string runs are sliced from it without checking UTF-8 again.
    pub(crate) text: &'a str,
    pub(crate) pos: usize,
    depth_left: usize,
}

/// A number as [`Parser::scan_number`] found it.
pub(crate) enum ScannedNumber {
    /// An integer of at most 18 digits, converted while scanning.
    Small(i64),
    /// Any other number: its text is `start..` the parser's position.
    Text { start: usize, is_float: bool },
}

impl<'a> Parser<'a> {
    pub(crate) fn new(input: &'a [u8], text: &'a str) -> Self {
        Parser {
            input,
            text,
            pos: 0,
            depth_left: DEFAULT_MAX_DEPTH,
        }
    }
}

impl Parser<'_> {
    #[inline]
    pub(crate) fn skip_ws(&mut self) {
        // Compact text has no whitespace between tokens: one inlined test per token then.
        // `json.dumps` text has one space after each `:` and `,`: two tests, no call.
        match self.input.get(self.pos) {
            Some(&b) if b > b' ' => return,
            Some(b' ') if self.input.get(self.pos + 1).is_some_and(|&b| b > b' ') => {
                self.pos += 1;
                return;
            }
            _ => {}
        }
        self.skip_ws_run();
    }

    #[inline(never)]
    fn skip_ws_run(&mut self) {
        const SPACES: u64 = 0x2020_2020_2020_2020;
        // A newline and its indentation in one or two blocks.
        while let Some(block) = self.input[self.pos..].first_chunk::<16>() {
            let Some(other) = crate::scan::not_whitespace(block) else {
                break;
            };
            if other != 0 {
                self.pos += other.trailing_zeros() as usize;
                return;
            }
            self.pos += 16;
        }
        while let Some(&byte) = self.input.get(self.pos) {
            match byte {
                // Pretty-printed text indents with runs of spaces: up to eight per step.
                b' ' => match self.input.get(self.pos..self.pos + 8) {
                    Some(chunk) => {
                        let other =
                            u64::from_le_bytes(chunk.try_into().unwrap_or_default()) ^ SPACES;
                        self.pos += if other == 0 {
                            8
                        } else {
                            (other.trailing_zeros() / 8) as usize
                        };
                    }
                    None => self.pos += 1,
                },
                b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => return,
            }
        }
    }

    #[inline]
    pub(crate) fn peek(&self) -> PResult<u8> {
        self.input
            .get(self.pos)
            .copied()
            .ok_or((ParseErrorKind::UnexpectedEnd, self.pos))
    }

    fn literal(&mut self, text: &[u8], value: Value) -> PResult<Value> {
        self.expect(text)?;
        Ok(value)
    }

    /// Consumes `text` (a literal such as `null`).
    pub(crate) fn expect(&mut self, text: &[u8]) -> PResult<()> {
        if self.input[self.pos..].starts_with(text) {
            self.pos += text.len();
            Ok(())
        } else {
            Err((ParseErrorKind::UnexpectedCharacter, self.pos))
        }
    }

    /// Parses one value. Iterative, with an explicit stack of open containers: nesting costs
    /// heap, not native stack, and is bounded by `depth_left`.
    fn value(&mut self) -> PResult<Value> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            self.skip_ws();
            let mut value = match self.peek()? {
                b'n' => self.literal(b"null", Value::Null)?,
                b't' => self.literal(b"true", Value::Bool(true))?,
                b'f' => self.literal(b"false", Value::Bool(false))?,
                b'N' => self.literal(b"NaN", Value::Number(Number::Float(f64::NAN)))?,
                b'I' => self.literal(b"Infinity", Value::Number(Number::Float(f64::INFINITY)))?,
                b'"' => Value::String(self.string()?),
                b'-' | b'0'..=b'9' => self.number()?,
                open @ (b'[' | b'{') => {
                    if stack.len() >= self.depth_left {
                        return Err((ParseErrorKind::TooDeep, self.pos));
                    }
                    self.pos += 1;
                    self.skip_ws();
                    if open == b'[' {
                        if self.peek()? == b']' {
                            self.pos += 1;
                            Value::Array(Vec::new())
                        } else {
                            stack.push(Frame::Array(Vec::new()));
                            continue;
                        }
                    } else if self.peek()? == b'}' {
                        self.pos += 1;
                        Value::Object(Vec::new())
                    } else {
                        let key = self.key()?;
                        stack.push(Frame::Object(Vec::new(), key));
                        continue;
                    }
                }
                _ => return Err((ParseErrorKind::UnexpectedCharacter, self.pos)),
            };
            // Attach the finished value to its container; close containers as they end.
            loop {
                match stack.last_mut() {
                    None => return Ok(value),
                    Some(Frame::Array(items)) => {
                        items.push(value);
                        self.skip_ws();
                        match self.peek()? {
                            b',' => {
                                self.pos += 1;
                                break;
                            }
                            b']' => {
                                self.pos += 1;
                                let Some(Frame::Array(items)) = stack.pop() else {
                                    unreachable!()
                                };
                                value = Value::Array(items);
                            }
                            _ => return Err((ParseErrorKind::UnexpectedCharacter, self.pos)),
                        }
                    }
                    Some(Frame::Object(members, key)) => {
                        insert_member(members, std::mem::take(key), value);
                        self.skip_ws();
                        match self.peek()? {
                            b',' => {
                                self.pos += 1;
                                *key = self.key()?;
                                break;
                            }
                            b'}' => {
                                self.pos += 1;
                                let Some(Frame::Object(members, _)) = stack.pop() else {
                                    unreachable!()
                                };
                                value = Value::Object(members);
                            }
                            _ => return Err((ParseErrorKind::UnexpectedCharacter, self.pos)),
                        }
                    }
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> PResult<String> {
        self.key_start()?;
        let key = self.string()?;
        self.colon()?;
        Ok(key)
    }

    /// Whitespace and the opening quote of an object key (not consumed).
    #[inline]
    pub(crate) fn key_start(&mut self) -> PResult<()> {
        self.skip_ws();
        if self.peek()? == b'"' {
            Ok(())
        } else {
            Err((ParseErrorKind::UnexpectedCharacter, self.pos))
        }
    }

    /// Whitespace and the colon after an object key.
    #[inline]
    pub(crate) fn colon(&mut self) -> PResult<()> {
        self.skip_ws();
        if self.peek()? != b':' {
            return Err((ParseErrorKind::UnexpectedCharacter, self.pos));
        }
        self.pos += 1;
        Ok(())
    }

    fn string(&mut self) -> PResult<String> {
        // Most strings have no escape: one scan, then one allocation of the exact size.
        let first = self.pos + 1;
        if let Some(plain) = self.plain_string()? {
            return Ok(plain.to_owned());
        }
        let mut out = String::with_capacity(self.pos - first + 16);
        self.pos = first;
        self.unescape_into(&mut out)?;
        Ok(out)
    }

    /// At a string's opening quote: the string, if it has no escape (the position is then
    /// after the closing quote); `None` otherwise, the position somewhere inside.
    pub(crate) fn plain_string(&mut self) -> PResult<Option<&str>> {
        self.pos += 1;
        let first = self.pos;
        self.pos += plain_run(&self.input[first..]);
        if self.input.get(self.pos) == Some(&b'"') {
            self.pos += 1;
            return Ok(Some(self.text.get(first..self.pos - 1).unwrap_or_default()));
        }
        // Surface an error at the end of the run now, as the escape loop would.
        self.peek()?;
        Ok(None)
    }

    /// Decodes a string's content from the position (just after the opening quote) into
    /// `out`, and consumes the closing quote.
    pub(crate) fn unescape_into(&mut self, out: &mut String) -> PResult<()> {
        let input = self.input;
        // SAFETY: only UTF-8 is appended: runs of the validated text that end on an ASCII
        // byte (so on char boundaries), the ASCII byte of a short escape, and code points
        // encoded as UTF-8. On an error the string is the caller's to drop, still UTF-8.
        let out = unsafe { out.as_mut_vec() };
        let mut pos = self.pos;
        loop {
            let end = copy_plain_run(input, pos, out);
            match input.get(end) {
                Some(b'\\') => {}
                Some(b'"') => {
                    self.pos = end + 1;
                    return Ok(());
                }
                Some(_) => return Err((ParseErrorKind::ControlCharacterInString, end)),
                None => return Err((ParseErrorKind::UnexpectedEnd, end)),
            }
            let escape = end + 1;
            let Some(&letter) = input.get(escape) else {
                return Err((ParseErrorKind::UnexpectedEnd, escape));
            };
            let short = SHORT_ESCAPE[letter as usize];
            if short != 0 {
                out.push(short);
                pos = escape + 1;
                continue;
            }
            if letter != b'u' {
                return Err((ParseErrorKind::InvalidEscape, escape));
            }
            // HTML in JSON (`\u003c`) is mostly escapes of code points outside the surrogate
            // range: decoded here; surrogates and malformed escapes take the checked path.
            if let Some(unit) = input.get(escape + 1..escape + 5).and_then(hex4_value) {
                if !(0xD800..0xE000).contains(&unit) {
                    push_code_point(out, unit);
                    pos = escape + 5;
                    continue;
                }
            }
            self.pos = escape + 1;
            let unit = self.hex4()?;
            let c = self.surrogate_pair(unit)?;
            pos = self.pos;
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    /// Checks a string's content from the position (just after the opening quote) without
    /// decoding it, and consumes the closing quote: the text [`Parser::unescape_into`] accepts
    /// (every escape is valid on its own; a surrogate escape is never an error), nothing
    /// written. A failure only says that the text is not JSON.
    pub(crate) fn skip_escaped(&mut self) -> Result<(), ()> {
        let input = self.input;
        let mut pos = self.pos;
        // HTML in JSON has an escape every few bytes: the stops of one 16-byte block are
        // walked escape by escape rather than the block read again after each.
        while let Some(block) = input[pos..].first_chunk::<16>() {
            let Some(mut stops) = crate::scan::string_stops(block) else {
                break;
            };
            let base = pos;
            while stops != 0 {
                let end = base + stops.trailing_zeros() as usize;
                match input[end] {
                    b'\\' => {}
                    b'"' => {
                        self.pos = end + 1;
                        return Ok(());
                    }
                    _ => return Err(()),
                }
                pos = escape_end(input, end)?;
                let consumed = pos - base;
                if consumed >= 16 {
                    break;
                }
                // The escape's own bytes (a `\\` or `\"` letter) are not stops.
                stops &= u32::MAX << consumed;
            }
            pos = pos.max(base + 16);
        }
        loop {
            let end = pos + plain_run(&input[pos..]);
            match input.get(end) {
                Some(b'\\') => {}
                Some(b'"') => {
                    self.pos = end + 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
            pos = escape_end(input, end)?;
        }
    }

    fn hex4(&mut self) -> PResult<u32> {
        let digits = self
            .input
            .get(self.pos..self.pos + 4)
            .ok_or((ParseErrorKind::UnexpectedEnd, self.pos))?;
        let unit = hex4_value(digits).ok_or((ParseErrorKind::InvalidEscape, self.pos))?;
        self.pos += 4;
        Ok(unit)
    }

    /// Combines a UTF-16 surrogate pair. Python keeps a lone surrogate in its `str`; a Rust
    /// string cannot hold one, so it becomes U+FFFD.
    fn surrogate_pair(&mut self, unit: u32) -> PResult<char> {
        if (0xD800..0xDC00).contains(&unit) && self.input[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(unit).unwrap_or('\u{FFFD}'))
    }

    fn number(&mut self) -> PResult<Value> {
        Ok(Value::Number(match self.scan_number()? {
            ScannedNumber::Small(i) => Number::Int(i),
            ScannedNumber::Text { start, is_float } => {
                let text = self.text.get(start..self.pos).unwrap_or_default();
                number_from_text(text, is_float).ok_or((ParseErrorKind::InvalidNumber, start))?
            }
        }))
    }

    /// Scans a number (or `-Infinity`), converting only short integers.
    pub(crate) fn scan_number(&mut self) -> PResult<ScannedNumber> {
        // A local index rather than `self.pos`, which the digit loops would store on each byte.
        let start = self.pos;
        let bytes = self.input;
        let invalid = Err((ParseErrorKind::InvalidNumber, start));
        let mut i = start;
        if bytes[i] == b'-' {
            i += 1;
            if bytes[i..].starts_with(b"Infinity") {
                self.pos = i + 8;
                return Ok(ScannedNumber::Text {
                    start,
                    is_float: true,
                });
            }
        }
        let digits = |i: usize| i + digit_run(&bytes[i..]);
        let int_start = i;
        i = digits(i);
        let n = i - int_start;
        if n == 0 || (n > 1 && bytes[int_start] == b'0') {
            return invalid;
        }
        let mut is_float = false;
        if bytes.get(i) == Some(&b'.') {
            is_float = true;
            let fraction = i + 1;
            i = digits(fraction);
            if i == fraction {
                return invalid;
            }
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            is_float = true;
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            let exponent = i;
            i = digits(exponent);
            if i == exponent {
                return invalid;
            }
        }
        self.pos = i;
        // Fast path for the common small integer: no `str::parse` set-up.
        if !is_float && n <= 18 {
            let negative = bytes[start] == b'-';
            let magnitude = bytes[int_start..self.pos]
                .iter()
                .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
            return Ok(ScannedNumber::Small(if negative {
                -magnitude
            } else {
                magnitude
            }));
        }
        Ok(ScannedNumber::Text { start, is_float })
    }
}

/// The number of scanned text ([`ScannedNumber::Text`]): `NaN`, `Infinity`, `-Infinity`, a
/// float (`1e400` is infinite, as in Python), an `i64` or a big integer.
pub(crate) fn number_from_text(text: &str, is_float: bool) -> Option<Number> {
    Some(match text {
        "NaN" => Number::Float(f64::NAN),
        "Infinity" => Number::Float(f64::INFINITY),
        "-Infinity" => Number::Float(f64::NEG_INFINITY),
        _ if is_float => Number::Float(text.parse().ok()?),
        _ => match text.parse::<i64>() {
            Ok(i) => Number::Int(i),
            Err(_) => Number::Big(BigInt::parse(text)?),
        },
    })
}

/// Bytes a string needs no work for (not `"`, `\\` or a control character).
const PLAIN: [bool; 256] = {
    let mut table = [true; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = false;
        b += 1;
    }
    table[b'"' as usize] = false;
    table[b'\\' as usize] = false;
    table
};

/// The number of ASCII digits at the start of `bytes`.
#[inline]
fn digit_run(bytes: &[u8]) -> usize {
    // Eight bytes per step (a float has 15-17 digits). Per byte, without carries between
    // bytes: `b | 0x80` minus 0x30 keeps the high bit iff the low seven bits are >= 0x30; the
    // low seven bits plus 0x46 set it iff they are > 0x39; bytes >= 0x80 are never digits.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let at_least_0 = (word | HIGH).wrapping_sub(ONES * 0x30) & !word & HIGH;
        let above_9 = ((word & !HIGH) + ONES * 0x46) & HIGH;
        let other = !(at_least_0 & !above_9) & HIGH;
        if other != 0 {
            return n + (other.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + bytes[n..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len() - n)
}

/// The byte a one-letter escape (`\\n`) stands for; 0 for other letters (`u` included).
const SHORT_ESCAPE: [u8; 256] = {
    let mut table = [0; 256];
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table[b'/' as usize] = b'/';
    table[b'b' as usize] = 0x08;
    table[b'f' as usize] = 0x0c;
    table[b'n' as usize] = b'\n';
    table[b'r' as usize] = b'\r';
    table[b't' as usize] = b'\t';
    table
};

/// The value of a hex digit; `0xF0` for other bytes.
const HEX: [u8; 256] = {
    let mut table = [0xF0; 256];
    let mut d = 0;
    while d < 10 {
        table[b'0' as usize + d] = d as u8;
        d += 1;
    }
    let mut d = 0;
    while d < 6 {
        table[b'a' as usize + d] = 10 + d as u8;
        table[b'A' as usize + d] = 10 + d as u8;
        d += 1;
    }
    table
};

/// Per byte of `word` (little-endian), the high bit set at the first byte that stops a plain
/// run (`"`, `\\` or below 0x20); bits above it may be set too. Borrows in the subtractions
/// only flag bytes above a true hit, so the lowest flagged byte is the first stop.
#[inline]
fn stops(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    (quote.wrapping_sub(ONES) & !quote
        | backslash.wrapping_sub(ONES) & !backslash
        | word.wrapping_sub(ONES * 0x20) & !word)
        & HIGH
}

/// The length of the run of [`PLAIN`] bytes at the start of `bytes`.
#[inline]
pub(crate) fn plain_run(bytes: &[u8]) -> usize {
    // Sixteen bytes per step where the text has them, then eight (strings are most of a
    // document's bytes).
    let mut start = 0;
    while let Some(block) = bytes[start..].first_chunk::<16>() {
        let Some(stops) = crate::scan::string_stops(block) else {
            break;
        };
        if stops != 0 {
            return start + stops.trailing_zeros() as usize;
        }
        start += 16;
    }
    while let Some(chunk) = bytes.get(start..start + 8) {
        let stops = stops(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        if stops != 0 {
            return start + (stops.trailing_zeros() / 8) as usize;
        }
        start += 8;
    }
    start
        + bytes[start..]
            .iter()
            .position(|&b| !PLAIN[b as usize])
            .unwrap_or(bytes.len() - start)
}

/// Appends the run of [`PLAIN`] bytes at `input[pos..]` to `out`; the position after it.
/// Eight bytes per step, each word stored whole and the length advanced past its plain bytes
/// only: the short runs between escapes cost a store, not a `memcpy` call.
#[inline]
fn copy_plain_run(input: &[u8], mut pos: usize, out: &mut Vec<u8>) -> usize {
    while let Some(chunk) = input.get(pos..pos + 8) {
        let word: [u8; 8] = chunk.try_into().unwrap_or_default();
        let stops = stops(u64::from_le_bytes(word));
        let n = if stops == 0 {
            8
        } else {
            (stops.trailing_zeros() / 8) as usize
        };
        out.reserve(8);
        // SAFETY: `reserve` made room for eight bytes past the length; the length then covers
        // only the `n` bytes before the first stop, which are initialised.
        unsafe {
            out.as_mut_ptr()
                .add(out.len())
                .cast::<[u8; 8]>()
                .write_unaligned(word);
            out.set_len(out.len() + n);
        }
        pos += n;
        if stops != 0 {
            return pos;
        }
    }
    let n = plain_run(&input[pos..]);
    out.extend_from_slice(&input[pos..pos + n]);
    pos + n
}

/// The position after the valid escape whose backslash is at `at`.
#[inline]
fn escape_end(input: &[u8], at: usize) -> Result<usize, ()> {
    let letter = *input.get(at + 1).ok_or(())?;
    if SHORT_ESCAPE[letter as usize] != 0 {
        Ok(at + 2)
    } else if letter == b'u' && input.get(at + 2..at + 6).and_then(hex4_value).is_some() {
        Ok(at + 6)
    } else {
        Err(())
    }
}

/// The code unit of four hex digits; `None` if one is not a hex digit. Four table lookups,
/// and one test for a byte that is not a hex digit.
#[inline]
fn hex4_value(digits: &[u8]) -> Option<u32> {
    let (unit, bad) = digits.iter().fold((0u32, 0u8), |(unit, bad), &d| {
        let nibble = HEX[d as usize];
        (unit << 4 | u32::from(nibble & 0x0F), bad | nibble)
    });
    (bad & 0xF0 == 0).then_some(unit)
}

/// Appends a code point below 0x10000 that is not a surrogate, as UTF-8.
#[inline]
fn push_code_point(out: &mut Vec<u8>, unit: u32) {
    if unit < 0x80 {
        out.push(unit as u8);
    } else {
        let c = char::from_u32(unit).unwrap_or('\u{FFFD}');
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
}

/// Inserts a member; a repeated key keeps its first position and takes the last value.
fn insert_member(members: &mut Vec<(String, Value)>, key: String, value: Value) {
    // Linear check: objects are small in practice, and a quadratic worst case needs thousands
    // of members before it matters next to the validation itself.
    if let Some(slot) = members.iter_mut().find(|(k, _)| *k == key) {
        slot.1 = value;
    } else {
        members.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! parses_to {
        ($($name:ident: $text:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(parse($text.as_bytes()).unwrap(), $expected);
            }
        )*};
    }

    parses_to! {
        null: " null " => Value::Null;
        int: "-12" => Value::Number(Number::Int(-12));
        float_with_zero_fraction: "1.0" => Value::Number(Number::Float(1.0));
        big: "123456789012345678901234567890" =>
            Value::Number(Number::Big(BigInt::parse("123456789012345678901234567890").unwrap()));
        overflowing_float_is_infinite: "1e400" => Value::Number(Number::Float(f64::INFINITY));
        escapes: r#""a\n\u00e9\ud83d\ude00""# => Value::String("a\n\u{e9}\u{1F600}".into());
        duplicate_keys_keep_last_value: r#"{"a": 1, "b": 2, "a": 3}"# => Value::Object(vec![
            ("a".into(), Value::Number(Number::Int(3))),
            ("b".into(), Value::Number(Number::Int(2))),
        ]);
    }

    #[test]
    fn errors_carry_positions() {
        let e = parse(b"[1,\n  2,]").unwrap_err();
        assert_eq!(e.kind(), &ParseErrorKind::UnexpectedCharacter);
        assert_eq!((e.line(), e.column()), (2, 5));
        assert_eq!(e.to_string(), "unexpected character at line 2 column 5");
        assert_eq!(
            parse(b"01").unwrap_err().kind(),
            &ParseErrorKind::InvalidNumber
        );
        assert_eq!(
            parse(b"\"\x01\"").unwrap_err().kind(),
            &ParseErrorKind::ControlCharacterInString
        );
    }

    #[test]
    fn digit_run_counts_leading_digits() {
        for len in 0..20 {
            for at in 0..=len {
                for other in 0..=255u8 {
                    let mut bytes: Vec<u8> = (0..len).map(|i| b'0' + (i % 10) as u8).collect();
                    if at < len {
                        bytes[at] = other;
                    }
                    bytes.extend([b'9', other, b'1']);
                    let expected = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
                    assert_eq!(digit_run(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn unicode_escapes() {
        for (text, expected) in [
            (
                r#""\u00e9\u00E9\uFFFF\u0000""#,
                Ok("\u{e9}\u{e9}\u{ffff}\0"),
            ),
            (r#""\u00g9""#, Err(ParseErrorKind::InvalidEscape)),
            (r#""\u00eg""#, Err(ParseErrorKind::InvalidEscape)),
            (r#""\u00e"#, Err(ParseErrorKind::UnexpectedEnd)),
            (r#""\u 0e9""#, Err(ParseErrorKind::InvalidEscape)),
        ] {
            let got = parse(text.as_bytes());
            match expected {
                Ok(s) => assert_eq!(got, Ok(Value::String(s.into())), "{text}"),
                Err(kind) => assert_eq!(got.unwrap_err().kind(), &kind, "{text}"),
            }
        }
    }

    #[test]
    fn plain_run_stops_where_the_table_says() {
        let stops = [b'"', b'\\', 0, 0x1f, b'\n'];
        let fillers = [
            b'a',
            b' ',
            b'!',
            b'#',
            0x7f,
            0x80,
            0xff,
            0x20,
            b']',
            b'\\' + 1,
        ];
        for len in 0..20 {
            for at in 0..=len {
                for &stop in &stops {
                    for &filler in &fillers {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = stop;
                        }
                        // A second stop after the first must not move the answer.
                        bytes.push(b'"');
                        bytes.extend([stop, 0, filler]);
                        let expected = bytes.iter().position(|&b| !PLAIN[b as usize]).unwrap();
                        assert_eq!(plain_run(&bytes), expected, "{bytes:?}");
                    }
                }
            }
        }
        assert_eq!(plain_run(b"abcdefghijkl"), 12);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(
            parse(text.as_bytes()).unwrap_err().kind(),
            &ParseErrorKind::TooDeep
        );
        let ok = "[".repeat(1000) + &"]".repeat(1000);
        assert!(parse(ok.as_bytes()).is_ok());
    }
}
