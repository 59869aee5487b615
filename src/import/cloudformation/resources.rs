//! From a template's resources to a [`Draft`]: each `AWS::EC2::*` network resource (and the
//! workloads vnet models) with its properties evaluated; references stay logical ids.
//! Resources whose condition is false are listed, and so are the types vnet does not model.

mod balancing;
mod filters;
mod lattice;
mod network;
mod workloads;

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::eval::{resource_ref, Eval};
use crate::import::draft::{self, Draft, Source};
use crate::import::Warning;

pub(super) struct Conv<'a> {
    pub eval: &'a Eval<'a>,
    /// Active resources (condition true), by logical id, with their types.
    pub active: Vec<(&'a str, &'a str, &'a Value)>,
    pub draft: Draft,
    pub vpc_of: HashMap<String, usize>,
    /// VPC index of each resource that lives in one.
    pub in_vpc: HashMap<String, usize>,
    pub warnings: Vec<Warning>,
}

impl<'a> Conv<'a> {
    pub fn warn(&mut self, subject: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            subject: subject.to_string(),
            message: message.into(),
        });
    }

    /// The active resources of one type.
    pub fn of_type(&self, kind: &str) -> Vec<(&'a str, &'a Value)> {
        self.active
            .iter()
            .filter(|(_, t, _)| *t == kind)
            .map(|(id, _, r)| (*id, *r))
            .collect()
    }

    /// A property, evaluated; an unresolvable one is a warning with its path.
    pub fn prop(&mut self, id: &str, resource: &Value, key: &str) -> Option<Value> {
        let raw = resource.get("Properties")?.get(key)?;
        match self
            .eval
            .eval(raw, &format!("Resources.{id}.Properties.{key}"))
        {
            Ok(v) if v.get("__novalue").is_some() => None,
            Ok(v) => Some(v),
            Err(u) => {
                self.warn(&u.path, format!("cannot be resolved: {}", u.reason));
                None
            }
        }
    }

    pub fn text(&mut self, id: &str, resource: &Value, key: &str) -> Option<String> {
        match self.prop(id, resource, key)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn boolean(&mut self, id: &str, resource: &Value, key: &str) -> Option<bool> {
        match self.prop(id, resource, key)? {
            Value::Bool(b) => Some(b),
            Value::String(s) => Some(s.eq_ignore_ascii_case("true")),
            _ => None,
        }
    }

    pub fn int(&mut self, id: &str, resource: &Value, key: &str) -> Option<i64> {
        value_int(&self.prop(id, resource, key)?)
    }

    /// A reference property: a resource's logical id, or a literal id (of something outside
    /// the template).
    pub fn reference(&mut self, id: &str, resource: &Value, key: &str) -> Option<String> {
        self.prop(id, resource, key).and_then(|v| as_reference(&v))
    }

    pub fn references(&mut self, id: &str, resource: &Value, key: &str) -> Vec<String> {
        match self.prop(id, resource, key) {
            Some(Value::Array(items)) => items.iter().filter_map(as_reference).collect(),
            Some(v) => as_reference(&v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// The VPC index of the VPC a property names, or a warning.
    pub fn vpc_prop(&mut self, id: &str, resource: &Value, key: &str) -> Option<usize> {
        if let Some(param) = self.external_vpc_parameter(resource, key) {
            return Some(self.external_vpc(&param, "10.0.0.0/16"));
        }
        if resource
            .get("Properties")
            .and_then(|p| p.get(key))
            .is_none()
        {
            // No VPC named: the region's default VPC, whose block is always 172.31.0.0/16.
            return Some(self.external_vpc("DefaultVpc", "172.31.0.0/16"));
        }
        let Some(vpc) = self.reference(id, resource, key) else {
            self.warn(
                id,
                format!("no `{key}` (the default VPC is not in the template); not imported"),
            );
            return None;
        };
        match self.vpc_of.get(&vpc) {
            Some(i) => Some(*i),
            None => {
                self.warn(
                    id,
                    format!("its VPC `{vpc}` is not a VPC of this template; not imported"),
                );
                None
            }
        }
    }

    /// `{"Ref": P}` where P is a parameter naming a VPC outside the template.
    fn external_vpc_parameter(&self, resource: &Value, key: &str) -> Option<String> {
        let name = resource.get("Properties")?.get(key)?.get("Ref")?.as_str()?;
        let param = self.eval.template.get("Parameters")?.get(name)?;
        let given = self
            .eval
            .params
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("");
        let typed = param.get("Type").and_then(Value::as_str) == Some("AWS::EC2::VPC::Id");
        (typed || given.starts_with("vpc-") || given.is_empty()).then(|| name.to_string())
    }

    /// A stand-in for a VPC the template receives as a parameter: its resources can only be
    /// written inside a VPC, and their rules do not depend on its address block.
    fn external_vpc(&mut self, param: &str, block: &str) -> usize {
        if let Some(i) = self.vpc_of.get(param) {
            return *i;
        }
        let (subject, message, trace) = if param == "DefaultVpc" {
            (
                "DefaultVpc".to_string(),
                "resources that name no VPC are in the region's default VPC: imported as a stand-in VPC `default_vpc` with its block 172.31.0.0/16".to_string(),
                "cloudformation: DefaultVpc  the region's default VPC (named by no resource)".to_string(),
            )
        } else {
            (
                format!("Parameters.{param}"),
                format!("a VPC outside the template: imported as a stand-in VPC with the placeholder block {block} (its real block is unknown; address-based findings about it do not apply)"),
                format!("cloudformation: {param}  parameter: a VPC outside the template (placeholder block)"),
            )
        };
        self.warn(&subject, message);
        let i = self.draft.vpcs.len();
        self.vpc_of.insert(param.to_string(), i);
        self.draft.vpcs.push(draft::Vpc {
            src: Source {
                id: param.to_string(),
                name: Some(if param == "DefaultVpc" {
                    "default_vpc".to_string()
                } else {
                    param.to_string()
                }),
                trace,
            },
            region: Some(self.eval.region.clone()),
            cidrs: vec![block.to_string()],
            ..draft::Vpc::default()
        });
        i
    }

    /// The source of a resource: logical id, name hint, trace comment.
    pub fn source(&mut self, id: &str, kind: &str, resource: &Value) -> Source {
        // A `Name` tag that is already a vnet name (an exported template's) names the block;
        // otherwise the logical id does, which reads better than most computed tags.
        let tag = Self::metadata(resource, "Name")
            .and_then(|v| v.as_str().map(str::to_string))
            .or_else(|| self.name_tag(id, resource));
        let name = match tag {
            Some(t) if crate::import::names::sanitize(&t) == t => t,
            _ => id.to_string(),
        };
        Source {
            id: id.to_string(),
            name: Some(name),
            trace: format!("cloudformation: {id}  {kind}"),
        }
    }

    fn name_tag(&mut self, id: &str, resource: &Value) -> Option<String> {
        let raw = resource.get("Properties")?.get("Tags")?;
        let tags = self
            .eval
            .eval(raw, &format!("Resources.{id}.Properties.Tags"))
            .ok()?;
        tags.as_array()?
            .iter()
            .find(|t| t.get("Key").and_then(Value::as_str) == Some("Name"))
            .and_then(|t| t.get("Value").and_then(Value::as_str).map(str::to_string))
    }

    pub fn metadata(resource: &Value, key: &str) -> Option<Value> {
        resource.get("Metadata")?.get("vnet")?.get(key).cloned()
    }
}

pub fn value_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_reference(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => resource_ref(other).map(str::to_string),
    }
}

/// Resource types read into the draft.
const MODELLED: &[&str] = &[
    "AWS::EC2::VPC",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPNGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::Subnet",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::Route",
    "AWS::EC2::NatGateway",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::TransitGateway",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::TransitGatewayVpcAttachment",
    "AWS::EC2::TransitGatewayRouteTable",
    "AWS::EC2::TransitGatewayRoute",
    "AWS::EC2::TransitGatewayRouteTableAssociation",
    "AWS::EC2::TransitGatewayRouteTablePropagation",
    "AWS::EC2::CustomerGateway",
    "AWS::EC2::VPNConnection",
    "AWS::EC2::VPNConnectionRoute",
    "AWS::EC2::Instance",
    "AWS::EC2::EIP",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBSubnetGroup",
    "AWS::IAM::Role",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::EC2::VPCEndpointService",
    "AWS::EC2::VPCEndpointServicePermissions",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::AutoScaling::LaunchConfiguration",
    "AWS::EC2::LaunchTemplate",
    "AWS::ECS::Service",
    "AWS::VpcLattice::Service",
    "AWS::VpcLattice::Listener",
    "AWS::VpcLattice::TargetGroup",
    "AWS::VpcLattice::ServiceNetwork",
    "AWS::VpcLattice::ServiceNetworkVpcAssociation",
    "AWS::VpcLattice::ServiceNetworkServiceAssociation",
    "AWS::VpcLattice::ResourceGateway",
    "AWS::VpcLattice::ResourceConfiguration",
    "AWS::RAM::ResourceShare",
];

pub(super) fn convert(template: &Value, eval: &Eval) -> (Draft, Vec<Warning>) {
    let empty = Map::new();
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut active = Vec::new();
    let mut skipped = Vec::new();
    let mut unmodelled: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, r) in resources {
        let kind = r.get("Type").and_then(Value::as_str).unwrap_or("");
        if let Some(cond) = r.get("Condition").and_then(Value::as_str) {
            if !eval.holds(cond) {
                skipped.push(format!("{id} ({cond})"));
                continue;
            }
        }
        if !MODELLED.contains(&kind) {
            unmodelled
                .entry(kind.to_string())
                .or_default()
                .push(id.clone());
        }
        active.push((id.as_str(), kind, r));
    }
    let mut c = Conv {
        eval,
        active,
        draft: Draft::default(),
        vpc_of: HashMap::new(),
        in_vpc: HashMap::new(),
        warnings: Vec::new(),
    };
    if !skipped.is_empty() {
        c.warn(
            "Conditions",
            format!("not created with these parameters: {}", skipped.join(", ")),
        );
    }
    for (kind, ids) in unmodelled {
        c.warn(
            &kind,
            format!("not modelled by vnet; not imported: {}", ids.join(", ")),
        );
    }
    network::vpcs(&mut c);
    network::subnets_and_routes(&mut c);
    filters::filters(&mut c);
    workloads::endpoints_and_workloads(&mut c);
    balancing::load_balancers(&mut c);
    workloads::fleets(&mut c);
    lattice::lattice(&mut c);
    network::connections(&mut c);
    (c.draft, c.warnings)
}

/// A protocol as a template writes it (`tcp`, `6`, `-1`).
pub fn protocol(v: Option<String>) -> Result<draft::Proto, String> {
    draft::proto(&v.unwrap_or_else(|| "-1".to_string()))
}
