//! Which rules run, at which severity: `[lint]` in `vnet.toml`, then `--select`/`--ignore`
//! on the command line.
//!
//! ```toml
//! [lint]
//! select = ["all"]                 # rule ids, group names, or "all"; default: the default set
//! ignore = ["sg-rule-redundant"]   # rule ids or group names
//!
//! [lint.severity]
//! nat-cross-az = "error"           # "error", "warning" or "info"
//!
//! [lint.per-path-ignores]
//! "legacy/*.vnet" = ["sg-open-to-world"]
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use super::registry::{self, Rule};
use crate::diagnostics::{Diag, Severity};

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintConfig {
    /// Rule ids, group names or `all`; `None` means the rules on by default.
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, SeverityName>,
    #[serde(default)]
    pub per_path_ignores: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Self {
        match s {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// Whether `selector` (a rule id, a group name or `all`) names `rule`.
fn names(selector: &str, rule: &Rule) -> bool {
    selector == "all" || selector == rule.id || selector == rule.group.name()
}

impl LintConfig {
    /// Unknown rule ids or groups, reported as usage errors.
    pub fn validate(&self) -> Result<(), String> {
        let known = |s: &str| s == "all" || registry::all().iter().any(|r| names(s, r));
        let all_selectors = self
            .select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .chain(self.per_path_ignores.values().flatten());
        for s in all_selectors {
            if !known(s) {
                let ids: Vec<String> = registry::all().iter().map(|r| r.id.to_string()).collect();
                let hint = crate::ir::lower::did_you_mean(s, &ids)
                    .map(|d| format!("; did you mean `{d}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "unknown rule or group `{s}`{hint} (`vnetc rules` lists them)"
                ));
            }
        }
        for pattern in self.per_path_ignores.keys() {
            glob::Pattern::new(pattern)
                .map_err(|e| format!("per-path-ignores: `{pattern}`: {e}"))?;
        }
        Ok(())
    }

    pub fn enabled(&self, rule: &Rule) -> bool {
        let selected = match &self.select {
            Some(list) => list.iter().any(|s| names(s, rule)),
            None => rule.default,
        };
        selected && !self.ignore.iter().any(|s| names(s, rule))
    }

    /// The selected findings, by their index in `findings`, each with its configured
    /// severity; `path_of` gives a finding's file path (for per-path ignores). Indices, so
    /// that the caller copies (from the database) or moves (from a one-shot run) only the
    /// findings it reports: a large network's are megabytes.
    pub fn apply(
        &self,
        findings: &[Diag],
        path_of: impl Fn(&Diag) -> String,
    ) -> Vec<(usize, Severity)> {
        let patterns: Vec<(glob::Pattern, &Vec<String>)> = self
            .per_path_ignores
            .iter()
            .filter_map(|(p, rules)| glob::Pattern::new(p).ok().map(|p| (p, rules)))
            .collect();
        findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let rule = registry::find(f.code.0)?;
                if !self.enabled(rule) {
                    return None;
                }
                let path = path_of(f);
                if patterns
                    .iter()
                    .any(|(p, rules)| p.matches(&path) && rules.iter().any(|s| names(s, rule)))
                {
                    return None;
                }
                let severity = self
                    .severity
                    .iter()
                    .find(|(s, _)| names(s, rule))
                    .map_or(f.severity, |(_, s)| (*s).into());
                Some((i, severity))
            })
            .collect()
    }
}
