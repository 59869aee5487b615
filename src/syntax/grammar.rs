//! The pest parser generated from `grammar/vnet.pest`.

use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "grammar/vnet.pest"]
pub(crate) struct VnetParser;
