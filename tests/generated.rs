//! The benchmark network (bench/netgen) compiles with no errors, and the mistakes planted in it
//! are what the lint rules find: the benchmarks measure a realistic run, not an empty one.

use std::collections::BTreeMap;

use vnet::db::{self, Database};
use vnet::diagnostics::render;
use vnet_netgen::{Format, Size, DEFAULT_SEED};

fn findings_by_rule(size: Size) -> BTreeMap<String, usize> {
    let files = vnet_netgen::render(&vnet_netgen::network(size, DEFAULT_SEED), Format::Vnet);
    assert_eq!(files.len(), size.vpcs());
    let db = Database::default();
    let ws = db.workspace(files);
    let errors = render::compile_diagnostics(&db, ws);
    assert!(
        errors.is_empty(),
        "{}",
        render::human_string(&render::files(&db, ws), &errors)
    );
    let mut by_rule = BTreeMap::new();
    for d in db::lint_findings(&db, ws) {
        *by_rule.entry(d.code.0.to_string()).or_insert(0) += 1;
    }
    by_rule
}

#[test]
fn size_s_compiles_and_its_planted_mistakes_are_found() {
    let found = findings_by_rule(Size::S);
    for rule in [
        "nacl-missing-return",
        "nat-instead-of-gateway-endpoint",
        "endpoint-unused",
    ] {
        assert!(found.contains_key(rule), "{rule} not found: {found:?}");
    }
}

#[test]
fn size_m_compiles_and_has_a_mix_of_findings() {
    let found = findings_by_rule(Size::M);
    for rule in [
        "nacl-missing-return",
        "nat-instead-of-gateway-endpoint",
        "endpoint-unused",
        "nat-cross-az",
        "sg-open-to-world",
        "nacl-rule-shadowed",
    ] {
        assert!(found.contains_key(rule), "{rule} not found: {found:?}");
    }
}

#[test]
fn the_three_forms_describe_the_same_resources() {
    let net = vnet_netgen::network(Size::S, DEFAULT_SEED);
    let tf = vnet_netgen::render(&net, Format::Terraform);
    let cfn = vnet_netgen::render(&net, Format::Cloudformation);
    let tf_text: String = tf.iter().map(|(_, t)| t.as_str()).collect();
    let cfn_text: String = cfn.iter().map(|(_, t)| t.as_str()).collect();
    let subnets = net.vpcs[0].subnets.len();
    assert_eq!(tf_text.matches("resource \"aws_subnet\"").count(), subnets);
    assert_eq!(cfn_text.matches("\"AWS::EC2::Subnet\"").count(), subnets);
    let rules: usize = net.vpcs[0]
        .nacls
        .iter()
        .map(|n| n.inbound.len() + n.outbound.len())
        .sum();
    assert_eq!(
        cfn_text.matches("\"AWS::EC2::NetworkAclEntry\"").count(),
        rules
    );
    assert_eq!(
        tf_text.matches("  ingress {").count() + tf_text.matches("  egress {").count(),
        rules
            + net.vpcs[0]
                .security_groups
                .iter()
                .map(|g| g.ingress.len() + g.egress.len())
                .sum::<usize>()
    );
    // Deterministic: the same seed writes the same bytes.
    assert_eq!(
        vnet_netgen::render(&vnet_netgen::network(Size::M, 3), Format::Vnet),
        vnet_netgen::render(&vnet_netgen::network(Size::M, 3), Format::Vnet)
    );
}
