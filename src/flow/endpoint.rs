//! Naming the ends of a flow on the command line: `internet`, an IP address, an AWS service,
//! or an item by its qualified name (`shop.api`) or by a bare name that only one item has.

use std::net::IpAddr;

use crate::aws;
use crate::ir::*;

/// Every item a flow can start or end at, with its qualified name.
fn candidates(net: &Network) -> Vec<(String, FlowEndpoint)> {
    let mut out = Vec::new();
    for (i, w) in net.workloads.iter().enumerate() {
        out.push((w.name.clone(), FlowEndpoint::Workload(Id::new(i))));
    }
    for (i, lb) in net.load_balancers.iter().enumerate() {
        out.push((lb.name.clone(), FlowEndpoint::LoadBalancer(Id::new(i))));
    }
    for (i, e) in net.endpoints.iter().enumerate() {
        out.push((e.name.clone(), FlowEndpoint::Endpoint(Id::new(i))));
    }
    for (i, s) in net.subnets.iter().enumerate() {
        out.push((s.name.clone(), FlowEndpoint::Subnet(Id::new(i))));
    }
    for (i, o) in net.on_premises.iter().enumerate() {
        out.push((o.name.clone(), FlowEndpoint::OnPremises(Id::new(i))));
    }
    for (i, n) in net.nat_gateways.iter().enumerate() {
        out.push((n.name.clone(), FlowEndpoint::NatGateway(Id::new(i))));
    }
    out
}

pub fn parse(net: &Network, text: &str) -> Result<FlowEndpoint, String> {
    let text = text.trim();
    if text == "internet" {
        return Ok(FlowEndpoint::Internet);
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(FlowEndpoint::Address(Box::new(ip)));
    }
    let all = candidates(net);
    if let Some((_, e)) = all.iter().find(|(name, _)| name == text) {
        return Ok(e.clone());
    }
    let bare: Vec<&(String, FlowEndpoint)> = all
        .iter()
        .filter(|(name, _)| name.rsplit('.').next() == Some(text))
        .collect();
    match bare.as_slice() {
        [(_, e)] => return Ok(e.clone()),
        [] => {}
        many => {
            let names: Vec<&str> = many.iter().map(|(n, _)| n.as_str()).collect();
            return Err(format!("`{text}` is ambiguous: {}", names.join(", ")));
        }
    }
    if aws::is_service(text) {
        return Ok(FlowEndpoint::Service(text.into()));
    }
    // Suggest by bare name (`apj` → `shop.api`) or by qualified name (`shop.apj`).
    let bare_names: Vec<String> = all
        .iter()
        .map(|(n, _)| n.rsplit('.').next().unwrap_or(n).to_string())
        .collect();
    let names: Vec<String> = all.iter().map(|(n, _)| n.clone()).collect();
    let suggestion = crate::ir::lower::did_you_mean(text, &names).or_else(|| {
        let bare = crate::ir::lower::did_you_mean(text, &bare_names)?;
        all.iter()
            .find(|(n, _)| n.rsplit('.').next() == Some(bare.as_str()))
            .map(|(n, _)| n.clone())
    });
    let hint = suggestion
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    Err(format!(
        "`{text}` is not a workload, load balancer, endpoint, subnet, on-premises network, NAT gateway, AWS service, IP address or `internet`{hint}"
    ))
}

/// The name of a flow's end, as a user writes it (`shop.api`, `internet`, `s3`).
pub fn describe(net: &Network, end: &FlowEndpoint) -> String {
    match end {
        FlowEndpoint::Internet => "internet".to_string(),
        FlowEndpoint::Workload(i) => net.workloads[i.index()].name.clone(),
        FlowEndpoint::LoadBalancer(i) => net.load_balancers[i.index()].name.clone(),
        FlowEndpoint::Endpoint(i) => net.endpoints[i.index()].name.clone(),
        FlowEndpoint::Subnet(i) => net.subnets[i.index()].name.clone(),
        FlowEndpoint::OnPremises(i) => net.on_premises[i.index()].name.clone(),
        FlowEndpoint::NatGateway(i) => net.nat_gateways[i.index()].name.clone(),
        FlowEndpoint::ResourceConfiguration(i) => {
            net.resource_configurations[i.index()].name.clone()
        }
        FlowEndpoint::LatticeService(i) => net.lattice_services[i.index()].name.clone(),
        FlowEndpoint::Service(s) => s.to_string(),
        FlowEndpoint::Address(ip) => ip.to_string(),
    }
}
