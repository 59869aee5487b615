//! vnet: a compiler and policy linter for AWS networks.
//!
//! The pipeline, one module per stage: [`syntax`] (text to tree) → [`ir`] (index, resolve,
//! lower) → [`check`] (compile errors on the IR); [`db`] ties them into salsa queries, and
//! [`diagnostics`] renders what they report; [`diagram`] draws the compiled network. [`cli`]
//! is `vnetc`.
//!
//! Compiling a workspace from a program:
//!
//! ```
//! use vnet::db::{self, Database};
//! use vnet::diagnostics::render;
//!
//! let db = Database::default();
//! let ws = db.workspace(vec![(
//!     "net.vnet".to_string(),
//!     "vpc prod { region us-east-1  cidr 10.0.0.0/16  subnet a { az us-east-1a  cidr 10.0.0.0/24 } }"
//!         .to_string(),
//! )]);
//! assert!(render::compile_diagnostics(&db, ws).is_empty());
//! let network = db::network(&db, ws);
//! assert_eq!(network.subnets[0].name, "prod.a");
//! // AWS defaults are explicit: the subnet uses the VPC's implicit main route table.
//! assert!(network.route_tables[network.subnets[0].route_table.index()].implicit);
//! ```

extern crate alloc;

pub mod aws;
pub mod check;
pub mod cli;
pub mod config;
pub mod db;
pub mod diagnostics;
pub mod diagram;
pub mod export;
pub mod flow;
pub mod fmt;
pub mod import;
pub mod ir;
pub mod lint;
pub mod memory;
pub mod parallel;
pub mod syntax;
pub mod workspace;
