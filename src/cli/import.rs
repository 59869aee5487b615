//! `vnetc import aws DIR` and `vnetc import cloudformation TEMPLATE`: `.vnet` text from an
//! account dump or a template; what could not be represented is printed as warnings (and
//! listed at the top of the text).

use std::path::PathBuf;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::import::{self, Failure, Imported};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    source: Source,
}

#[derive(clap::Subcommand, Debug)]
enum Source {
    /// Read the JSON printed by `aws ec2 describe-*` (every `.json` file below DIR: VPCs,
    /// subnets, route tables, NACLs, security groups, gateways, endpoints, peerings, transit
    /// gateways, VPN, network interfaces, instances).
    Aws {
        /// The directory holding the dump (one or several regions and accounts).
        dir: PathBuf,
        /// Write the `.vnet` text here instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Read a CloudFormation template (YAML or JSON), resolving parameters, conditions and
    /// intrinsic functions.
    Cloudformation {
        /// The template file.
        template: PathBuf,
        /// A parameter value (`--param VpcCidr=10.1.0.0/16`); others take their defaults.
        #[arg(long = "param", value_name = "KEY=VALUE")]
        params: Vec<String>,
        /// The region `AWS::Region` and `Fn::GetAZs` resolve to (default: the template's, from
        /// its literal availability zones or an exported template's metadata, else us-east-1).
        #[arg(long)]
        region: Option<String>,
        /// Write the `.vnet` text here instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn run(args: Args) -> u8 {
    let (result, output) = match args.source {
        Source::Aws { dir, output } => (import::aws::import(&dir), output),
        Source::Cloudformation {
            template,
            params,
            region,
            output,
        } => {
            let mut values = Vec::new();
            for p in params {
                match p.split_once('=') {
                    Some((k, v)) => values.push((k.to_string(), v.to_string())),
                    None => return super::usage_error(format!("--param {p}: expected KEY=VALUE")),
                }
            }
            (
                import::cloudformation::import(&template, &values, region.as_deref()),
                output,
            )
        }
    };
    let imported: Imported = match result {
        Ok(i) => i,
        Err(Failure::Usage(e)) => return super::usage_error(e),
        Err(Failure::Input(e)) => {
            eprintln!("error: {e}");
            return EXIT_FINDINGS;
        }
    };
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, &imported.text) {
                return super::usage_error(format!("{}: {e}", path.display()));
            }
            eprintln!(
                "wrote {} ({} warnings)",
                path.display(),
                imported.warnings.len()
            );
        }
        None => print!("{}", imported.text),
    }
    if imported
        .warnings
        .iter()
        .any(|w| w.message.contains("does not compile"))
    {
        return EXIT_FINDINGS;
    }
    EXIT_OK
}
