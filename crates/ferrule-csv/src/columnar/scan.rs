//! Byte scanning shared by the columnar reader's splitting and error positions: line ends as
//! Python's `newline=''` mode sees them (`\n`, `\r\n`, lone `\r`), found with `memchr`'s
//! vectorised search rather than byte by byte.
//!
//! The row reader could split its blocks with [`line_end`] too; it takes `&str` lines today.

/// The end of the line starting at `start`: just past its line terminator, or the input's
/// length if the last line has none.
#[inline]
pub fn line_end(bytes: &[u8], start: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
        None => bytes.len(),
        Some(i) => {
            let at = start + i;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            }
        }
    }
}

/// The first line start at or after `offset` (a line start is 0 or just past a line
/// terminator), or the input's length.
pub fn next_line_start(bytes: &[u8], offset: usize) -> usize {
    if offset == 0 || offset >= bytes.len() {
        return offset.min(bytes.len());
    }
    let prev = bytes[offset - 1];
    if prev == b'\n' || (prev == b'\r' && bytes[offset] != b'\n') {
        return offset;
    }
    line_end(bytes, offset)
}

/// The 1-based line and character column of `offset` in UTF-8 `text`.
pub fn line_and_column(text: &[u8], offset: usize) -> (u64, u64) {
    let prefix = &text[..offset.min(text.len())];
    let mut line = 1u64;
    let mut line_start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', prefix) {
        if prefix[i] == b'\r' && prefix.get(i + 1) == Some(&b'\n') {
            continue;
        }
        line += 1;
        line_start = i + 1;
    }
    // A `\r` whose `\n` lies at `offset` has not ended its line yet.
    if offset > 0 && prefix.last() == Some(&b'\r') && text.get(offset) == Some(&b'\n') {
        line -= 1;
        line_start = prefix[..offset - 1]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |p| p + 1);
    }
    let column = prefix[line_start..]
        .iter()
        .filter(|&&b| (b as i8) >= -0x40)
        .count() as u64
        + 1;
    (line, column)
}

/// The 1-based line of each of `offsets` (ascending) in `text`, in one pass.
pub(crate) fn line_numbers(text: &[u8], offsets: &[usize]) -> Vec<u64> {
    let mut lines = Vec::with_capacity(offsets.len());
    let mut line = 1u64;
    let mut counted_to = 0;
    for &offset in offsets {
        let offset = offset.min(text.len()).max(counted_to);
        for i in memchr::memchr2_iter(b'\n', b'\r', &text[counted_to..offset]) {
            let at = counted_to + i;
            if !(text[at] == b'\r' && text.get(at + 1) == Some(&b'\n')) {
                line += 1;
            }
        }
        counted_to = offset;
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_follow_newline_empty_string_mode() {
        let text = b"a\nb\r\nc\rd";
        assert_eq!(line_end(text, 0), 2);
        assert_eq!(line_end(text, 2), 5);
        assert_eq!(line_end(text, 5), 7);
        assert_eq!(line_end(text, 7), 8);
    }

    #[test]
    fn next_line_start_snaps_forward() {
        let text = b"ab\r\ncd\ref\n";
        assert_eq!(next_line_start(text, 0), 0);
        assert_eq!(next_line_start(text, 1), 4);
        assert_eq!(next_line_start(text, 3), 4);
        assert_eq!(next_line_start(text, 4), 4);
        assert_eq!(next_line_start(text, 5), 7);
        assert_eq!(next_line_start(text, 7), 7);
        assert_eq!(next_line_start(text, 9), 10);
    }

    #[test]
    fn positions_count_every_line_end_style() {
        let text = "a\nb\r\nc\ré,x".as_bytes();
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 2), (2, 1));
        assert_eq!(line_and_column(text, 5), (3, 1));
        assert_eq!(line_and_column(text, 10), (4, 3));
        assert_eq!(line_and_column(b"a\r\nb", 2), (1, 3));
        assert_eq!(
            line_numbers(b"a\nb\r\nc\rd", &[0, 2, 5, 7, 8]),
            [1, 2, 3, 4, 4]
        );
    }
}
