//! Type inference: each cell narrows the set of types its column can still have, so a column
//! that turns from ints to `1.5` late in the file is promoted, never an error; the cell parsers
//! here are also what the column builders convert with, so inference and conversion agree.

use super::options::DType;

/// The types a column can still have, one bit each.
pub(crate) type Candidates = u8;
const BOOL: Candidates = 1;
const INT: Candidates = 2;
const FLOAT: Candidates = 4;
const DATE: Candidates = 8;
const DATETIME: Candidates = 16;
const DATETIME_TZ: Candidates = 32;
pub(crate) const ALL: Candidates = BOOL | INT | FLOAT | DATE | DATETIME | DATETIME_TZ;

/// What a column's cells have told so far; merged across chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ColumnGuess {
    pub(crate) candidates: Candidates,
    pub(crate) any_value: bool,
}

impl Default for ColumnGuess {
    fn default() -> Self {
        ColumnGuess {
            candidates: ALL,
            any_value: false,
        }
    }
}

impl ColumnGuess {
    /// Narrows the guess by one non-null cell, testing every candidate: the reference that
    /// `convert.rs`'s one-type-at-a-time tracking is tested against.
    #[cfg(test)]
    pub(crate) fn observe(&mut self, cell: &[u8]) {
        self.any_value = true;
        if self.candidates != 0 {
            self.candidates &= fits(cell, self.candidates);
        }
    }

    /// Narrows the guess by one non-null cell, given the candidates left before it.
    #[inline]
    pub(crate) fn observe_from(&mut self, cell: &[u8], candidates: Candidates) {
        self.any_value = true;
        self.candidates = candidates & fits(cell, candidates);
    }

    pub(crate) fn merge(self, other: ColumnGuess) -> ColumnGuess {
        ColumnGuess {
            candidates: self.candidates & other.candidates,
            any_value: self.any_value || other.any_value,
        }
    }

    /// The narrowest type every cell seen fits.
    pub(crate) fn dtype(self) -> DType {
        if !self.any_value {
            return DType::Null;
        }
        let c = self.candidates;
        if c & BOOL != 0 {
            DType::Bool
        } else if c & INT != 0 {
            DType::Int64
        } else if c & FLOAT != 0 {
            DType::Float64
        } else if c & DATE != 0 {
            DType::Date
        } else if c & DATETIME != 0 {
            DType::Datetime
        } else if c & DATETIME_TZ != 0 {
            DType::DatetimeTz
        } else {
            DType::String
        }
    }
}

/// The candidates left by cells that all fit the guess's type: the type and those wider types
/// that every such cell also fits (an int is a float, a date a datetime). `convert.rs` tracks
/// only the type while cells fit it; this recovers the full set when one does not.
pub(crate) fn implied(guess: ColumnGuess) -> Candidates {
    match guess.dtype() {
        DType::Null => ALL,
        DType::Bool => BOOL,
        DType::Int64 => INT | FLOAT,
        DType::Float64 => FLOAT,
        DType::Date => DATE | DATETIME,
        DType::Datetime => DATETIME,
        DType::DatetimeTz => DATETIME_TZ,
        DType::String => 0,
    }
}

/// Which of `candidates` the cell can be read as.
#[inline]
fn fits(cell: &[u8], candidates: Candidates) -> Candidates {
    let Some(&first) = cell.first() else {
        return 0;
    };
    let mut out = 0;
    // The first byte rules most types out without parsing.
    if first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.' {
        if candidates & INT != 0 && parse_i64(cell).is_some() {
            // Every int also reads as a float: no need to parse it twice.
            out |= INT | FLOAT;
        } else if candidates & FLOAT != 0 && parse_f64(cell).is_some() {
            out |= FLOAT;
        }
        if candidates & (DATE | DATETIME | DATETIME_TZ) != 0 && cell.len() >= 10 && cell[4] == b'-'
        {
            if parse_date(cell).is_some() {
                out |= DATE | DATETIME;
            } else if let Some((_, tz)) = parse_datetime(cell) {
                out |= if tz { DATETIME_TZ } else { DATETIME };
            }
        }
    } else {
        if candidates & BOOL != 0 && parse_bool(cell).is_some() {
            out |= BOOL;
        }
        if candidates & FLOAT != 0
            && matches!(first | 0x20, b'i' | b'n')
            && parse_f64(cell).is_some()
        {
            out |= FLOAT;
        }
    }
    out & candidates
}

