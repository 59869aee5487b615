//! The workspace's files as codespan-reporting reads them. A file's line starts are found
//! when a diagnostic first quotes it, on the thread rendering that diagnostic: finding them
//! for every file before rendering was a scan of the whole workspace on one core (hub-spoke
//! 100: 7 million instructions, while the other core waited), and files without findings
//! need none.

use std::ops::Range;
use std::sync::OnceLock;

use codespan_reporting::files::{Error, Files as CodespanFiles, SimpleFile};

/// The workspace's files in codespan's form (file id = [`crate::ir::FileIdx`]), borrowing
/// the database's texts (a copy of every file doubled a large workspace's source in memory).
pub struct Files<'db> {
    files: Vec<LazyFile<'db>>,
}

struct LazyFile<'db> {
    name: &'db str,
    source: &'db str,
    lines: OnceLock<SimpleFile<&'db str, &'db str>>,
}

impl<'db> Files<'db> {
    /// The files, by name and text, in workspace order.
    pub fn new(files: impl IntoIterator<Item = (&'db str, &'db str)>) -> Self {
        let files = files
            .into_iter()
            .map(|(name, source)| LazyFile {
                name,
                source,
                lines: OnceLock::new(),
            })
            .collect();
        Files { files }
    }

    fn file(&self, id: usize) -> Result<&LazyFile<'db>, Error> {
        self.files.get(id).ok_or(Error::FileMissing)
    }

    /// The file with its line starts, found on first use.
    fn lines(&self, id: usize) -> Result<&SimpleFile<&'db str, &'db str>, Error> {
        let file = self.file(id)?;
        Ok(file
            .lines
            .get_or_init(|| SimpleFile::new(file.name, file.source)))
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
        self.lines(id)?.line_index((), byte_index)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        self.lines(id)?.line_range((), line_index)
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
