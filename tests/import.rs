//! `vnetc import`: every corpus dump and template (tests/fixtures/import/, real inputs written
//! by others) imports without a crash into text that compiles; the text and the warnings are
//! snapshots; the linter's findings on the imported networks carry the AWS ids.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn vnetc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vnetc"))
        .args(args)
        .output()
        .expect("vnetc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn entries(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(common::root().join(dir))
        .expect("fixture directory")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    out.sort();
    out
}

fn name(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Imports, checks that the text compiles, and snapshots text and warnings.
fn import_and_snapshot(kind: &str, input: &Path) -> String {
    let path = input.to_string_lossy().into_owned();
    let (code, text, warnings) = vnetc(&["import", kind, &path]);
    assert_eq!(code, 0, "{path}: {warnings}");
    let (errors, n) = common::check_files(vec![("imported.vnet".to_string(), text.clone())]);
    assert_eq!(
        n, 0,
        "{path}: the imported text does not compile:\n{errors}\n{text}"
    );
    let name = name(input);
    insta::assert_snapshot!(format!("import_{kind}_{name}"), text);
    insta::assert_snapshot!(format!("import_{kind}_{name}_warnings"), warnings);
    text
}

#[test]
fn every_aws_dump_imports_into_text_that_compiles() {
    for dir in entries("tests/fixtures/import/aws") {
        import_and_snapshot("aws", &dir);
    }
}

#[test]
fn inconsistent_dump_reports_each_problem_by_id() {
    let dir = common::root().join("tests/fixtures/import/aws/batfish-inconsistent");
    let (code, text, warnings) = vnetc(&["import", "aws", &dir.to_string_lossy()]);
    assert_eq!(code, 0);
    // The subnet outside its VPC, the association to a missing subnet, the group of a VPC
    // that is not peered: each named, none dropped silently.
    for expected in [
        "subnet-1f315846: CIDR block 172.31.0.0/20 is outside its VPC `vpc-b390fad5`",
        "acl-008d1f79: association with a subnet that is not in the input (`subnet-9c240cfa`)",
        "sg-0de0ddfa8a5a45810: ingress rule from sg-08893f1a4413ccfc1",
    ] {
        assert!(
            warnings.contains(expected),
            "missing `{expected}` in:\n{warnings}"
        );
        assert!(
            text.contains(expected),
            "the text does not list `{expected}`"
        );
    }
}

#[test]
fn output_file_and_usage_errors() {
    let dir = common::root().join("tests/fixtures/import/aws/batfish-nat-gateway");
    let scratch = common::scratch("import");
    let out = scratch.join("out.vnet");
    let (code, stdout, stderr) = vnetc(&[
        "import",
        "aws",
        &dir.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("output written");
    assert!(written.contains("vpc vpc_a {"));
    let (code, _, stderr) = vnetc(&["import", "aws", "/nonexistent/dump"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a directory"), "{stderr}");
    let empty = common::scratch("empty");
    let (code, stdout, stderr) = vnetc(&["import", "aws", &empty.to_string_lossy()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.is_empty() && stderr.contains("no `aws ec2 describe-*` output found"),
        "{stderr}"
    );
}

#[test]
fn lint_findings_on_imported_networks_carry_aws_ids() {
    let mut report = String::new();
    for dir in entries("tests/fixtures/import/aws") {
        let (_, text, _) = vnetc(&["import", "aws", &dir.to_string_lossy()]);
        let scratch = common::scratch("lint");
        let file = scratch.join(format!("{}.vnet", name(&dir)));
        std::fs::write(&file, &text).expect("scratch file");
        let (_, json, stderr) = vnetc(&["lint", "--format", "json", &file.to_string_lossy()]);
        let doc: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {stderr}"));
        report.push_str(&format!("{}:\n", name(&dir)));
        for f in doc["findings"].as_array().into_iter().flatten() {
            let (rule, resource, id) = (&f["rule"], &f["resource"], &f["aws_id"]);
            assert!(id.is_string(), "{rule} on {resource} has no aws_id");
            report.push_str(&format!(
                "  {} {} {}\n",
                rule.as_str().unwrap_or(""),
                resource.as_str().unwrap_or("-"),
                id.as_str().unwrap_or("-")
            ));
        }
    }
    insta::assert_snapshot!("import_aws_lint_findings", report);
}

#[test]
fn every_cloudformation_template_imports_into_text_that_compiles() {
    for template in entries("tests/fixtures/import/cloudformation") {
        import_and_snapshot("cloudformation", &template);
    }
}

#[test]
fn template_parameters_and_region_are_applied() {
    let template =
        common::root().join("tests/fixtures/import/cloudformation/vpc-with-managed-nat.yaml");
    let path = template.to_string_lossy();
    let (code, text, warnings) = vnetc(&[
        "import",
        "cloudformation",
        &path,
        "--region",
        "eu-west-1",
        "--param",
        "Nope=1",
    ]);
    assert_eq!(code, 0, "{warnings}");
    assert!(
        text.contains("region eu-west-1") && text.contains("az eu-west-1a"),
        "{text}"
    );
    assert!(
        warnings.contains("--param Nope: the template has no such parameter"),
        "{warnings}"
    );
    let (code, _, stderr) = vnetc(&["import", "cloudformation", &path, "--param", "novalue"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn unresolvable_values_are_reported_with_their_path() {
    let dir = common::scratch("cfn");
    let file = dir.join("t.yaml");
    std::fs::write(
        &file,
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.1.0.0/16\n  Sub:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      AvailabilityZone: !Select [0, !GetAZs '']\n      CidrBlock: !ImportValue shared-cidr\n",
    )
    .expect("scratch file");
    let (code, text, warnings) = vnetc(&["import", "cloudformation", &file.to_string_lossy()]);
    assert_eq!(code, 0, "{warnings}");
    assert!(
        warnings.contains("Resources.Sub.Properties.CidrBlock.Fn::ImportValue: cannot be resolved"),
        "{warnings}"
    );
    assert!(text.contains("vpc vpc {"), "{text}");
}

#[test]
fn broken_inputs_are_reported_never_a_crash() {
    let dir = common::scratch("broken");
    std::fs::write(dir.join("junk.json"), "garbage").expect("write");
    std::fs::write(
        dir.join("Subnets.json"),
        r#"{"Subnets": [1, null, {"SubnetId": 5}], "Vpcs": "x"}"#,
    )
    .expect("write");
    std::fs::write(dir.join("t.yaml"), "Resources:\n  Z: [1, 2\n").expect("write");
    std::fs::write(dir.join("cidr.yaml"), "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Select [0, !Cidr [10.0.0.0/8, 100000000, 0]]\n").expect("write");
    let (code, _, warnings) = vnetc(&["import", "aws", &dir.to_string_lossy()]);
    assert_eq!(code, 0, "{warnings}");
    assert!(warnings.contains("junk.json: not valid JSON"), "{warnings}");
    let (code, _, stderr) = vnetc(&[
        "import",
        "cloudformation",
        &dir.join("t.yaml").to_string_lossy(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("not valid YAML or JSON") && stderr.contains("line"),
        "{stderr}"
    );
    let (code, _, stderr) = vnetc(&[
        "import",
        "cloudformation",
        &dir.join("cidr.yaml").to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Resources.V.Properties.CidrBlock.Fn::Select[1].Fn::Cidr: cannot be resolved: count 100000000 is outside 1 to 256"), "{stderr}");
}

#[test]
fn lint_findings_on_imported_templates_carry_logical_ids() {
    let mut report = String::new();
    for template in entries("tests/fixtures/import/cloudformation") {
        let (_, text, _) = vnetc(&["import", "cloudformation", &template.to_string_lossy()]);
        let scratch = common::scratch("cfn-lint");
        let file = scratch.join(format!("{}.vnet", name(&template)));
        std::fs::write(&file, &text).expect("scratch file");
        let (_, json, stderr) = vnetc(&["lint", "--format", "json", &file.to_string_lossy()]);
        let doc: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {stderr}"));
        report.push_str(&format!("{}:\n", name(&template)));
        for f in doc["findings"].as_array().into_iter().flatten() {
            let (rule, resource, id) = (&f["rule"], &f["resource"], &f["logical_id"]);
            assert!(id.is_string(), "{rule} on {resource} has no logical_id");
            report.push_str(&format!(
                "  {} {} {}\n",
                rule.as_str().unwrap_or(""),
                resource.as_str().unwrap_or("-"),
                id.as_str().unwrap_or("-")
            ));
        }
    }
    insta::assert_snapshot!("import_cloudformation_lint_findings", report);
}
