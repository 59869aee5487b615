//! From a [`Draft`] to `.vnet` text: names every object, checks what the compiler would
//! reject (a subnet outside its VPC, a reference to a missing object, a rule vnet cannot
//! express) and leaves it out with a [`Warning`] that names it, so the text always compiles
//! and nothing is dropped silently.

mod balancing;
mod filters;
mod items;
mod lattice;
mod routing;
mod text;
mod top;

pub(crate) use items::short_service;

use std::collections::{BTreeMap, HashMap, HashSet};

use ipnet::IpNet;

use super::draft::{Draft, Vpc};
use super::names::Scope;
use super::Warning;
use text::Text;

/// What a source id became in the output.
#[derive(Clone, Debug)]
struct Named {
    /// Index of the VPC that holds it; `None` for top-level items.
    vpc: Option<usize>,
    name: String,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Vpc,
    Peering,
    TransitGateway,
    Site,
    InternetGateway,
    VpnGateway,
    Subnet,
    RouteTable,
    Nacl,
    SecurityGroup,
    NatGateway,
    Endpoint,
    Workload,
    Attachment,
    LoadBalancer,
    TargetGroup,
    EndpointService,
    LatticeService,
    ServiceNetwork,
    ResourceGateway,
    ResourceConfiguration,
}

/// The state shared while writing: names by source id, what was left out, the warnings.
struct Writer<'a> {
    draft: &'a Draft,
    named: HashMap<String, Named>,
    /// Source ids left out, with why (so references to them say so).
    dropped: HashMap<String, String>,
    warnings: Vec<Warning>,
    /// Each VPC's region and parsed CIDR blocks (empty when the VPC is left out).
    regions: Vec<String>,
    vpc_cidrs: Vec<Vec<IpNet>>,
    /// Pairs of VPC indices connected by a peering or a transit gateway.
    connected: Vec<(usize, usize)>,
    /// Prefix list id to service, learnt from gateway endpoint routes.
    prefix_lists: BTreeMap<String, String>,
    /// Imported subnets: IPv4 block and availability zone.
    subnets: HashMap<String, (IpNet, String)>,
    /// AWS default NACLs and security groups left implicit (vnet's defaults are the same).
    implicit: HashSet<String>,
}

impl Writer<'_> {
    fn warn(&mut self, subject: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            subject: subject.to_string(),
            message: message.into(),
        });
    }

    fn drop_item(&mut self, id: &str, message: String) {
        self.named.remove(id);
        self.dropped.insert(id.to_string(), message.clone());
        self.warn(id, message);
    }

    /// Why a reference to `id` cannot be written.
    fn missing(&self, id: &str) -> String {
        match self.dropped.get(id) {
            Some(_) => format!("`{id}` was not imported (see its warning)"),
            None => format!("`{id}` is not in the input"),
        }
    }

    /// The id `id` stands for (a network interface for its instance).
    fn canonical<'b>(&'b self, id: &'b str) -> &'b str {
        self.draft.aliases.get(id).map(String::as_str).unwrap_or(id)
    }

    /// The name of `id` as seen from VPC `from`: bare inside its VPC, `VPC.NAME` from another.
    fn reference(&self, id: &str, kinds: &[Kind], from: Option<usize>) -> Result<String, String> {
        let id = self.canonical(id);
        let Some(named) = self.named.get(id) else {
            return Err(self.missing(id));
        };
        if !kinds.contains(&named.kind) {
            return Err(format!(
                "`{id}` is a {:?}, not a {:?}",
                named.kind, kinds[0]
            ));
        }
        match (named.vpc, from) {
            (None, _) => Ok(named.name.clone()),
            (Some(v), Some(f)) if v == f => Ok(named.name.clone()),
            (Some(v), _) => Ok(format!("{}.{}", self.named_vpc(v), named.name)),
        }
    }

    fn named_vpc(&self, index: usize) -> String {
        self.draft
            .vpcs
            .get(index)
            .and_then(|v| self.named.get(&v.src.id))
            .map(|n| n.name.clone())
            .unwrap_or_default()
    }
}

/// Writes `draft` as `.vnet` text headed by `header` (comment lines), with the warnings.
/// `earlier` are the reader's warnings, listed in the text before the writer's own.
pub fn write(draft: &Draft, header: &[String], earlier: Vec<Warning>) -> (String, Vec<Warning>) {
    let mut w = Writer {
        draft,
        named: HashMap::new(),
        dropped: HashMap::new(),
        warnings: earlier,
        regions: Vec::new(),
        vpc_cidrs: Vec::new(),
        connected: Vec::new(),
        prefix_lists: BTreeMap::new(),
        subnets: HashMap::new(),
        implicit: HashSet::new(),
    };
    name_everything(&mut w);
    for (i, vpc) in draft.vpcs.iter().enumerate() {
        let (region, cidrs) = items::vpc_frame(&mut w, vpc);
        if cidrs.is_empty() {
            drop_vpc(&mut w, i, vpc);
        }
        w.regions.push(region);
        w.vpc_cidrs.push(cidrs);
    }
    top::connections(&mut w);
    items::learn_prefix_lists(&mut w);
    let mut body = Text::default();
    for (i, vpc) in draft.vpcs.iter().enumerate() {
        if !w.vpc_cidrs[i].is_empty() {
            items::vpc(&mut w, &mut body, i, vpc);
        }
    }
    top::peerings(&mut w, &mut body);
    top::transit_gateways(&mut w, &mut body);
    top::sites(&mut w, &mut body);
    lattice::top(&mut w, &mut body);
    top::expects(&mut w, &mut body);

    let mut out = Text::default();
    for line in header {
        out.comment(line);
    }
    if !w.warnings.is_empty() {
        out.comment("");
        out.comment(&format!(
            "Not imported or changed ({} warnings):",
            w.warnings.len()
        ));
        for warning in &w.warnings {
            out.comment(&format!("  {}: {}", warning.subject, warning.message));
        }
    }
    out.blank();
    out.append(body);
    (out.finish(), w.warnings)
}

