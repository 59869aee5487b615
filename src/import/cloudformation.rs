//! `vnetc import cloudformation TEMPLATE`.

use std::path::Path;

use super::Imported;

pub fn import(
    _template: &Path,
    _params: &[(String, String)],
    _region: &str,
) -> Result<Imported, String> {
    Err("not yet".to_string())
}
