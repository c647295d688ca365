//! Exact JSON numbers: machine integers, big integers and floats, compared and divided the way
//! python-jsonschema does on Python's `int` and `float`.

use std::cmp::Ordering;
use std::fmt;

/// A JSON number with its representation kept: `1` is an [`Number::Int`], `1.0` a
/// [`Number::Float`] (draft 4 tells them apart, later drafts call both integers).
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// An integer that fits in `i64`.
    Int(i64),
    /// An integer that does not fit in `i64`, kept exactly.
    Big(BigInt),
    /// A binary64 float (possibly infinite: Python's `json` reads `1e400` as `inf`).
    Float(f64),
}

/// An integer outside the `i64` range, stored as its decimal digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BigInt {
    negative: bool,
    /// Decimal digits without sign or leading zeros.
    digits: Box<str>,
}

impl BigInt {
    /// Parses an optionally signed decimal integer; `None` if it is not one.
    pub fn parse(text: &str) -> Option<BigInt> {
        let (negative, digits) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = digits.trim_start_matches('0');
        let digits = if digits.is_empty() { "0" } else { digits };
        Some(BigInt {
            negative: negative && digits != "0",
            digits: digits.into(),
        })
    }

    /// True for a negative value.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The decimal digits, without sign.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The nearest float (infinite past `f64::MAX`).
    pub fn to_f64(&self) -> f64 {
        let magnitude: f64 = self.digits.parse().unwrap_or(f64::INFINITY);
        if self.negative { -magnitude } else { magnitude }
    }

    fn cmp(&self, other: &BigInt) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }

    /// Compares with a float exactly, as Python compares `int` and `float`: the float nearest
    /// the integer may equal a float the integer does not (`2**70 + 1 != 2.0**70`). `None`
    /// for NaN.
    fn cmp_f64(&self, other: f64) -> Option<Ordering> {
        let sign = if self.negative {
            Ordering::Less
        } else {
            Ordering::Greater
        };
        if other.is_nan() {
            None
        } else if other.is_infinite() {
            Some(if other > 0.0 {
                Ordering::Less
            } else {
                Ordering::Greater
            })
        } else if other.abs() < 9_223_372_036_854_775_808.0 {
            // Below 2^63 in magnitude, where no big integer is: the sign decides.
            Some(sign)
        } else {
            // From 2^53 on every float is an integer, written out exactly by `{:.0}`.
            BigInt::parse(&format!("{other:.0}")).map(|exact| self.cmp(&exact))
        }
    }

    fn cmp_magnitude(&self, other: &BigInt) -> Ordering {
        self.digits
            .len()
            .cmp(&other.digits.len())
            .then_with(|| self.digits.cmp(&other.digits))
    }

    /// The remainder of the magnitude divided by `divisor` (which must be non-zero).
    fn rem_u128(&self, divisor: u128) -> u128 {
        let mut rem: u128 = 0;
        for b in self.digits.bytes() {
            // `rem < divisor <= u64::MAX * 2`, so `rem * 10 + 9` cannot overflow a u128 for
            // divisors up to 2^124; the divisors here come from i64 values.
            rem = (rem * 10 + u128::from(b - b'0')) % divisor;
        }
        rem
    }
}

impl fmt::Display for BigInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(&self.digits)
    }
}

impl Number {
    /// True when the value is an integer. Draft 4 goes by representation (`1.0` is not an
    /// integer there); later drafts by value, like python-jsonschema.
    pub fn is_integer(&self, by_value: bool) -> bool {
        match self {
            Number::Int(_) | Number::Big(_) => true,
            Number::Float(f) => by_value && f.is_finite() && f.fract() == 0.0,
        }
    }

