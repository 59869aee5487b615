//! `vnetc import cloudformation TEMPLATE`: `.vnet` text from a CloudFormation template
//! (YAML or JSON). Parameters take the given values, else their defaults; conditions and
//! the intrinsic functions are evaluated (module `eval`); the network resources become a
//! [`Draft`](super::draft::Draft) (module `resources`), which the shared writer checks and prints.

mod eval;
mod resources;
mod template;

pub(crate) use eval::DEFAULT_GROUP;

use std::path::Path;

use super::{Failure, Imported, Warning};

/// Imports `path` with the given parameter values, for `region`.
pub fn import(
    path: &Path,
    params: &[(String, String)],
    region: Option<&str>,
) -> Result<Imported, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    let stack = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "stack".to_string());
    import_text(&text, &stack, params, region).map_err(|f| match f {
        Failure::Input(e) => Failure::Input(format!("{}: {e}", path.display())),
        usage => usage,
    })
}

/// Imports template text; `stack` is what `AWS::StackName` resolves to.
pub fn import_text(
    text: &str,
    stack: &str,
    params: &[(String, String)],
    region: Option<&str>,
) -> Result<Imported, Failure> {
    let template = template::parse(text).map_err(Failure::Input)?;
    if template
        .get("Resources")
        .and_then(|r| r.as_object())
        .is_none()
    {
        return Err(Failure::Input(
            "not a CloudFormation template (no `Resources` map)".to_string(),
        ));
    }
    let region = match region {
        Some(r) => r.to_string(),
        None => template_region(&template).unwrap_or_else(|| "us-east-1".to_string()),
    };
    let region = region.as_str();
    if !crate::aws::is_region(region) {
        return Err(Failure::Usage(format!(
            "--region {region}: not an AWS region"
        )));
    }
    let (evaluator, unknown, defaulted) = eval::Eval::new(&template, params, region, stack);
    let mut warnings: Vec<Warning> = unknown
        .into_iter()
        .map(|k| Warning {
            subject: format!("--param {k}"),
            message: "the template has no such parameter; ignored".to_string(),
        })
        .collect();
    for k in defaulted {
        warnings.push(Warning {
            subject: format!("Parameters.{k}"),
            message: format!(
                "no default: the zones of {region} are used in order (give --param {k}=...)"
            ),
        });
    }
    let (mut draft, more) = resources::convert(&template, &evaluator);
    if let Some(serde_json::Value::Array(lines)) = template.pointer("/Metadata/vnet/Expects") {
        draft.expects = lines
            .iter()
            .filter_map(|l| l.as_str().map(str::to_string))
            .collect();
    }
    warnings.extend(more);
    let given: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let header = vec![
        format!(
            "Imported by `vnetc import cloudformation` from {stack} (region {region}{}).",
            if given.is_empty() {
                String::new()
            } else {
                format!(", {}", given.join(", "))
            }
        ),
        "`# cloudformation: LOGICAL_ID` before a block names the template resource it describes."
            .to_string(),
    ];
    Ok(super::finish(&draft, &header, warnings))
}

/// The region a template is written for: an exported template's `Metadata.vnet.Region`, else
/// the region of the first literal availability zone of a subnet.
fn template_region(template: &serde_json::Value) -> Option<String> {
    if let Some(r) = template
        .pointer("/Metadata/vnet/Region")
        .and_then(|r| r.as_str())
    {
        return Some(r.to_string());
    }
    template
        .get("Resources")?
        .as_object()?
        .values()
        .filter_map(|r| r.pointer("/Properties/AvailabilityZone")?.as_str())
        .find_map(crate::aws::region_of_az)
        .map(str::to_string)
}