/// `true` or `false` in any case.
#[inline]
pub(crate) fn parse_bool(cell: &[u8]) -> Option<bool> {
    if cell.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if cell.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

/// An optional sign and ASCII digits that fit an `i64`.
#[inline]
pub(crate) fn parse_i64(cell: &[u8]) -> Option<i64> {
    let (negative, digits) = match cell {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, cell),
    };
    if digits.is_empty() {
        return None;
    }
    if digits.len() <= 18 {
        // Cannot overflow: no checks per digit (most cells take this path). The last eight
        // digits of a longer run are read at once.
        let (head, tail) = match digits.split_last_chunk::<8>() {
            Some((head, tail)) => (head, Some(eight_digits(*tail)?)),
            None => (digits, None),
        };
        let mut value: i64 = 0;
        for &b in head {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            value = value * 10 + i64::from(d);
        }
        if let Some(tail) = tail {
            value = value * 100_000_000 + tail;
        }
        return Some(if negative { -value } else { value });
    }
    // Accumulate negatively so that i64::MIN fits.
    let mut value: i64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_sub(i64::from(d))?;
    }
    if negative {
        Some(value)
    } else {
        value.checked_neg()
    }
}

/// Whether the eight bytes of `word` are ASCII digits: each byte in 0x30..=0x39 has a high
/// nibble of 3, and so has the byte plus 6. A carry between bytes needs a byte of 0xFA or
/// more, which the first test refuses.
#[inline]
fn all_digits(word: u64) -> bool {
    let high = word & 0xF0F0_F0F0_F0F0_F0F0;
    let high_plus_6 = (word.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4;
    high | high_plus_6 == 0x3333_3333_3333_3333
}

/// Eight ASCII digits as their value, in a few word operations instead of eight steps (the
/// check and the multiply-and-shift reduction of simdjson and Lemire's fast integer parsing).
#[inline]
fn eight_digits(bytes: [u8; 8]) -> Option<i64> {
    let word = u64::from_le_bytes(bytes);
    if !all_digits(word) {
        return None;
    }
    // Pairs of digits, then fours, then all eight (the first digit is the lowest byte).
    let d = word - 0x3030_3030_3030_3030;
    let pairs = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let fours = (pairs * 100 + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    let eight = (fours * 10_000 + (fours >> 32)) & 0xFFFF_FFFF;
    // At most 99,999,999: fits.
    Some(eight as i64)
}

/// What Rust's `f64::from_str` reads: decimal and exponent forms, `inf`, `infinity`, `nan`.
///
/// `fast-float2` reads the same grammar (a test below holds it to that) from bytes, at about
/// twice the speed and without a UTF-8 check.
#[inline]
pub(crate) fn parse_f64(cell: &[u8]) -> Option<f64> {
    short_decimal(cell).or_else(|| fast_float2::parse(cell).ok())
}

/// Exact powers of ten up to the largest a short decimal divides by.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The common case of a CSV float, `[+-]digits[.digits]` with at most 15 digits, about three
/// times faster than `fast-float2`'s general path: the digits as an integer are exact in an
/// `f64` (< 2^53), so are the powers of ten up to 10^15, and one IEEE division of two exact
/// values is correctly rounded (Clinger's fast path), so this is the value `f64::from_str`
/// gives. Anything else (`None`) goes to `fast-float2`.
#[expect(
    clippy::inline_always,
    reason = "measured: called once per cell of its column, the call cost ~25 instructions"
)]
#[inline(always)]
fn short_decimal(cell: &[u8]) -> Option<f64> {
    let (negative, body) = match cell {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, cell),
    };
    if body.is_empty() || body.len() > 16 {
        return None;
    }
    if let Some((mantissa, scale)) = dotted_words(body) {
        let value = mantissa as f64 / POW10[scale];
        return Some(if negative { -value } else { value });
    }
    let mut mantissa: u64 = 0;
    let mut dot = None;
    for (i, &b) in body.iter().enumerate() {
        let d = b.wrapping_sub(b'0');
        if d <= 9 {
            mantissa = mantissa * 10 + u64::from(d);
        } else if b == b'.' && dot.is_none() {
            dot = Some(i);
        } else {
            return None;
        }
    }
    let digits = body.len() - usize::from(dot.is_some());
    if digits == 0 || digits > 15 {
        return None;
    }
    let scale = dot.map_or(0, |i| body.len() - 1 - i);
    let value = mantissa as f64 / POW10[scale];
    Some(if negative { -value } else { value })
}

