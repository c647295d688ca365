//! Splitting text into lines the way `io.TextIOWrapper.readline` does.
//!
//! The binding reads large blocks with `read()` and splits them here instead of calling
//! `readline()` per line. Blocks are what `read()` returned, so with `newline=None` they are
//! already translated to `'\n'` and universal splitting gives the same lines.

use memchr::{memchr, memchr2, memmem};

/// Where a line ends, after `TextIOWrapper`'s `newline` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewlineMode {
    /// `newline=''` or `newline=None`: a line ends at `"\n"`, `"\r"` or `"\r\n"`.
    Universal,
    /// `newline='\n'`, `'\r'` or `'\r\n'`: a line ends only at that string. An empty string
    /// means [`Universal`](NewlineMode::Universal).
    Fixed(String),
}

#[derive(Clone, Debug)]
enum Terminator {
    Universal,
    Byte(u8),
    Other(Box<memmem::Finder<'static>>),
}

/// An incremental line splitter: [`push`](LineSplitter::push) blocks of text, pull complete
/// lines with [`next_line`](LineSplitter::next_line), each keeping its terminator.
///
/// A line is returned only once its terminator is complete: in universal mode a block that
/// ends in `'\r'` waits for the next one, which may start with `'\n'`. After
/// [`finish`](LineSplitter::finish) the rest of the text comes out as a last line.
#[derive(Clone, Debug)]
pub struct LineSplitter {
    terminator: Terminator,
    buf: String,
    /// Start of the unread text in `buf`.
    pos: usize,
    finished: bool,
    /// The first bytes of a character that the last block given to
    /// [`push_utf8`](LineSplitter::push_utf8) cut off; completed by the next block.
    partial: [u8; 4],
    partial_len: usize,
}

/// A block given to [`LineSplitter::push_utf8`] is not valid UTF-8; nothing of it was kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidUtf8;

impl LineSplitter {
    /// A splitter for `mode`.
    pub fn new(mode: NewlineMode) -> LineSplitter {
        let terminator = match mode {
            NewlineMode::Universal => Terminator::Universal,
            NewlineMode::Fixed(s) if s.is_empty() => Terminator::Universal,
            NewlineMode::Fixed(s) if s.len() == 1 => Terminator::Byte(s.as_bytes()[0]),
            NewlineMode::Fixed(s) => {
                Terminator::Other(Box::new(memmem::Finder::new(s.as_bytes()).into_owned()))
            }
        };
        LineSplitter {
            terminator,
            buf: String::new(),
            pos: 0,
            finished: false,
            partial: [0; 4],
            partial_len: 0,
        }
    }

    /// Appends a block of text. Lines already returned are forgotten.
    pub fn push(&mut self, block: &str) {
        self.compact();
        self.buf.push_str(block);
    }

    fn compact(&mut self) {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
    }

    /// Appends a block of bytes that should be UTF-8, as read from a file in blocks: a
    /// character cut by the end of the block waits for the next one (see
    /// [`partial_len`](LineSplitter::partial_len)). On invalid UTF-8 nothing of the block is
    /// appended and the splitter must not be given more of the same input.
    ///
    /// # Errors
    ///
    /// [`InvalidUtf8`] if the bytes, with those held back from the previous block, are not the
    /// start of valid UTF-8.
    pub fn push_utf8(&mut self, mut block: &[u8]) -> Result<(), InvalidUtf8> {
        self.compact();
        if self.partial_len > 0 {
            let lead = self.partial[0];
            let width = if lead >= 0xF0 {
                4
            } else if lead >= 0xE0 {
                3
            } else {
                2
            };
            let take = (width - self.partial_len).min(block.len());
            self.partial[self.partial_len..self.partial_len + take].copy_from_slice(&block[..take]);
            let have = self.partial_len + take;
            let whole = std::str::from_utf8(&self.partial[..have]);
            match whole {
                Ok(c) if have == width => {
                    self.buf.push_str(c);
                    self.partial_len = 0;
                    block = &block[take..];
                }
                // Still cut (a block of one or two bytes): the character is not complete yet.
                Err(e) if e.error_len().is_none() && have < width => {
                    self.partial_len = have;
                    return Ok(());
                }
                _ => return Err(InvalidUtf8),
            }
        }
        match std::str::from_utf8(block) {
            Ok(text) => self.buf.push_str(text),
            Err(e) if e.error_len().is_none() => {
                let (valid, cut) = block.split_at(e.valid_up_to());
                self.buf
                    .push_str(std::str::from_utf8(valid).map_err(|_| InvalidUtf8)?);
                self.partial[..cut.len()].copy_from_slice(cut);
                self.partial_len = cut.len();
            }
            Err(_) => return Err(InvalidUtf8),
        }
        Ok(())
    }

