//! `vnetc lint`: compile, then run the lint rules and report the findings in the formats CI
//! systems read. Exit 0 when no finding reaches `--fail-on`, 1 when one does, 2 on usage
//! errors or compile errors (which stop linting).

use serde::Serialize;
use std::io::Write as _;

use super::{Color, Paths, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::db::{Database, Workspace};
use crate::diagnostics::render::{self, JsonPlace, Located};
use crate::diagnostics::Severity;
use crate::lint::{autofix, registry, report};
use crate::{config, workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// Diagnostics with source excerpts, grouped by file.
    Human,
    /// One JSON document (schema in docs/lint.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF readers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: Paths,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,
    /// Colour human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Run only these rules (ids, group names or `all`), instead of `vnet.toml`'s selection.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules (ids or group names), in addition to `vnet.toml`'s.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Apply the fixes of the findings to the files, then report what remains.
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Show the fixes as a unified diff, without writing.
    #[arg(long)]
    diff: bool,
}

pub fn run(args: Args) -> u8 {
    let paths = args.paths.or_current();
    let files = match workspace::load(&paths) {
        Ok(files) => files,
        Err(e) => return super::usage_error(e),
    };
    let mut settings = match config::load(&paths) {
        Ok(c) => c,
        Err(e) => return super::usage_error(e),
    };
    if !args.select.is_empty() {
        settings.lint.select = Some(args.select.clone());
    }
    settings.lint.ignore.extend(args.ignore.iter().cloned());
    if let Err(e) = settings.lint.validate() {
        return super::usage_error(e);
    }
    // Fixing re-checks the workspace after every candidate edit: it keeps the trees (with
    // them dropped, every re-check parsed every file again: hub-spoke 100's `--diff` took
    // 46 s instead of 11 s).
    let mut database = if args.fix || args.diff {
        Database::default()
    } else {
        Database::for_one_run()
    };
    let ws = database.workspace(files);
    database.prepare_all(ws);
    database.set_flow_config(ws, settings.flow);
    let errors = render::compile_diagnostics(&database, ws);
    if !errors.is_empty() {
        // Reported in the requested format (CI tools read them like findings), exit 2.
        if args.format == LintFormat::Human {
            render::human_to_stdout(&render::files(&database, ws), &errors, args.color.enabled());
        } else {
            output(&database, ws, &errors, &args);
        }
        eprintln!("error: the workspace has compile errors; fix them before linting");
        return EXIT_USAGE;
    }
    if args.fix || args.diff {
        let outcome = autofix::fix_all(&mut database, ws, &settings.lint, None);
        for (rule, title) in &outcome.skipped {
            eprintln!("warning: fix not applied ({rule}): {title}: it clashes with another fix or would not compile");
        }
        if args.diff {
            for (path, before, after) in &outcome.changed {
                print!("{}", unified_diff(path, before, after));
            }
            let n = outcome.changed.len();
            eprintln!("{n} file{} would change", if n == 1 { "" } else { "s" });
            return if n == 0 { EXIT_OK } else { EXIT_FINDINGS };
        }
        for (path, _, after) in &outcome.changed {
            if let Err(e) = std::fs::write(path, after) {
                return super::usage_error(format!("{path}: {e}"));
            }
        }
        // The database holds the fixed texts: report what remains.
        let findings = report::findings(&database, ws, &settings.lint);
        let (applied, files) = (outcome.applied, outcome.changed.len());
        eprintln!(
            "applied {applied} fix{} in {files} file{}",
            if applied == 1 { "" } else { "es" },
            if files == 1 { "" } else { "s" }
        );
        return output(&database, ws, &findings, &args);
    }
    // Asked once: the findings are moved into what is reported, not copied from the database.
    let findings = report::findings_once(&database, ws, &settings.lint);
    let code = output(&database, ws, &findings, &args);
    // The process ends here: freeing every tree, network, answer and finding one by one
    // would cost a few percent of the run for nothing.
    std::mem::forget(findings);
    std::mem::forget(database);
    code
}

fn output(database: &Database, ws: Workspace, findings: &[Located], args: &Args) -> u8 {
    match args.format {
        LintFormat::Human => {
            render::human_to_stdout(&render::files(database, ws), findings, args.color.enabled());
            let n = findings.len();
            eprintln!("{n} finding{}", if n == 1 { "" } else { "s" });
        }
        LintFormat::Json => {
            let aws_ids = source_ids(database, ws, |ids| &ids.aws);
            let logical_ids = source_ids(database, ws, |ids| &ids.logical);
            let doc = serde_json::json!({
                "version": 1,
                "findings": findings.iter().map(|f| {
                    let mut finding = json_finding(database, ws, f);
                    // An implicit resource (`VPC.main`, `VPC.default`) has no block of its
                    // own: its VPC's id locates it in the account.
                    let lookup = |ids: &std::collections::HashMap<String, String>| {
                        f.resource.as_ref().and_then(|r| {
                            ids.get(r).or_else(|| ids.get(r.split('.').next().unwrap_or(r)))
                        }).cloned()
                    };
                    finding.aws_id = lookup(&aws_ids);
                    finding.logical_id = lookup(&logical_ids);
                    finding
                }).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        LintFormat::Sarif => {
            let doc = super::sarif::document(database, ws, findings);
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        LintFormat::Github => {
            // One write per block of output, not per line (see `render::human_to_stdout`).
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for f in findings {
                let p = render::json_place(database, ws, f.primary);
                let level = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                let _ = writeln!(
                    out,
                    "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                    escape_property(&p.file),
                    p.line,
                    p.column,
                    p.end_line,
                    p.end_column,
                    escape_property(f.code.0),
                    escape_data(&f.message)
                );
            }
            let _ = out.flush();
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if findings.iter().any(|f| f.severity <= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// A finding in `--format json` (docs/lint.md).
#[derive(Serialize)]
struct JsonFinding {
    rule: String,
    severity: Severity,
    message: String,
    resource: Option<String>,
    /// The AWS id of the resource, for imported networks (`# aws: ID` before its block).
    #[serde(skip_serializing_if = "Option::is_none")]
    aws_id: Option<String>,
    /// Its CloudFormation logical id (`# cloudformation: ID`, as `vnetc import cloudformation`
    /// writes).
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_id: Option<String>,
    #[serde(flatten)]
    place: JsonPlace,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct JsonFix {
    title: String,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonEdit {
    #[serde(flatten)]
    place: JsonPlace,
    /// The text that replaces the range (an insertion when the range is empty).
    replacement: String,
}

fn json_finding(database: &Database, ws: Workspace, f: &Located) -> JsonFinding {
    JsonFinding {
        rule: f.code.0.to_string(),
        severity: f.severity,
        message: f.message.clone(),
        resource: f.resource.clone(),
        aws_id: None,
        logical_id: None,
        place: render::json_place(database, ws, f.primary),
        fix: f.fix.as_ref().map(|(title, edits)| JsonFix {
            title: title.clone(),
            edits: edits
                .iter()
                .map(|(file, e)| JsonEdit {
                    place: render::json_place(
                        database,
                        ws,
                        render::Place {
                            file: *file,
                            span: crate::syntax::Span::new(e.start, e.end),
                        },
                    ),
                    replacement: e.replacement.clone(),
                })
                .collect(),
        }),
        notes: f.notes.clone(),
    }
}

/// Qualified resource names to the ids one kind of comment names, over every file.
fn source_ids(
    database: &Database,
    ws: Workspace,
    kind: impl Fn(&crate::lint::aws_ids::ResourceIds) -> &std::collections::HashMap<String, String>,
) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for f in ws.files(database) {
        let ids = kind(crate::db::resource_ids(database, *f));
        out.extend(ids.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    out
}

pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{}", path.trim_start_matches('/')),
            &format!("b/{}", path.trim_start_matches('/')),
        )
        .to_string()
}

/// GitHub workflow command escaping (property values and data).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `vnetc rules`: every rule from the registry.
pub fn list_rules(json: bool) -> u8 {
    let rules = registry::all();
    if json {
        let doc: Vec<_> = rules
            .iter()
            .map(|r| serde_json::json!({"id": r.id, "group": r.group, "severity": r.severity, "default": r.default, "summary": r.summary()}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return EXIT_OK;
    }
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    println!(
        "{:width$}  {:12}  {:8}  {:7}  summary",
        "id",
        "group",
        "severity",
        "default",
        width = width
    );
    for r in rules {
        let severity = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        println!(
            "{:width$}  {:12}  {:8}  {:7}  {}",
            r.id,
            r.group.name(),
            severity,
            if r.default { "on" } else { "off" },
            r.summary(),
            width = width
        );
    }
    EXIT_OK
}
