//! Reading files a person hands growth (CRM exports): the text, without a byte-order mark.

use std::path::Path;

use crate::error::{Error, Result};

/// The UTF-8 text of `path`, without a leading BOM. A file in another encoding is refused
/// with the line of the first bad byte.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let line = bytes[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Error::user(format!(
            "{}:{line}: the file is not UTF-8 text",
            path.display()
        ))
        .hint(
            "export it from the CRM as UTF-8 CSV (most have the option), or convert it with iconv",
        )
    })
}
