//! The flow engine: how packets move through the network. Sets, never enumeration:
//! [`ranges`] and [`packet_set`] represent ports and addresses as intervals.

pub mod addressing;
pub mod nacl;
pub mod packet_set;
pub mod ranges;
pub mod routing;
pub mod security_group;
