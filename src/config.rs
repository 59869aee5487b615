//! `vnet.toml`: the workspace's settings, found in the workspace's directory or the nearest
//! ancestor that has one (as ruff finds its configuration).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::flow::FlowConfig;
use crate::ir::PortRange;

/// The settings file's name.
pub const FILE_NAME: &str = "vnet.toml";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from, if anywhere.
    pub path: Option<PathBuf>,
    pub flow: FlowConfig,
    pub lint: crate::lint::config::LintConfig,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    ephemeral_ports: Option<String>,
    #[serde(default)]
    lint: crate::lint::config::LintConfig,
}

/// The nearest `vnet.toml` for a workspace given as `paths` (the first path's directory, or
/// the path itself when it is one, then its ancestors).
pub fn find(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.first()?;
    let start = if first.is_dir() {
        first.clone()
    } else {
        first.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let start = std::fs::canonicalize(if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &start
    })
    .ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Loads the settings for a workspace; an unreadable or invalid file is a one-line error.
pub fn load(paths: &[PathBuf]) -> Result<Config, String> {
    let Some(path) = find(paths) else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text)
        .map(|mut c| {
            c.path = Some(path.clone());
            c
        })
        .map_err(|e| format!("{}: {e}", path.display()))
}

pub fn parse(text: &str) -> Result<Config, String> {
    let file: File = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut config = Config::default();
    file.lint.validate()?;
    config.lint = file.lint;
    if let Some(range) = file.ephemeral_ports {
        config.flow.ephemeral = parse_range(&range).ok_or_else(|| {
            format!("ephemeral_ports = {range:?}: expected a port range such as \"1024-65535\"")
        })?;
    }
    Ok(config)
}

fn parse_range(text: &str) -> Option<PortRange> {
    let (lo, hi) = text.trim().split_once('-')?;
    let (from, to) = (
        lo.trim().parse::<u16>().ok()?,
        hi.trim().parse::<u16>().ok()?,
    );
    (from <= to).then_some(PortRange { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ephemeral_ports() {
        let c = parse("ephemeral_ports = \"32768-65535\"").unwrap();
        assert_eq!(
            c.flow.ephemeral,
            PortRange {
                from: 32768,
                to: 65535
            }
        );
        assert!(parse("ephemeral_ports = \"9-1\"").is_err());
        assert!(parse("bogus = 1").is_err());
        assert_eq!(parse("").unwrap().flow, FlowConfig::default());
    }
}