    /// The nearest float.
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Int(i) => *i as f64,
            Number::Big(b) => b.to_f64(),
            Number::Float(f) => *f,
        }
    }

    /// Numeric comparison across representations (exact between integers, and between an
    /// `i64` and a float); `None` only when a NaN is involved.
    pub fn compare(&self, other: &Number) -> Option<Ordering> {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => Some(a.cmp(b)),
            (Number::Int(a), Number::Float(b)) => cmp_i64_f64(*a, *b),
            (Number::Float(a), Number::Int(b)) => cmp_i64_f64(*b, *a).map(Ordering::reverse),
            (Number::Float(a), Number::Float(b)) => a.partial_cmp(b),
            (Number::Big(a), Number::Big(b)) => Some(a.cmp(b)),
            // A `Big` is outside the i64 range by construction, so its sign decides.
            (Number::Big(a), Number::Int(_)) => Some(if a.negative {
                Ordering::Less
            } else {
                Ordering::Greater
            }),
            (Number::Int(_), Number::Big(b)) => Some(if b.negative {
                Ordering::Greater
            } else {
                Ordering::Less
            }),
            (Number::Big(a), Number::Float(b)) => a.cmp_f64(*b),
            (Number::Float(a), Number::Big(b)) => b.cmp_f64(*a).map(Ordering::reverse),
        }
    }

    /// Numeric equality (`1 == 1.0`), as Python compares `int` and `float`.
    pub fn equals(&self, other: &Number) -> bool {
        self.compare(other) == Some(Ordering::Equal)
    }

    /// `multipleOf`, with python-jsonschema's semantics: a float divisor divides in floating
    /// point and checks the quotient is integral (falling back to exact arithmetic when the
    /// quotient overflows); an integer divisor takes the remainder.
    pub fn is_multiple_of(&self, divisor: &Number) -> bool {
        match divisor {
            Number::Float(d) => {
                let quotient = self.to_f64() / d;
                if quotient.is_finite() {
                    quotient.fract() == 0.0
                } else if quotient.is_nan() {
                    false
                } else {
                    exact_float_multiple(self, *d)
                }
            }
            Number::Int(0) => false,
            Number::Int(d) => match self {
                Number::Int(i) => i % d == 0,
                Number::Big(b) => b.rem_u128(u128::from(d.unsigned_abs())) == 0,
                Number::Float(f) => f.is_finite() && (f % (*d as f64)) == 0.0,
            },
            Number::Big(d) => match self {
                // |i| < |d|, so only zero is a multiple.
                Number::Int(i) => *i == 0,
                Number::Big(_) | Number::Float(_) => {
                    let quotient = self.to_f64() / d.to_f64();
                    quotient.is_finite() && quotient.fract() == 0.0
                }
            },
        }
    }
}

/// Exact comparison of an integer and a float without rounding the integer.
fn cmp_i64_f64(i: i64, f: f64) -> Option<Ordering> {
    // 2^63 is exactly representable; every i64 is below it and at or above -2^63.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() {
        return None;
    }
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let t = f.trunc();
    let ti = t as i64;
    match i.cmp(&ti) {
        Ordering::Equal => {
            let frac = f - t;
            Some(if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            })
        }
        other => Some(other),
    }
}

/// Splits a finite non-zero float into an odd mantissa and a power of two.
fn odd_and_exponent(f: f64) -> (u64, i32) {
    let bits = f.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut mantissa, mut exponent) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let tz = mantissa.trailing_zeros();
    mantissa >>= tz;
    exponent += tz as i32;
    (mantissa, exponent)
}

/// Is `x / d` an integer, computed exactly (like Python's `Fraction` fallback)?
fn exact_float_multiple(x: &Number, d: f64) -> bool {
    if d == 0.0 || !d.is_finite() {
        return false;
    }
    let x = match x {
        Number::Float(f) if !f.is_finite() => return false,
        Number::Float(f) => *f,
        // Integers too large for an exact split are approximated by their float.
        other => other.to_f64(),
    };
    if x == 0.0 {
        return true;
    }
    let (x_odd, x_exp) = odd_and_exponent(x);
    let (d_odd, d_exp) = odd_and_exponent(d);
    // x/d = (x_odd/d_odd) * 2^(x_exp-d_exp), both odd: integral iff d_odd | x_odd and the
    // power of two is not a division.
    x_odd % d_odd == 0 && x_exp >= d_exp
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Big(b) => write!(f, "{b}"),
            Number::Float(x) => fmt_float(*x, f),
        }
    }
}

