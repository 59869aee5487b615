//! The lint rules, one module per rule id.

pub mod expect_violated;
