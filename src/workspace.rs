//! Reading a workspace from disk: a directory (every `.vnet` file below it) or a list of
//! files. Problems here are usage or I/O errors (exit code 2), each a one-line message.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a workspace could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// The `.vnet` files named by `paths` (files as given; directories searched recursively,
/// following symbolic links but not their loops), with their text, sorted by path.
pub fn load(paths: &[PathBuf]) -> Result<Vec<(String, String)>, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| LoadError(format!("{}: {}", path.display(), io_reason(&e))))?;
        if meta.is_dir() {
            let found = vnet_files_in(path)?;
            if found.is_empty() {
                return Err(LoadError(format!(
                    "{}: no .vnet file in this directory",
                    path.display()
                )));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    files.into_iter().map(|p| read(&p)).collect()
}

/// Every `.vnet` file below `dir`, sorted by file name at each level.
pub fn vnet_files_in(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            // A symlink loop is skipped: the files it leads to are reached another way.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let at = e.path().unwrap_or(dir).display().to_string();
                let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
                return Err(LoadError(format!("{at}: {reason}")));
            }
        };
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|x| x == "vnet") {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// The largest file vnetc reads: far above any real network (the 5,000-subnet benchmark
/// network is 10 MB in all), and a bound on the memory a stray file can take.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// Reads one file as UTF-8 text. Only regular files: a FIFO or a device named by mistake
/// (`/dev/zero`) would block or never end.
pub fn read(path: &Path) -> Result<(String, String), LoadError> {
    use std::io::Read;
    let fail = |e: std::io::Error| LoadError(format!("{}: {}", path.display(), io_reason(&e)));
    // `stat` first: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(fail)?;
    if !meta.is_file() {
        return Err(LoadError(format!(
            "{}: not a regular file (a FIFO, socket or device cannot be a .vnet file)",
            path.display()
        )));
    }
    let too_large = || {
        LoadError(format!(
            "{}: file too large (more than {} MiB); split the network into several files",
            path.display(),
            MAX_FILE_BYTES / (1024 * 1024)
        ))
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(fail)?;
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    // The file may have grown since `stat`.
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        LoadError(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok((path.display().to_string(), text))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}
