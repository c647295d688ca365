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
}

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
        }
    }

    /// Appends a block of text. Lines already returned are forgotten.
    pub fn push(&mut self, block: &str) {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.push_str(block);
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
