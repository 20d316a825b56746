//! Reading files a person hands growth (CRM exports): the text, without a byte-order mark.
//! An export of a million rows is over 100 MiB, so it is checked in pieces first and then
//! read as a stream ([`TextFile`]), never held whole.

use std::collections::VecDeque;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const BOM: &[u8] = b"\xef\xbb\xbf";

fn cannot_read(path: &Path, e: std::io::Error) -> Error {
    Error::io(format!("cannot read {}", path.display()), e)
}

fn not_utf8(path: &Path, line: usize) -> Error {
    Error::user(format!(
        "{}:{line}: the file is not UTF-8 text",
        path.display()
    ))
    .hint("export it from the CRM as UTF-8 CSV (most have the option), or convert it with iconv")
}

/// A text file checked to be UTF-8, to be read as a stream: its first line and how many
/// lines it has, without its text. A file in another encoding is refused with the line of
/// the first bad byte.
#[derive(Debug)]
pub struct TextFile {
    pub path: PathBuf,
    /// The first line, without its line end (a CSV file's header).
    pub first_line: String,
    /// Lines as `str::lines` counts them.
    pub lines: usize,
    bom: bool,
}

impl TextFile {
    /// Reads `path` through once, a piece at a time.
    pub fn check(path: &Path) -> Result<Self> {
        let mut file = std::fs::File::open(path).map_err(|e| cannot_read(path, e))?;
        let mut buf = vec![0u8; 1 << 20];
        // Bytes of a character cut by the end of the last piece, moved to the front.
        let mut carried = 0;
        let (mut newlines, mut last, mut total) = (0usize, None, 0u64);
        let mut first: Vec<u8> = Vec::new();
        let mut first_done = false;
        let mut bom = None;
        loop {
            let n = match file.read(&mut buf[carried..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(cannot_read(path, e)),
            };
            let mut skip = 0;
            if bom.is_none() {
                let head = &buf[..carried + n];
                if head.len() < BOM.len() && BOM.starts_with(head) {
                    carried = head.len();
                    continue;
                }
                bom = Some(head.starts_with(BOM));
                if head.starts_with(BOM) {
                    skip = BOM.len();
                }
            }
            let piece = &buf[skip..carried + n];
            let valid = match std::str::from_utf8(piece) {
                Ok(_) => piece.len(),
                // A character cut at the end of the piece: finished by the next one.
                Err(e) if e.error_len().is_none() => e.valid_up_to(),
                Err(e) => {
                    let line = newlines + count_newlines(&piece[..e.valid_up_to()]) + 1;
                    return Err(not_utf8(path, line));
                }
            };
            let text = &piece[..valid];
            if !first_done {
                match text.iter().position(|&b| b == b'\n') {
                    Some(end) => {
                        first.extend_from_slice(&text[..end]);
                        first_done = true;
                    }
                    None => first.extend_from_slice(text),
                }
            }
            newlines += count_newlines(text);
            total += valid as u64;
            last = text.last().copied().or(last);
            let rest = piece.len() - valid;
            buf.copy_within(skip + valid..skip + valid + rest, 0);
            carried = rest;
        }
        if carried > 0 {
            // The file ends inside a character.
            return Err(not_utf8(path, newlines + 1));
        }
        if first.ends_with(b"\r") {
            first.pop();
        }
        let lines = newlines + usize::from(total > 0 && last != Some(b'\n'));
        Ok(TextFile {
            path: path.to_path_buf(),
            first_line: String::from_utf8(first).map_err(|_| not_utf8(path, 1))?,
            lines,
            bom: bom == Some(true),
        })
    }

    /// The text as a stream (after the BOM), which notes where its lines end as it is read.
    pub fn open(&self) -> Result<LineCounter> {
        let mut file = std::fs::File::open(&self.path).map_err(|e| cannot_read(&self.path, e))?;
        if self.bom {
            file.seek(SeekFrom::Start(BOM.len() as u64))
                .map_err(|e| cannot_read(&self.path, e))?;
        }
        Ok(LineCounter {
            file,
            read: 0,
            ends: VecDeque::new(),
            line: 1,
        })
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// A file read as a stream that keeps the offsets of the line-end bytes (CR and LF) read
/// but not yet passed, to say which line an offset is on. A reader ahead of its consumer
/// by a buffer keeps a buffer's worth of them.
#[derive(Debug)]
pub struct LineCounter {
    file: std::fs::File,
    read: u64,
    /// Offsets of CR and LF bytes read and not yet passed, and whether each is an LF.
    ends: VecDeque<(u64, bool)>,
    line: u64,
}

impl LineCounter {
    /// The line a record starting at `offset` begins on, line ends at the offset skipped
    /// (a CSV reader puts a record after a CR at the LF that follows it). Offsets must not
    /// go back: what is passed is forgotten.
    pub fn line_at(&mut self, offset: u64) -> u64 {
        let mut at = offset;
        while let Some(&(end, lf)) = self.ends.front() {
            if end <= at {
                if end == at {
                    at += 1;
                }
                self.line += u64::from(lf);
                self.ends.pop_front();
            } else {
                break;
            }
        }
        self.line
    }
}

impl Read for LineCounter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.ends.push_back((self.read + i as u64, b == b'\n'));
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test's failure is its panic
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    fn message(e: Error) -> String {
        format!("{e}")
    }

    #[test]
    fn a_bom_is_skipped_and_lines_are_counted_as_str_lines_counts_them() {
        for text in ["a,b\r\n1,2\r\n", "a,b\n1,2", "a,b", "", "\n\n", "\u{feff}"] {
            let mut bytes = BOM.to_vec();
            bytes.extend_from_slice(text.as_bytes());
            let (_dir, path) = file(&bytes);
            let checked = TextFile::check(&path).unwrap();
            assert_eq!(checked.lines, text.lines().count(), "{text:?}");
            assert_eq!(checked.first_line, text.lines().next().unwrap_or_default());
            let mut read = String::new();
            checked.open().unwrap().read_to_string(&mut read).unwrap();
            assert_eq!(read, text);
        }
    }

    #[test]
    fn a_character_cut_by_a_piece_end_is_read_whole_and_a_bad_byte_named_by_line() {
        let mut bytes = vec![b'a'; (1 << 20) - 1];
        bytes[10] = b'\n';
        bytes.extend_from_slice("é\n".as_bytes());
        let (_dir, path) = file(&bytes);
        assert_eq!(TextFile::check(&path).unwrap().lines, 2);
        bytes.extend_from_slice(b"ok\n\xff\n");
        let (_dir, path) = file(&bytes);
        let e = message(TextFile::check(&path).unwrap_err());
        assert!(e.contains(":4: the file is not UTF-8 text"), "{e}");
        let (_dir, path) = file(b"a\n\xc3");
        let e = message(TextFile::check(&path).unwrap_err());
        assert!(e.contains(":2: the file is not UTF-8 text"), "{e}");
    }

    #[test]
    fn a_record_after_a_crlf_is_on_the_next_line() {
        let (_dir, path) = file(b"h\r\n1\r\n\r\n2\n3");
        let mut lines = TextFile::check(&path).unwrap().open().unwrap();
        let mut sink = Vec::new();
        lines.read_to_end(&mut sink).unwrap();
        // The csv crate puts a record after a CR at the LF that follows.
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(5), 4);
        assert_eq!(lines.line_at(8), 4);
        assert_eq!(lines.line_at(10), 5);
        assert_eq!(lines.line_at(11), 5);
    }
}
