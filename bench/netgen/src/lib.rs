//! vnet's benchmark network generator: the same synthetic AWS network at sizes S, M, L and
//! XL, as `.vnet`, Terraform and CloudFormation. Deterministic: a seed names a network.
//!
//! ```text
//! cargo run --release -p vnet-netgen -- --size L --format vnet -o /tmp/net-l
//! ```

pub mod cloudformation;
pub mod model;
pub mod plan;
mod rng;
pub mod terraform;
pub mod vnet;

use std::path::Path;

pub use plan::{network, Size};

/// The seed of every published figure.
pub const DEFAULT_SEED: u64 = 8;

/// An output form of the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Vnet,
    Terraform,
    Cloudformation,
}

/// The files of `net` in `format`, as `(file name, text)`.
pub fn render(net: &model::Network, format: Format) -> Vec<(String, String)> {
    match format {
        Format::Vnet => vnet::files(net),
        Format::Terraform => terraform::files(net),
        Format::Cloudformation => cloudformation::files(net),
    }
}

/// Writes the network of `size` in `format` into `dir` (created if missing); returns the
/// number of bytes written.
pub fn write(dir: &Path, size: Size, format: Format, seed: u64) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut bytes = 0;
    for (name, text) in render(&network(size, seed), format) {
        bytes += text.len() as u64;
        std::fs::write(dir.join(name), text)?;
    }
    Ok(bytes)
}