/// Formats a float the way Python's `repr` does (`1.0`, `1e+100`, `inf`).
pub(crate) fn fmt_float(x: f64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if x.is_nan() {
        return f.write_str("nan");
    }
    if x.is_infinite() {
        return f.write_str(if x > 0.0 { "inf" } else { "-inf" });
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Rust's `{:e}` gives the shortest round-trip digits: `1e100` -> Python's `1e+100`.
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        return write!(
            f,
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    }
    let s = format!("{x}");
    if s.contains('.') {
        f.write_str(&s)
    } else {
        write!(f, "{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(s: &str) -> Number {
        Number::Big(BigInt::parse(s).unwrap())
    }

    #[test]
    fn big_integers_compare_with_floats_exactly() {
        let two_70 = 2f64.powi(70);
        assert_eq!(
            big("1180591620717411303424").compare(&Number::Float(two_70)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            big("1180591620717411303425").compare(&Number::Float(two_70)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            Number::Float(two_70).compare(&big("1180591620717411303425")),
            Some(Ordering::Less)
        );
        assert_eq!(
            big("-1180591620717411303425").compare(&Number::Float(-two_70)),
            Some(Ordering::Less)
        );
        assert!(!big("1180591620717411303425").equals(&Number::Float(two_70)));
        assert_eq!(
            big("9223372036854775808").compare(&Number::Float(1.5)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            big("-9223372036854775809").compare(&Number::Float(-9.2e18)),
            Some(Ordering::Less)
        );
        assert_eq!(
            big("9223372036854775808").compare(&Number::Float(f64::INFINITY)),
            Some(Ordering::Less)
        );
        assert_eq!(
            big("9223372036854775808").compare(&Number::Float(f64::NAN)),
            None
        );
        assert_eq!(
            big("9223372036854775808").compare(&Number::Float(9_223_372_036_854_775_808.0)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            big("1").compare(&Number::Float(1e300)),
            Some(Ordering::Less)
        );
    }

    #[test]
    fn compares_across_representations() {
        assert_eq!(
            Number::Int(1).compare(&Number::Float(1.0)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            Number::Int(i64::MAX).compare(&Number::Float(9.3e18)),
            Some(Ordering::Less)
        );
        assert_eq!(
            Number::Float(1.5).compare(&Number::Int(1)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            big("18446744073709551616").compare(&Number::Int(5)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            big("-18446744073709551616").compare(&big("-9")),
            None.or(Some(Ordering::Less))
        );
        assert_eq!(Number::Float(f64::NAN).compare(&Number::Int(1)), None);
    }

    #[test]
    fn multiple_of_like_python() {
        assert!(Number::Int(10).is_multiple_of(&Number::Int(5)));
        assert!(!Number::Float(7.5).is_multiple_of(&Number::Int(2)));
        assert!(Number::Float(0.0075).is_multiple_of(&Number::Float(0.0001)));
        assert!(!Number::Float(0.00751).is_multiple_of(&Number::Float(0.0001)));
        assert!(Number::Float(1e308).is_multiple_of(&Number::Float(0.5)));
        assert!(big("12345678901234567890").is_multiple_of(&Number::Int(10)));
        assert!(!Number::Float(1e308).is_multiple_of(&Number::Float(0.123_456_789)));
    }

    #[test]
    fn formats_floats_like_python_repr() {
        assert_eq!(Number::Float(1.0).to_string(), "1.0");
        assert_eq!(Number::Float(1e100).to_string(), "1e+100");
        assert_eq!(Number::Float(0.5).to_string(), "0.5");
        assert_eq!(Number::Float(1.5e-7).to_string(), "1.5e-07");
        assert_eq!(Number::Int(-3).to_string(), "-3");
    }
}
