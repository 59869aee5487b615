//! The lint rules, one module per rule, named after its id (`-` becomes `_`). Adding a rule:
//! write its file (documentation comment first, then `pub const RULE`), and add its module
//! to the list below (one per line, in id order).

macro_rules! rules {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every rule, in id order.
        pub const ALL: &[&crate::lint::registry::Rule] = &[$(&$module::RULE),*];
    };
}

rules!(
    endpoint_service_open,
    endpoint_unused,
    expect_violated,
    interface_endpoint_where_gateway_free,
    lattice_service_orphan,
    missing_expect,
    nacl_allows_admin_from_world,
    nacl_allows_all_from_world,
    nacl_missing_return,
    nacl_rule_shadowed,
    nat_cross_az,
    nat_gateway_without_internet_route,
    nat_instead_of_gateway_endpoint,
    peering_default_route,
    peering_missing_return_route,
    peering_not_transitive,
    public_subnet_without_internet_route,
    quota_exceeded,
    sg_egress_mismatch,
    sg_egress_unrestricted,
    sg_open_to_world,
    sg_rule_redundant,
    single_az,
    subnet_too_small,
    target_group_empty,
    unused_nacl,
    unused_route_table,
    unused_security_group,
    unused_suppression,
    uses_unreachable,
);
