//! `netgen --size S|M|L|XL --format vnet|terraform|cloudformation -o DIR [--seed N]`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use vnet_netgen::{Format, Size, DEFAULT_SEED};

/// Writes vnet's synthetic benchmark network.
#[derive(Parser)]
#[command(name = "netgen")]
struct Args {
    /// S (1 VPC, 6 subnets), M (10, 100), L (100, 1,000), XL (500, 5,000).
    #[arg(long, value_enum, ignore_case = true)]
    size: Size,
    #[arg(long, value_enum, default_value_t = Format::Vnet)]
    format: Format,
    /// The directory to write (created if missing).
    #[arg(short = 'o', long)]
    out: PathBuf,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match vnet_netgen::write(&args.out, args.size, args.format, args.seed) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} {:?} ({} VPCs, {} subnets, {bytes} bytes) to {}",
                args.size.name(),
                args.format,
                args.size.vpcs(),
                args.size.vpcs() * args.size.subnets_per_vpc(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}
