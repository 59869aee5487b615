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
    endpoint_unused,
    expect_violated,
    nacl_missing_return,
    nat_instead_of_gateway_endpoint,
    unused_suppression,
);
