//! UTF-16 decoded block by block for [`CsvStream`](super::CsvStream): a code unit or a
//! surrogate pair cut by a block's end waits for the next block, so the stream sees UTF-8 whose
//! line ends are single bytes.

use super::options::DecodeErrors;

/// The decoder's state between blocks.
#[derive(Debug)]
pub(crate) struct Utf16Blocks {
    /// Known once the first two bytes are (a byte order mark, else little-endian).
    big_endian: Option<bool>,
    /// Bytes not decoded yet: an odd byte or a high surrogate at a block's end.
    pending: Vec<u8>,
    /// Input bytes decoded (or skipped as the byte order mark) so far.
    consumed: usize,
    errors: DecodeErrors,
}

/// A block's decoded text, and the bytes of a byte order mark skipped before it.
pub(crate) struct Decoded {
    pub(crate) text: String,
    pub(crate) bom: usize,
}

/// A bad sequence: the text decoded before it in this block and its byte in the whole input.
pub(crate) struct BadUnit {
    pub(crate) before: String,
    pub(crate) byte: usize,
}

impl Utf16Blocks {
    pub(crate) fn new(errors: DecodeErrors) -> Utf16Blocks {
        Utf16Blocks {
            big_endian: None,
            pending: Vec::new(),
            consumed: 0,
            errors,
        }
    }

    /// Decodes what `block` completes; `last` flushes everything.
    pub(crate) fn decode(&mut self, block: &[u8], last: bool) -> Result<Decoded, BadUnit> {
        self.pending.extend_from_slice(block);
        let mut bom = 0;
        if self.big_endian.is_none() {
            if self.pending.len() < 2 && !last {
                return Ok(Decoded {
                    text: String::new(),
                    bom: 0,
                });
            }
            let (big_endian, skip) = match self.pending.as_slice() {
                [0xfe, 0xff, ..] => (true, 2),
                [0xff, 0xfe, ..] => (false, 2),
                _ => (false, 0),
            };
            self.big_endian = Some(big_endian);
            bom = skip;
            self.pending.drain(..skip);
            self.consumed += skip;
        }
        let big_endian = self.big_endian.unwrap_or(false);
        let unit = |pair: &[u8]| {
            if big_endian {
                u16::from_be_bytes([pair[0], pair[1]])
            } else {
                u16::from_le_bytes([pair[0], pair[1]])
            }
        };
        let mut usable = self.pending.len() & !1;
        if !last
            && usable >= 2
            && (0xd800..0xdc00).contains(&unit(&self.pending[usable - 2..usable]))
        {
            usable -= 2;
        }
        let mut text = String::with_capacity(usable);
        let mut index = 0usize;
        for decoded in char::decode_utf16(self.pending[..usable].chunks_exact(2).map(unit)) {
            match decoded {
                Ok(c) => {
                    index += c.len_utf16();
                    text.push(c);
                }
                Err(_) if self.errors == DecodeErrors::Replace => {
                    index += 1;
                    text.push(char::REPLACEMENT_CHARACTER);
                }
                Err(_) => {
                    return Err(BadUnit {
                        before: text,
                        byte: self.consumed + index * 2,
                    });
                }
            }
        }
        if last && self.pending.len() > usable {
            if self.errors == DecodeErrors::Strict {
                return Err(BadUnit {
                    before: text,
                    byte: self.consumed + usable,
                });
            }
            text.push(char::REPLACEMENT_CHARACTER);
            usable = self.pending.len();
        }
        self.consumed += usable;
        self.pending.drain(..usable);
        Ok(Decoded { text, bom })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(input: &[u8], size: usize, errors: DecodeErrors) -> Result<String, usize> {
        let mut decoder = Utf16Blocks::new(errors);
        let mut out = String::new();
        for piece in input.chunks(size) {
            out += &decoder.decode(piece, false).map_err(|e| e.byte)?.text;
        }
        out += &decoder.decode(&[], true).map_err(|e| e.byte)?.text;
        Ok(out)
    }

    #[test]
    fn any_cut_decodes_as_the_whole() {
        let text = "a,é\n𝄞,\"x\r\ny\"\n";
        let mut le = vec![0xff, 0xfe];
        let mut be = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        for size in 1..8 {
            assert_eq!(blocks(&le, size, DecodeErrors::Strict).unwrap(), text);
            assert_eq!(blocks(&be, size, DecodeErrors::Strict).unwrap(), text);
            assert_eq!(blocks(&le[2..], size, DecodeErrors::Strict).unwrap(), text);
        }
        // A lone surrogate and an odd last byte: errors at their bytes, or replaced.
        let bad = [0xff, 0xfe, b'a', 0, 0x00, 0xdc, b'b'];
        assert_eq!(blocks(&bad, 3, DecodeErrors::Strict), Err(4));
        assert_eq!(blocks(&bad[..6], 3, DecodeErrors::Strict), Err(4));
        assert_eq!(
            blocks(&bad, 3, DecodeErrors::Replace).unwrap(),
            "a\u{fffd}\u{fffd}"
        );
    }
}
