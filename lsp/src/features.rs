//! One module per request the server answers; [`names`] finds the names under a position and
//! every place a declaration is named, which most of them share.

pub mod code_actions;
pub mod completion;
pub mod folding;
pub mod formatting;
pub mod hover;
pub mod inlay_hints;
pub mod names;
pub mod navigation;
pub mod rename;
pub mod semantic_tokens;
pub mod signature_help;
pub mod symbols;
