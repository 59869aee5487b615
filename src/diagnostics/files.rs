//! The workspace's files as codespan-reporting reads them. A file's line starts are found
//! when a diagnostic first quotes it, on the thread rendering that diagnostic: finding them
//! for every file before rendering was a scan of the whole workspace on one core (hub-spoke
//! 100: 7 million instructions, while the other core waited), and files without findings
//! need none. They are found with `memchr` (a vectorised search): codespan's `SimpleFile`
//! looked at each character, 7 instructions a byte of every quoted file.

use std::ops::Range;
use std::sync::OnceLock;

use codespan_reporting::files::{Error, Files as CodespanFiles};

/// The workspace's files in codespan's form (file id = [`crate::ir::FileIdx`]), borrowing
/// the database's texts (a copy of every file doubled a large workspace's source in memory).
pub struct Files<'db> {
    files: Vec<LazyFile<'db>>,
}

struct LazyFile<'db> {
    name: &'db str,
    source: &'db str,
    /// The byte offset of each line's start.
    line_starts: OnceLock<Vec<usize>>,
}

impl<'db> Files<'db> {
    /// The files, by name and text, in workspace order.
    pub fn new(files: impl IntoIterator<Item = (&'db str, &'db str)>) -> Self {
        let files = files
            .into_iter()
            .map(|(name, source)| LazyFile {
                name,
                source,
                line_starts: OnceLock::new(),
            })
            .collect();
        Files { files }
    }

    fn file(&self, id: usize) -> Result<&LazyFile<'db>, Error> {
        self.files.get(id).ok_or(Error::FileMissing)
    }

    /// The file's line starts, found on first use.
    fn line_starts(&self, id: usize) -> Result<&[usize], Error> {
        let file = self.file(id)?;
        Ok(file.line_starts.get_or_init(|| {
            let newlines = memchr::memchr_iter(b'\n', file.source.as_bytes());
            std::iter::once(0).chain(newlines.map(|i| i + 1)).collect()
        }))
    }

    /// Where line `line` starts; the line after the last starts at the end of the text.
    fn line_start(&self, id: usize, line: usize) -> Result<usize, Error> {
        let starts = self.line_starts(id)?;
        match starts.get(line) {
            Some(&start) => Ok(start),
            None if line == starts.len() => Ok(self.file(id)?.source.len()),
            None => Err(Error::LineTooLarge {
                given: line,
                max: starts.len() - 1,
            }),
        }
    }
}

impl<'a, 'db: 'a> CodespanFiles<'a> for Files<'db> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.file(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.file(id)?.source)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        let starts = self.line_starts(id)?;
        Ok(starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next_line| next_line - 1))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        Ok(self.line_start(id, line_index)?..self.line_start(id, line_index + 1)?)
    }
}

#[cfg(test)]
mod tests {
    use codespan_reporting::files::{Files as _, SimpleFiles};

    /// Every answer is the one codespan's own eager files give.
    #[test]
    fn answers_as_simple_files_do() {
        let texts = [
            ("a.vnet", "vpc a {\n  cidr 10.0.0.0/16\n}\n"),
            ("b.vnet", "no newline at the end"),
            ("c.vnet", ""),
            ("d.vnet", "\r\n\n# é\n"),
        ];
        let lazy = super::Files::new(texts);
        let mut eager = SimpleFiles::new();
        for (name, source) in texts {
            eager.add(name, source);
        }
        for (id, (_, source)) in texts.iter().enumerate() {
            assert_eq!(lazy.name(id).ok(), eager.name(id).ok());
            assert_eq!(lazy.source(id).ok(), eager.source(id).ok());
            for byte in 0..=source.len() + 1 {
                assert_eq!(
                    lazy.line_index(id, byte).ok(),
                    eager.line_index(id, byte).ok()
                );
            }
            for line in 0..source.len() + 3 {
                assert_eq!(
                    lazy.line_range(id, line).ok(),
                    eager.line_range(id, line).ok()
                );
            }
        }
        assert!(lazy.name(texts.len()).is_err());
        assert!(lazy.line_index(texts.len(), 0).is_err());
    }
}