    /// Bytes of a cut character held back by [`push_utf8`](LineSplitter::push_utf8): not in
    /// [`rest`](LineSplitter::rest) yet. At the end of the input, a cut character is invalid.
    pub fn partial_len(&self) -> usize {
        self.partial_len
    }

    /// Forgets the bytes of a cut character (the caller reads them again some other way).
    pub fn drop_partial(&mut self) {
        self.partial_len = 0;
    }

    /// Marks the end of the input: the unterminated rest becomes the last line.
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// Whether no unread text is buffered.
    pub fn is_empty(&self) -> bool {
        self.pos == self.buf.len()
    }

    /// The unread text: what [`next_line`](LineSplitter::next_line) has not returned yet.
    pub fn rest(&self) -> &str {
        &self.buf[self.pos..]
    }

    /// The next complete line, terminator included, or `None` if more input is needed (or,
    /// after [`finish`](LineSplitter::finish), if the input is exhausted).
    pub fn next_line(&mut self) -> Option<&str> {
        let rest = &self.buf.as_bytes()[self.pos..];
        if rest.is_empty() {
            return None;
        }
        let end = match &self.terminator {
            Terminator::Universal => match memchr2(b'\n', b'\r', rest) {
                Some(i) if rest[i] == b'\n' => Some(i + 1),
                Some(i) if i + 1 < rest.len() => {
                    Some(if rest[i + 1] == b'\n' { i + 2 } else { i + 1 })
                }
                // A final '\r' may be the first half of "\r\n".
                Some(i) if self.finished => Some(i + 1),
                _ => None,
            },
            Terminator::Byte(b) => memchr(*b, rest).map(|i| i + 1),
            Terminator::Other(finder) => finder.find(rest).map(|i| i + finder.needle().len()),
        };
        let end = match end {
            Some(end) => end,
            None if self.finished => rest.len(),
            None => return None,
        };
        let start = self.pos;
        self.pos += end;
        Some(&self.buf[start..self.pos])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushes `blocks` one at a time, collecting lines after each, then finishes.
    fn split(mode: NewlineMode, blocks: &[&str]) -> Vec<String> {
        let mut splitter = LineSplitter::new(mode);
        let mut lines = Vec::new();
        for block in blocks {
            splitter.push(block);
            while let Some(line) = splitter.next_line() {
                lines.push(line.to_owned());
            }
        }
        splitter.finish();
        while let Some(line) = splitter.next_line() {
            lines.push(line.to_owned());
        }
        assert!(splitter.is_empty());
        assert_eq!(splitter.rest(), "");
        lines
    }

    fn fixed(s: &str) -> NewlineMode {
        NewlineMode::Fixed(s.to_owned())
    }

    #[test]
    fn splits_like_readline() {
        // Expected lines checked against `io.StringIO(text, newline=...).readlines()`.
        let cases: &[(NewlineMode, &[&str], &[&str])] = &[
            (NewlineMode::Universal, &[], &[]),
            (NewlineMode::Universal, &[""], &[]),
            (NewlineMode::Universal, &["a"], &["a"]),
            (NewlineMode::Universal, &["a\nb"], &["a\n", "b"]),
            (
                NewlineMode::Universal,
                &["a\r\nb\rc\n\n"],
                &["a\r\n", "b\r", "c\n", "\n"],
            ),
            (NewlineMode::Universal, &["a\r", "\nb"], &["a\r\n", "b"]),
            (NewlineMode::Universal, &["a\r", "b"], &["a\r", "b"]),
            (NewlineMode::Universal, &["a\r"], &["a\r"]),
            (NewlineMode::Universal, &["a\r", "", "\r"], &["a\r", "\r"]),
            (
                NewlineMode::Universal,
                &["\r\r\n\n\r"],
                &["\r", "\r\n", "\n", "\r"],
            ),
            (
                NewlineMode::Universal,
                &["ab", "c\nd", "e"],
                &["abc\n", "de"],
            ),
            (NewlineMode::Universal, &["é\r€\n"], &["é\r", "€\n"]),
            (fixed(""), &["a\rb"], &["a\r", "b"]),
            (fixed("\n"), &["a\r\nb\rc\n"], &["a\r\n", "b\rc\n"]),
            (fixed("\r"), &["a\r\nb\rc\n"], &["a\r", "\nb\r", "c\n"]),
            (
                fixed("\r\n"),
                &["a\r\nb\rc\n\r", "\nd"],
                &["a\r\n", "b\rc\n\r\n", "d"],
            ),
            (fixed("\r\n"), &["a\r"], &["a\r"]),
        ];
        for (mode, blocks, want) in cases {
            assert_eq!(split(mode.clone(), blocks), *want, "{mode:?} {blocks:?}");
        }
    }

    #[test]
    fn utf8_blocks_cut_anywhere_give_the_text() {
        let text = "a,é\r\n€,𝄞\nb";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            for cut2 in cut..=bytes.len() {
                let mut splitter = LineSplitter::new(NewlineMode::Universal);
                for block in [&bytes[..cut], &bytes[cut..cut2], &bytes[cut2..]] {
                    splitter.push_utf8(block).unwrap();
                }
                assert_eq!(splitter.partial_len(), 0);
                assert_eq!(splitter.rest(), text, "cuts at {cut} and {cut2}");
            }
        }
        let mut splitter = LineSplitter::new(NewlineMode::Universal);
        splitter.push_utf8(&"ab€".as_bytes()[..3]).unwrap();
        assert_eq!((splitter.rest(), splitter.partial_len()), ("ab", 1));
    }

    #[test]
    fn invalid_utf8_is_refused_wherever_the_block_ends() {
        for bad in [
            &b"a\xffb"[..],
            b"\xe2\x82a",
            b"\xc3\xa9\x80",
            b"\xed\xa0\x80",
        ] {
            for cut in 0..=bad.len() {
                let mut splitter = LineSplitter::new(NewlineMode::Universal);
                let first = splitter.push_utf8(&bad[..cut]);
                let second = first.and_then(|()| splitter.push_utf8(&bad[cut..]));
                // A cut character at the very end is not an error yet: the input may go on.
                let refused = second.is_err() || splitter.partial_len() > 0;
                assert!(refused, "{bad:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn every_block_boundary_gives_the_same_lines() {
        let text = "a,b\r\n\"c\rd\"\n\r\re€\r\n\r";
        for mode in [
            NewlineMode::Universal,
            fixed("\n"),
            fixed("\r"),
            fixed("\r\n"),
        ] {
            let whole = split(mode.clone(), &[text]);
            let cuts: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &cut in &cuts {
                let (a, b) = text.split_at(cut);
                assert_eq!(split(mode.clone(), &[a, b]), whole, "{mode:?} cut at {cut}");
            }
            assert_eq!(whole.concat(), text);
        }
    }
}
