//! vnet: a compiler and policy linter for AWS networks.
//!
//! The pipeline, one module per stage: [`syntax`] (text to tree) → [`ir`] (index, resolve,
//! lower) → [`check`] (compile errors on the IR); [`db`] ties them into salsa queries, and
//! [`diagnostics`] renders what they report. [`cli`] is `vnetc`.

pub mod aws;
pub mod check;
pub mod cli;
pub mod db;
pub mod diagnostics;
pub mod flow;
pub mod ir;
pub mod syntax;
pub mod workspace;