/// `int.frac` of 8 to 16 bytes with the dot among the first eight and at most eight digits
/// after it (the usual float cell), read in two words: the digits before the dot from the first
/// eight bytes and those after it from the last eight, the other bytes of each word replaced
/// by '0' so that [`eight_digits`] reads the run alone (it refuses any other byte, so a second
/// dot, a sign or an exponent give `None`). `None` also for every other shape: the byte loop
/// reads those. The digits' value and the count after the dot.
#[inline]
fn dotted_words(body: &[u8]) -> Option<(u64, usize)> {
    const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);
    let first = u64::from_le_bytes(*body.first_chunk::<8>()?);
    let last = u64::from_le_bytes(*body.last_chunk::<8>()?);
    // The bytes equal to '.' are zero in `x`; the lowest flag is exact.
    let x = first ^ u64::from_le_bytes([b'.'; 8]);
    let dots = x.wrapping_sub(u64::from_le_bytes([1; 8])) & !x & u64::from_le_bytes([0x80; 8]);
    if dots == 0 {
        return None;
    }
    let int_len = (dots.trailing_zeros() / 8) as usize;
    let frac_len = body.len() - int_len - 1;
    if int_len == 0 || frac_len == 0 || frac_len > 8 || int_len + frac_len > 15 {
        return None;
    }
    // The integer digits moved to the top of a word of '0's (lowest byte first).
    let int_shift = 8 * (8 - int_len) as u32;
    let int_word = (first << int_shift) | (ZEROS & ((1u64 << int_shift) - 1));
    // The fraction digits are the top `frac_len` bytes of the last word.
    let keep = u64::MAX.checked_shl(8 * (8 - frac_len) as u32).unwrap_or(0);
    let frac_word = (last & keep) | (ZEROS & !keep);
    let int = eight_digits(int_word.to_le_bytes())?.unsigned_abs();
    let frac = eight_digits(frac_word.to_le_bytes())?.unsigned_abs();
    Some((int * POW10_INT[frac_len] + frac, frac_len))
}

/// Powers of ten as integers, for [`dotted_words`].
const POW10_INT: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

fn digits2(b: &[u8]) -> Option<u32> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(c - b'0')),
        _ => None,
    }
}

/// Days before each month in a common year.
const DAYS_BEFORE_MONTH: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

fn is_leap(year: u32) -> bool {
    // A multiple of 4 is one of 100 exactly when it is one of 25, and then one of 400 exactly
    // when it is one of 16: bit tests instead of two of the three divisions. `%` rather than
    // `is_multiple_of`, which is newer than the crate's MSRV.
    year.trailing_zeros() >= 2 && (year % 25 != 0 || year.trailing_zeros() >= 4)
}

/// Days from 1970-01-01 to January 1st of each year from 0 to 10,000 (a Python `date`'s years
/// and one past them), so that a date costs one load instead of three divisions.
static YEAR_STARTS: [i32; 10_001] = year_starts();

#[expect(
    clippy::large_stack_arrays,
    reason = "evaluated at compile time, for a static: never on a stack"
)]
const fn year_starts() -> [i32; 10_001] {
    let mut starts = [0; 10_001];
    let mut year = 1;
    while year <= 10_000 {
        let before = year - 1;
        // Days from 0001-01-01, less those to 1970-01-01 (719,162).
        starts[year] = (365 * before + before / 4 - before / 100 + before / 400) as i32 - 719_162;
        year += 1;
    }
    starts
}

