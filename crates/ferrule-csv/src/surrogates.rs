//! Lone surrogates as dialect characters.
//!
//! `_csv` accepts any code point as a dialect character, `'\ud800'` included, but the core's
//! `Dialect` holds `char`s, which a lone surrogate is not. Such a dialect reaches the core
//! through a [`Swap`]: the 2048 surrogates trade places with a block of 2048 private-use code
//! points that the dialect does not use, in the dialect, in every line read and every field
//! written, and back in every field, line and message that comes out. The swap is a bijection
//! that fixes every other code point (ASCII, so CR, LF and space, included), and the state
//! machine only compares code points for equality and counts them, so parsing swapped text
//! with the swapped dialect gives exactly the swapped fields. Data holding code points of the
//! block becomes lone surrogates in between, which the core reads and writes as WTF-8 like any
//! other. Only dialects with a lone surrogate pay for the copies.

/// The first surrogate code point, U+D800; all 2048 run to U+DFFF.
const SURROGATES: u32 = 0xD800;
const BLOCK: u32 = 0x800;
/// The lowest block start tried: the private-use planes 15 and 16 (U+F0000 to U+10FFFF) hold
/// 128 blocks, searched from the top.
const LOWEST: u32 = 0xF_0000;
const HIGHEST: u32 = 0x10_F800;

use crate::dialect::{char_at, push_code_point};

/// The exchange of the surrogates with the block of private-use code points at `base`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Swap {
    base: u32,
}

impl Swap {
    /// A swap whose block holds none of `used` (the dialect's code points), so that every one
    /// of them maps to a `char`; `None` if all 128 blocks are used.
    pub fn avoiding(used: &[u32]) -> Option<Swap> {
        (0..=(HIGHEST - LOWEST) / BLOCK)
            .map(|i| HIGHEST - i * BLOCK)
            .find(|&base| !used.iter().any(|c| (base..base + BLOCK).contains(c)))
            .map(|base| Swap { base })
    }

    /// `c` swapped: a surrogate to the block, the block to the surrogates, others unchanged.
    pub fn code_point(self, c: u32) -> u32 {
        if (SURROGATES..SURROGATES + BLOCK).contains(&c) {
            c - SURROGATES + self.base
        } else if (self.base..self.base + BLOCK).contains(&c) {
            c - self.base + SURROGATES
        } else {
            c
        }
    }

    /// WTF-8 text (UTF-8 that may hold lone surrogates, each as its own three bytes) with every
    /// code point swapped, as WTF-8 again.
    pub fn text(self, text: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + text.len() / 3);
        let mut i = 0;
        while i < text.len() {
            let (c, len) = char_at(text, i);
            let swapped = self.code_point(c);
            if swapped == c {
                out.extend_from_slice(&text[i..i + len]);
            } else {
                push_code_point(&mut out, swapped);
            }
            i += len;
        }
        out
    }

    /// The code point at byte `i` of WTF-8 `text`, and its length in bytes.
    pub fn code_point_at(text: &[u8], i: usize) -> (u32, usize) {
        char_at(text, i)
    }

    /// A dialect character (a code point, maybe a lone surrogate) swapped into a `char`, for
    /// the core's [`Dialect`](crate::Dialect); `None` for a code point in the block (which
    /// [`avoiding`](Swap::avoiding) rules out) or past U+10FFFF.
    pub fn to_char(self, c: u32) -> Option<char> {
        char::from_u32(self.code_point(c))
    }

    /// A `char` of a swapped dialect, or of text the core produced from one, as the code point
    /// it stands for.
    pub fn from_char(self, c: char) -> u32 {
        self.code_point(u32::from(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The WTF-8 of a code point, surrogates included.
    fn wtf8(c: u32) -> Vec<u8> {
        let mut out = Vec::new();
        push_code_point(&mut out, c);
        out
    }

    #[test]
    fn swaps_surrogates_with_a_free_block() {
        let swap = Swap::avoiding(&[]).unwrap();
        assert_eq!(swap.code_point(0xD800), 0x10_F800);
        assert_eq!(swap.code_point(0x10_FFFF), 0xDFFF);
        assert_eq!(swap.code_point(u32::from('a')), u32::from('a'));
        let busy = Swap::avoiding(&[0x10_F900, 0x10_F000]).unwrap();
        assert_eq!(busy.code_point(0xD800), 0x10_E800);
        let all: Vec<u32> = (0..128).map(|i| LOWEST + i * BLOCK).collect();
        assert_eq!(Swap::avoiding(&all), None);
    }

    #[test]
    fn text_swap_is_an_involution_per_code_point() {
        let swap = Swap::avoiding(&[]).unwrap();
        let points = [
            0x41, 0x0A, 0xE9, 0x20AC, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0x1_F600,
            0x10_F7FF, 0x10_F800, 0x10_FFFF,
        ];
        for &c in &points {
            for &d in &points {
                let mut text = wtf8(c);
                text.extend(wtf8(d));
                let mut want = wtf8(swap.code_point(c));
                want.extend(wtf8(swap.code_point(d)));
                assert_eq!(swap.text(&text), want, "{c:X} {d:X}");
                assert_eq!(swap.text(&want), text, "{c:X} {d:X}");
            }
        }
    }
}
