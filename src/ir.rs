//! Syntax trees to the IR: the item index (what is declared where), name resolution, and
//! lowering (the resolved, checked [`Network`]).

pub mod index;
pub mod lower;
pub mod model;
pub mod resolve;

pub use index::{Decl, DeclId, FileDecls, ItemIndex, Scope};
pub use lower::Lowered;
pub use model::*;
pub use resolve::Resolution;