/// `YYYY-MM-DD`, as days since the Unix epoch.
///
/// Written by hand for the one layout rather than with a date crate's format-string parser:
/// every byte's place is fixed, so the ten bytes are matched in one pattern, their eight digits
/// checked and paired in one word (year, month and day come out of the pairs, no division),
/// and the day count read from tables of year and month starts: about 50 instructions a cell.
#[expect(
    clippy::inline_always,
    reason = "measured: called once per cell of its column, the call cost ~25 instructions"
)]
#[inline(always)]
pub(crate) fn parse_date(cell: &[u8]) -> Option<i32> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = cell else {
        return None;
    };
    let word = u64::from_le_bytes([y0, y1, y2, y3, m0, m1, d0, d1]);
    if !all_digits(word) {
        return None;
    }
    let d = word - u64::from_le_bytes([b'0'; 8]);
    // Each 16-bit lane the value of its two digits: centuries, years, month, day.
    let pairs = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let year = (pairs & 0xFF) as usize * 100 + ((pairs >> 16) & 0xFF) as usize;
    let month = ((pairs >> 32) & 0xFF) as usize;
    let day = (pairs >> 48) as u32;
    // Year 0 is valid ISO 8601 but no Python `date` can hold it: such cells stay text.
    if year == 0 || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let leap = is_leap(year as u32);
    let month_days = match month {
        4 | 6 | 9 | 11 => 30,
        2 => 28 + u32::from(leap),
        _ => 31,
    };
    if day > month_days {
        return None;
    }
    let in_year = u32::from(DAYS_BEFORE_MONTH[month - 1]) + u32::from(leap && month > 2) + day - 1;
    // At most 365: fits.
    Some(YEAR_STARTS[year] + in_year as i32)
}

