//! The flow engine: how packets move through the network.
//!
//! - [`ranges`], [`packet_set`]: ports and addresses as interval sets (never enumerated);
//! - [`nacl`], [`security_group`], [`routing`]: each component's decision and deciding rule;
//! - [`addressing`], [`party`], [`access`]: where the ends of a flow are;
//! - [`path`]: the hop-by-hop walk of a request and of its reply;
//! - [`reach`]: queries and verdicts; [`trace`]: what is reported.

pub mod access;
pub mod addressing;
pub mod endpoint;
pub mod expect;
pub mod explain;
pub mod intent;
pub mod nacl;
pub mod packet_set;
pub mod party;
pub mod path;
pub mod ranges;
pub mod reach;
pub mod render;
pub mod routing;
pub mod security_group;
pub mod shared_hops;
pub mod trace;

pub use reach::{Engine, FlowConfig, Query, Reach};
pub use trace::{Explanation, Outcome, Trace};
