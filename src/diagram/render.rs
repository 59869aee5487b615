//! SVG and PNG through Graphviz's `dot`, run as a separate program (no library binding), so
//! that vnet builds without Graphviz and only these two formats need it.

use std::io::Write;
use std::process::{Command, Stdio};

/// The Graphviz program, looked up on `PATH`.
pub const DOT_PROGRAM: &str = "dot";

/// An image format Graphviz writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Image {
    Svg,
    Png,
}

impl Image {
    fn flag(self) -> &'static str {
        match self {
            Image::Svg => "-Tsvg",
            Image::Png => "-Tpng",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Image::Svg => "svg",
            Image::Png => "png",
        }
    }
}

/// Renders DOT text; the error is one line, and names the package to install when `dot` is
/// missing.
pub fn render(dot_text: &str, image: Image) -> Result<Vec<u8>, String> {
    let spawned = Command::new(DOT_PROGRAM)
        .arg(image.flag())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "--format {} needs Graphviz's `dot`, which is not installed: install the Debian \
                 package `graphviz` (apt-get install graphviz), or use --format dot or mermaid",
                image.name()
            ))
        }
        Err(e) => return Err(format!("cannot run Graphviz's `dot`: {e}")),
    };
    // Write from another thread: `dot` may fill its output pipe before reading all its input.
    let input = dot_text.as_bytes().to_vec();
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || match stdin {
        Some(mut s) => s.write_all(&input),
        None => Ok(()),
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("cannot run Graphviz's `dot`: {e}"))?;
    let written = writer.join().unwrap_or(Ok(()));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(format!(
            "Graphviz's `dot` failed ({}): {first}",
            output.status
        ));
    }
    if let Err(e) = written {
        return Err(format!("cannot write to Graphviz's `dot`: {e}"));
    }
    Ok(output.stdout)
}