/// Gives every object its name: top-level items first; the names of peerings and transit
/// gateways are then reserved in every VPC, so that a route's bare target never resolves to a
/// VPC item instead.
fn name_everything(w: &mut Writer) {
    let draft = w.draft;
    let mut top = Scope::default();
    let mut top_names = Vec::new();
    let mut add_top = |w: &mut Writer, kind: Kind, label: &str, src: &super::draft::Source| {
        let name = top.name(label, &src.id, src.name.as_deref());
        // Route targets name peerings and transit gateways bare, from inside a VPC.
        if matches!(kind, Kind::Peering | Kind::TransitGateway) {
            top_names.push(name.clone());
        }
        w.named.insert(
            src.id.clone(),
            Named {
                vpc: None,
                name,
                kind,
            },
        );
    };
    for vpc in &draft.vpcs {
        add_top(w, Kind::Vpc, "vpc", &vpc.src);
    }
    for p in &draft.peerings {
        add_top(w, Kind::Peering, "pcx", &p.src);
    }
    for t in &draft.transit_gateways {
        add_top(w, Kind::TransitGateway, "tgw", &t.src);
    }
    for s in &draft.sites {
        add_top(w, Kind::Site, "site", &s.src);
    }
    for s in &draft.lattice_services {
        add_top(w, Kind::LatticeService, "svc", &s.src);
    }
    for s in &draft.service_networks {
        add_top(w, Kind::ServiceNetwork, "sn", &s.src);
    }
    for (i, vpc) in draft.vpcs.iter().enumerate() {
        let mut scope = Scope::default();
        for name in &top_names {
            scope.name("", name, Some(name));
        }
        let mut add = |w: &mut Writer, kind: Kind, label: &str, src: &super::draft::Source| {
            let name = scope.name(label, &src.id, src.name.as_deref());
            w.named.insert(
                src.id.clone(),
                Named {
                    vpc: Some(i),
                    name,
                    kind,
                },
            );
        };
        for g in &vpc.internet_gateways {
            add(w, Kind::InternetGateway, "igw", g);
        }
        for (g, _) in &vpc.vpn_gateways {
            add(w, Kind::VpnGateway, "vgw", g);
        }
        for x in &vpc.subnets {
            add(w, Kind::Subnet, "subnet", &x.src);
        }
        for x in &vpc.route_tables {
            add(w, Kind::RouteTable, "rtb", &x.src);
        }
        for x in &vpc.nacls {
            add(w, Kind::Nacl, "acl", &x.src);
        }
        for x in &vpc.security_groups {
            add(w, Kind::SecurityGroup, "sg", &x.src);
        }
        for x in &vpc.nat_gateways {
            add(w, Kind::NatGateway, "nat", &x.src);
        }
        for x in &vpc.endpoints {
            add(w, Kind::Endpoint, "vpce", &x.src);
        }
        for x in &vpc.workloads {
            add(w, Kind::Workload, "i", &x.src);
        }
        for x in &vpc.load_balancers {
            add(w, Kind::LoadBalancer, "lb", &x.src);
        }
        for x in &vpc.target_groups {
            add(w, Kind::TargetGroup, "tg", &x.src);
        }
        for x in &vpc.endpoint_services {
            add(w, Kind::EndpointService, "vpce_svc", &x.src);
        }
        for x in &vpc.resource_gateways {
            add(w, Kind::ResourceGateway, "rgw", &x.src);
        }
        for x in &vpc.resource_configurations {
            add(w, Kind::ResourceConfiguration, "rcfg", &x.src);
        }
    }
}

/// A VPC with no usable CIDR block cannot be written: it and everything in it are left out.
fn drop_vpc(w: &mut Writer, index: usize, vpc: &Vpc) {
    let _ = index;
    w.drop_item(
        &vpc.src.id,
        "the VPC has no valid IPv4 CIDR block; it and everything in it are not imported"
            .to_string(),
    );
    let ids: Vec<String> = vpc
        .subnets
        .iter()
        .map(|x| x.src.id.clone())
        .chain(vpc.route_tables.iter().map(|x| x.src.id.clone()))
        .chain(vpc.nacls.iter().map(|x| x.src.id.clone()))
        .chain(vpc.security_groups.iter().map(|x| x.src.id.clone()))
        .chain(vpc.nat_gateways.iter().map(|x| x.src.id.clone()))
        .chain(vpc.endpoints.iter().map(|x| x.src.id.clone()))
        .chain(vpc.workloads.iter().map(|x| x.src.id.clone()))
        .chain(vpc.resource_gateways.iter().map(|x| x.src.id.clone()))
        .chain(vpc.resource_configurations.iter().map(|x| x.src.id.clone()))
        .chain(vpc.internet_gateways.iter().map(|x| x.id.clone()))
        .chain(vpc.vpn_gateways.iter().map(|x| x.0.id.clone()))
        .collect();
    for id in ids {
        w.named.remove(&id);
        w.dropped
            .insert(id, format!("its VPC `{}` was not imported", vpc.src.id));
    }
    w.named.remove(&vpc.src.id);
}
