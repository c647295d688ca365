//! Files read through a memory map, so that a read's peak memory is not the whole file plus
//! its columns: each slice's pages are dropped once the slice is converted (they are file
//! pages, read again from the page cache if an error's line number needs them).

use std::fs::File;
use std::ops::Range;
use std::path::Path;

use memmap2::{Mmap, UncheckedAdvice};

use super::error::ColumnarError;
use super::options::ReadOptions;
use super::read::read_csv_releasing;
use super::table::Table;

/// The page size assumed; where pages are larger, a range not aligned to them is refused by
/// `madvise` and simply stays resident.
const PAGE: usize = 4096;

/// A file's bytes: mapped when it is a regular, non-empty file, read into memory otherwise
/// (pipes, character devices, and empty files, which cannot be mapped).
pub struct MappedFile {
    bytes: Bytes,
}

enum Bytes {
    Mapped(Mmap),
    Read(Vec<u8>),
}

impl MappedFile {
    /// Opens and maps (or reads) `path`.
    pub fn open(path: &Path) -> std::io::Result<MappedFile> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_file() && meta.len() > 0 {
            // SAFETY: the map is private and read-only; as with any reader, a file changed
            // while it is read gives undefined contents (here possibly undefined behaviour,
            // the price of the map, as for every mmap-based reader such as polars').
            let map = unsafe { Mmap::map(&file)? };
            return Ok(MappedFile {
                bytes: Bytes::Mapped(map),
            });
        }
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data)?;
        Ok(MappedFile {
            bytes: Bytes::Read(data),
        })
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(map) => map,
            Bytes::Read(data) => data,
        }
    }

    /// [`read_csv`](super::read_csv) of the file's bytes, dropping the pages of each slice
    /// once its columns are built.
    pub fn read_csv(&self, options: &ReadOptions) -> Result<Table, ColumnarError> {
        read_csv_releasing(self.bytes(), options, &|range| self.release(range))
    }

    /// Drops the whole pages inside `range` from memory.
    fn release(&self, range: Range<usize>) {
        let Bytes::Mapped(map) = &self.bytes else {
            return;
        };
        let start = range.start.div_ceil(PAGE) * PAGE;
        let end = (range.end.min(map.len()) / PAGE) * PAGE;
        if start >= end {
            return;
        }
        // SAFETY: MADV_DONTNEED on a private, read-only file mapping never written to drops
        // the pages from this process only; the next access reads the same bytes from the
        // file again (memmap2 calls it unchecked because on writable or anonymous mappings
        // it would zero them). Slices still borrowed by other threads thus see no change.
        let _ =
            unsafe { map.unchecked_advise_range(UncheckedAdvice::DontNeed, start, end - start) };
    }
}

/// Hands the C allocator's free memory back to the system, before a read of `len` bytes of
/// input if that is large (4 MiB up).
///
/// glibc keeps the memory of a freed table resident in its arenas (only what lies at the top of
/// an arena is given back), and the next read's allocations reuse it only in part: reading the
/// 500-column benchmark file twice in one process peaked at 234-264 MiB over the interpreter
/// instead of 182 MiB (quoted file: 353 MiB instead of 295 MiB). `malloc_trim` drops every
/// free page first, so each read peaks as the first one does; it walks the free lists once,
/// negligible beside a read of megabytes.
pub(crate) fn trim_free_memory(len: usize) {
    if len < 4 << 20 {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free memory to the system; it takes each arena's
    // lock, so it is safe beside allocations on other threads.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Asks for the spare capacity of `buf` to be backed by 2 MiB pages when first written
/// (transparent huge pages are often on only where asked for, "madvise" mode): a buffer of
/// megabytes filled once otherwise takes a page fault per 4 KiB, which cost more than the
/// zeroing of the page itself. Only the whole 2 MiB pages inside it are advised.
pub(crate) fn advise_huge_pages(buf: &mut Vec<u8>) {
    const HUGE: usize = 2 << 20;
    let spare = buf.spare_capacity_mut();
    if spare.len() < HUGE {
        return;
    }
    let from = spare.as_ptr().addr();
    let start = from.div_ceil(HUGE) * HUGE;
    let end = (from + spare.len()) / HUGE * HUGE;
    if start >= end {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: MADV_HUGEPAGE only changes how the kernel backs these pages (which lie inside
    // the buffer's allocation and are not yet written), never their contents.
    unsafe {
        let _ = libc::madvise(
            spare.as_mut_ptr().add(start - from).cast(),
            end - start,
            libc::MADV_HUGEPAGE,
        );
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::columnar::read_csv;

    /// Pages dropped under a read are read again, and the table is the one `read_csv` gives
    /// the same bytes, with quoted line ends across every slice boundary.
    #[test]
    fn a_mapped_file_reads_like_its_bytes() {
        let mut text = String::from("id,note,x\n");
        for i in 0..40_000 {
            writeln!(text, "{i},\"a\nb,{i}\",{}.5", i % 7).unwrap();
        }
        let path = std::env::temp_dir().join(format!("ferrule-mapped-{}.csv", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        let options = ReadOptions {
            chunk_size: 10_000,
            threads: 3,
            ..ReadOptions::default()
        };
        let file = MappedFile::open(&path).unwrap();
        let mapped = file.read_csv(&options).unwrap();
        let plain = read_csv(text.as_bytes(), &options).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(mapped.num_rows(), 40_000);
        assert_eq!(mapped.schema(), plain.schema());
        assert_eq!(mapped.batches(), plain.batches());
    }
}