/// An ISO 8601 date and time: `YYYY-MM-DD` then `T` or a space, `HH:MM`, optionally `:SS` and a
/// fraction of up to nine digits (kept to the microsecond), optionally `Z` or a UTC offset
/// (`+HH:MM`, `+HHMM`, `+HH`). A date alone is midnight. Returns microseconds since the epoch
/// (in UTC when an offset was given) and whether one was.
#[inline]
pub(crate) fn parse_datetime(cell: &[u8]) -> Option<(i64, bool)> {
    let days = i64::from(parse_date(cell.get(..10)?)?);
    let rest = &cell[10..];
    if rest.is_empty() {
        return Some((days * 86_400_000_000, false));
    }
    if !matches!(rest[0], b'T' | b' ') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let hour = i64::from(digits2(&rest[1..3])?);
    let minute = i64::from(digits2(&rest[4..6])?);
    let mut rest = &rest[6..];
    let mut second = 0;
    let mut micros = 0;
    if let [b':', a, b, tail @ ..] = rest {
        second = i64::from(digits2(&[*a, *b])?);
        rest = tail;
        if let [b'.', tail @ ..] = rest {
            let n = tail.iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            for (i, &b) in tail[..n].iter().enumerate() {
                if i < 6 {
                    micros = micros * 10 + i64::from(b - b'0');
                }
            }
            for _ in n..6 {
                micros *= 10;
            }
            rest = &tail[n..];
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset_minutes = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (h, m) = match tail {
                [a, b] => (digits2(&[*a, *b])?, 0),
                [a, b, c, d] | [a, b, b':', c, d] => (digits2(&[*a, *b])?, digits2(&[*c, *d])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = i64::from(h * 60 + m);
            Some(if *sign == b'-' { -minutes } else { minutes })
        }
        _ => return None,
    };
    let local = ((days * 24 + hour) * 60 + minute) * 60 + second;
    let utc = local - offset_minutes.unwrap_or(0) * 60;
    Some((utc * 1_000_000 + micros, offset_minutes.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(cells: &[&str]) -> DType {
        let mut guess = ColumnGuess::default();
        for cell in cells {
            guess.observe(cell.as_bytes());
        }
        guess.dtype()
    }

    #[test]
    fn inference_promotes_and_never_fails() {
        let cases: &[(&[&str], DType)] = &[
            (&[], DType::Null),
            (&["1", "-2", "+3"], DType::Int64),
            (&["1", "1.5"], DType::Float64),
            (&["1", "1e3", "inf", "NaN"], DType::Float64),
            (&["9223372036854775808"], DType::Float64),
            (&["-9223372036854775808"], DType::Int64),
            (&["true", "FALSE", "True"], DType::Bool),
            (&["true", "1"], DType::String),
            (&["2024-02-29", "1999-12-31"], DType::Date),
            (&["2023-02-29"], DType::String),
            (&["2024-01-01", "2024-01-01T10:00"], DType::Datetime),
            (&["2024-01-01 10:00:00.5"], DType::Datetime),
            (
                &["2024-01-01T10:00Z", "2024-01-01T10:00:00+02:00"],
                DType::DatetimeTz,
            ),
            (&["2024-01-01T10:00Z", "2024-01-01T10:00"], DType::String),
            (&["1", "x"], DType::String),
            (&["1", " 2"], DType::String),
            (&["nan", "n/a"], DType::String),
            (&["."], DType::String),
        ];
        for (cells, expected) in cases {
            assert_eq!(infer(cells), *expected, "{cells:?}");
        }
    }

    #[test]
    fn floats_read_like_the_standard_library() {
        let cases = [
            "0",
            "-0",
            "+1",
            "1.",
            ".5",
            "-.5",
            "+.5",
            ".",
            "-",
            "+",
            "",
            "e5",
            "1e",
            "1e+",
            "1e5",
            "1E-5",
            "1.5e+300",
            "1e400",
            "-1e400",
            "1e-400",
            "inf",
            "INF",
            "+inf",
            "-Infinity",
            "infinity",
            "infinit",
            "infx",
            "nan",
            "NaN",
            "-nan",
            "+NaN",
            "nana",
            "1_0",
            " 1",
            "1 ",
            "0x10",
            "1.2.3",
            "--1",
            "1e5.5",
            "123456789012345678901234567890",
            "0.1000000000000000055511151231257827",
            "2.2250738585072011e-308",
            "١",
        ];
        for case in cases {
            let std: Option<f64> = case.parse().ok();
            let ours = parse_f64(case.as_bytes());
            assert_eq!(
                std.map(f64::to_bits),
                ours.map(f64::to_bits),
                "{case:?}: std {std:?}, ours {ours:?}"
            );
        }
    }

    /// Random short and long decimals, signs, dots and exponents: the fast path and the
    /// general one agree with the standard library to the bit.
    #[test]
    fn short_cells_read_like_the_standard_library() {
        // Every cell of up to 5 bytes over these bytes, and random decimals of 5 to 7 (the
        // byte loop's cells; a one-word read of them, tried, cost more instructions).
        let alphabet = b"019.-+e";
        let mut cells: Vec<Vec<u8>> = vec![Vec::new()];
        let mut all = Vec::new();
        for _ in 0..5 {
            cells = cells
                .iter()
                .flat_map(|c| alphabet.iter().map(move |&b| [c.as_slice(), &[b]].concat()))
                .collect();
            all.extend(cells.iter().cloned());
        }
        let mut state = 11u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = 5 + (state >> 60) as usize % 3;
            let dot = (state >> 50) as usize % (len + 1);
            let mut cell: Vec<u8> = (0..len)
                .map(|i| b'0' + ((state >> (4 * i)) % 10) as u8)
                .collect();
            if dot < len {
                cell[dot] = b'.';
            }
            all.push(cell);
        }
        for cell in all {
            let text = std::str::from_utf8(&cell).unwrap();
            let std: Option<f64> = text.parse().ok();
            assert_eq!(
                std.map(f64::to_bits),
                parse_f64(&cell).map(f64::to_bits),
                "{text:?}"
            );
        }
    }

    #[test]
    fn random_decimals_read_like_the_standard_library() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        for _ in 0..200_000 {
            let mut cell = String::new();
            match next(4) {
                0 => cell.push('-'),
                1 => cell.push('+'),
                _ => {}
            }
            for _ in 0..next(20) {
                cell.push(char::from(b'0' + next(10) as u8));
            }
            if next(3) > 0 {
                cell.push('.');
                for _ in 0..next(20) {
                    cell.push(char::from(b'0' + next(10) as u8));
                }
            }
            if next(8) == 0 {
                cell.push_str("e-3");
            }
            match next(16) {
                0 => cell.insert(cell.len() / 2, '.'),
                1 => cell.insert(cell.len() / 3, 'x'),
                2 => cell.insert(cell.len() / 2, '-'),
                _ => {}
            }
            let std: Option<f64> = cell.parse().ok();
            assert_eq!(
                std.map(f64::to_bits),
                parse_f64(cell.as_bytes()).map(f64::to_bits),
                "{cell:?}"
            );
            let int: Option<i64> = cell.parse().ok();
            assert_eq!(int, parse_i64(cell.as_bytes()), "{cell:?}");
        }
    }

    /// Every date of years 1 to 9999 reads as its day count (held to the civil calendar the
    /// writer formats with), and the days that do not exist do not read.
    #[test]
    fn every_date_reads_as_its_day_count() {
        for days in -719_162..=2_932_896 {
            let (y, m, d) = super::super::write::civil_from_days(i64::from(days));
            let text = format!("{y:04}-{m:02}-{d:02}");
            assert_eq!(parse_date(text.as_bytes()), Some(days), "{text}");
        }
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "1900-02-29",
            "2100-02-29",
            "2024-04-31",
            "2024-00-10",
            "2024-13-01",
            "2024-01-00",
            "2024-01-32",
            "0000-01-01",
            "2024-1-01",
            "2024/01/01",
            "2024-01-0a",
            "+024-01-01",
            "2024-01-01 ",
        ] {
            assert_eq!(parse_date(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse_date(b"2000-02-29"), Some(11_016));
        assert_eq!(parse_date(b"2024-02-29"), Some(19_782));
        assert_eq!(parse_date(b"9999-12-31"), Some(2_932_896));
    }

    #[test]
    fn eight_digits_at_once() {
        let mut state = 5u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let n = state >> 40;
            let text = format!("{:08}", n % 100_000_000);
            let mut bytes: [u8; 8] = text.as_bytes().try_into().unwrap();
            assert_eq!(eight_digits(bytes), text.parse().ok(), "{text}");
            // One byte anything else: read only if it is still a digit.
            bytes[(n % 8) as usize] = (state >> 8) as u8;
            let text = String::from_utf8_lossy(&bytes);
            let want = bytes
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| text.parse().unwrap());
            assert_eq!(eight_digits(bytes), want, "{bytes:?}");
        }
        for bytes in [
            *b"/0000000",
            *b"0000000:",
            *b"\xff9999999",
            *b"99999999",
            *b"0000000\xfa",
        ] {
            let want = bytes
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| String::from_utf8(bytes.to_vec()).unwrap().parse().unwrap());
            assert_eq!(eight_digits(bytes), want, "{bytes:?}");
        }
    }

    #[test]
    fn cell_parsers() {
        assert_eq!(parse_i64(b"-0"), Some(0));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-"), None);
        assert_eq!(parse_i64(b"1_000"), None);
        assert_eq!(parse_date(b"1970-01-01"), Some(0));
        assert_eq!(parse_date(b"2000-03-01"), Some(11_017));
        assert_eq!(parse_date(b"1969-12-31"), Some(-1));
        assert_eq!(parse_date(b"2000-13-01"), None);
        assert_eq!(parse_date(b"0000-01-01"), None);
        assert_eq!(parse_date(b"0001-01-01"), Some(-719_162));
        assert_eq!(
            parse_datetime(b"1970-01-01T00:00:01.123456789"),
            Some((1_123_456, false))
        );
        assert_eq!(parse_datetime(b"1970-01-01T01:00+01:00"), Some((0, true)));
        assert_eq!(
            parse_datetime(b"1970-01-01T00:00-0130"),
            Some((5_400_000_000, true))
        );
        assert_eq!(
            parse_datetime(b"1970-01-01T00:00-01"),
            Some((3_600_000_000, true))
        );
        assert_eq!(parse_datetime(b"1970-01-01T24:00"), None);
        assert_eq!(parse_datetime(b"1970-01-01T00:00:00."), None);
        assert_eq!(parse_datetime(b"1970-01-01X00:00"), None);
    }
}
