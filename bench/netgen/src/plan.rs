//! Builds the synthetic network of a size from a seed.
//!
//! Each VPC has two AZs, a public, an application, a data and an endpoint tier, an internet
//! gateway, NAT gateways, an S3 gateway endpoint and an SSM interface endpoint; every subnet
//! has its own NACL (about 10 rules per direction), its own security group (about 5 rules)
//! and one instance with `uses`. A seeded share of the VPCs carries one of the mistakes the
//! lint rules look for, so a run finds a realistic mix.

use crate::model::*;
use crate::rng::SplitMix64;

/// The sizes of the benchmarks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Size {
    /// 1 VPC, 6 subnets.
    S,
    /// 10 VPCs, 100 subnets.
    M,
    /// 100 VPCs, 1,000 subnets.
    L,
    /// 500 VPCs, 5,000 subnets.
    Xl,
}

impl Size {
    pub fn vpcs(self) -> usize {
        match self {
            Size::S => 1,
            Size::M => 10,
            Size::L => 100,
            Size::Xl => 500,
        }
    }

    pub fn subnets_per_vpc(self) -> usize {
        match self {
            Size::S => 6,
            _ => 10,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Size::S => "S",
            Size::M => "M",
            Size::L => "L",
            Size::Xl => "XL",
        }
    }
}

const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];

/// The tier of each subnet, by position: 6 subnets (S) or 10 (every other size).
const TIERS_6: [Tier; 6] = [
    Tier::Public,
    Tier::Public,
    Tier::App,
    Tier::App,
    Tier::Data,
    Tier::Endpoints,
];
const TIERS_10: [Tier; 10] = [
    Tier::Public,
    Tier::Public,
    Tier::App,
    Tier::App,
    Tier::App,
    Tier::App,
    Tier::Data,
    Tier::Data,
    Tier::Endpoints,
    Tier::Endpoints,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Public,
    App,
    Data,
    Endpoints,
}

impl Tier {
    fn name(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::App => "app",
            Tier::Data => "data",
            Tier::Endpoints => "endpoints",
        }
    }
}

/// The mistakes a VPC may carry (at most one each), with the share of VPCs that carry it.
/// The first VPC carries none, so that S is a clean network apart from what M and larger add.
#[derive(Clone, Copy, Debug, Default)]
struct Mistakes {
    /// The data NACL answers on the service port instead of the ephemeral ports
    /// (`nacl-missing-return`).
    missing_return: bool,
    /// No S3 gateway endpoint: S3 traffic detours through the NAT gateways
    /// (`nat-instead-of-gateway-endpoint`).
    nat_detour: bool,
    /// Nobody uses SSM, but the endpoint is there (`endpoint-unused`).
    unused_endpoint: bool,
    /// One NAT gateway for both AZs (`nat-cross-az`).
    single_nat: bool,
    /// SSH open to the world on an application group (`sg-open-to-world`).
    ssh_open: bool,
    /// A deny that shadows a later allow in the public NACL (`nacl-rule-shadowed`).
    shadowed_rule: bool,
}

impl Mistakes {
    fn draw(rng: &mut SplitMix64, first: bool) -> Mistakes {
        if first {
            // S: one VPC, one mistake of each kind that fits a small network.
            return Mistakes {
                missing_return: true,
                nat_detour: true,
                unused_endpoint: true,
                ..Mistakes::default()
            };
        }
        Mistakes {
            missing_return: rng.chance(15),
            nat_detour: rng.chance(20),
            unused_endpoint: rng.chance(15),
            single_nat: rng.chance(20),
            ssh_open: rng.chance(10),
            shadowed_rule: rng.chance(10),
        }
    }

    fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let flags = [
            (self.missing_return, "nacl-missing-return"),
            (self.nat_detour, "nat-instead-of-gateway-endpoint"),
            (self.unused_endpoint, "endpoint-unused"),
            (self.single_nat, "nat-cross-az"),
            (self.ssh_open, "sg-open-to-world"),
            (self.shadowed_rule, "nacl-rule-shadowed"),
        ];
        for (on, name) in flags {
            if on {
                out.push(name);
            }
        }
        out
    }
}

/// The network of `size`, the same for the same seed.
pub fn network(size: Size, seed: u64) -> Network {
    let mut rng = SplitMix64::new(seed);
    let vpcs = (0..size.vpcs())
        .map(|v| {
            let mistakes = Mistakes::draw(&mut rng, v == 0);
            vpc(v, size, mistakes)
        })
        .collect();
    Network { vpcs }
}

fn vpc(v: usize, size: Size, m: Mistakes) -> Vpc {
    // One /20 per VPC: 4,096 VPCs fit in 10.0.0.0/8; one /24 per subnet.
    let (hi, mid) = (v / 16, (v % 16) * 16);
    let cidr = format!("10.{hi}.{mid}.0/20");
    let region = REGIONS[v % REGIONS.len()];
    let tiers: &[Tier] = if size.subnets_per_vpc() == 6 {
        &TIERS_6
    } else {
        &TIERS_10
    };

    let mut subnets = Vec::new();
    let mut nacls = Vec::new();
    let mut security_groups = Vec::new();
    let mut instances = Vec::new();
    for (j, &tier) in tiers.iter().enumerate() {
        let az = j % 2;
        let name = format!("{}_{}", tier.name(), j);
        let route_table = match tier {
            Tier::Public => Some("public_rt".to_string()),
            Tier::App if m.single_nat => Some("private_rt_a".to_string()),
            Tier::App => Some(format!("private_rt_{}", AZ_LETTERS[az])),
            Tier::Data | Tier::Endpoints => None,
        };
        let nacl = format!("{name}_acl");
        nacls.push(tier_nacl(&nacl, tier, &cidr, &m));
        let sg = format!("{name}_sg");
        security_groups.push(tier_group(&sg, tier, &cidr, &m));
        if tier != Tier::Endpoints {
            instances.push(Instance {
                name: format!("{name}_host"),
                subnet: name.clone(),
                security_group: sg,
                uses: match tier {
                    Tier::App if m.unused_endpoint => vec!["s3", "internet"],
                    Tier::App => vec!["s3", "ssm", "internet"],
                    Tier::Public => vec!["internet"],
                    _ => Vec::new(),
                },
            });
        }
        subnets.push(Subnet {
            name,
            az,
            cidr: format!("10.{hi}.{}.0/24", mid + j),
            route_table,
            nacl,
            public_ip_on_launch: tier == Tier::Public,
        });
    }

    let publics: Vec<&Subnet> = subnets
        .iter()
        .filter(|s| s.name.starts_with("public"))
        .collect();
    let nat_count = if m.single_nat { 1 } else { 2 };
    let nat_gateways: Vec<NatGateway> = publics
        .iter()
        .take(nat_count)
        .map(|s| NatGateway {
            name: format!("nat_{}", AZ_LETTERS[s.az]),
            subnet: s.name.clone(),
        })
        .collect();
    let mut route_tables = vec![
        RouteTable {
            name: "public_rt".into(),
            main: false,
            default_route: DefaultRoute::InternetGateway,
        },
        RouteTable {
            name: "isolated_rt".into(),
            main: true,
            default_route: DefaultRoute::None,
        },
    ];
    let private_tables: Vec<String> = nat_gateways
        .iter()
        .map(|n| {
            let name = format!("private_rt_{}", &n.name[4..]);
            route_tables.push(RouteTable {
                name: name.clone(),
                main: false,
                default_route: DefaultRoute::Nat(n.name.clone()),
            });
            name
        })
        .collect();

    let s3_endpoint = (!m.nat_detour).then(|| GatewayEndpoint {
        name: "s3_gw".into(),
        route_tables: private_tables,
    });
    let ssm_endpoint = Some(InterfaceEndpoint {
        name: "ssm_vpce".into(),
        service: "ssm",
        subnets: subnets
            .iter()
            .filter(|s| s.name.starts_with("endpoints"))
            .map(|s| s.name.clone())
            .collect(),
        security_groups: subnets
            .iter()
            .filter(|s| s.name.starts_with("endpoints"))
            .map(|s| format!("{}_sg", s.name))
            .collect(),
    });

    let app = instances.iter().find(|i| i.name.starts_with("app"));
    let data = instances.iter().find(|i| i.name.starts_with("data"));
    let mut expects = Vec::new();
    if let (Some(app), Some(data)) = (app, data) {
        expects.push(Expect {
            source: app.name.clone(),
            destination: data.name.clone(),
            port: 5432,
            allowed: true,
        });
        expects.push(Expect {
            source: "internet".into(),
            destination: data.name.clone(),
            port: 5432,
            allowed: false,
        });
    }

    Vpc {
        name: format!("vpc_{v:04}"),
        region,
        cidr,
        situations: m.names(),
        subnets,
        route_tables,
        nat_gateways,
        s3_endpoint,
        ssm_endpoint,
        nacls,
        security_groups,
        instances,
        expects,
    }
}

fn rule(number: u32, allow: bool, proto: Proto, ports: Option<(u16, u16)>, cidr: &str) -> NaclRule {
    NaclRule {
        number,
        allow,
        proto,
        ports,
        cidr: cidr.to_string(),
    }
}

const EPHEMERAL: Option<(u16, u16)> = Some((1024, 65535));
const WORLD: &str = "0.0.0.0/0";
/// The organisation's address space (other VPCs, on-premises administrators).
const CORP: &str = "10.0.0.0/8";

/// About 10 rules per direction: the tier's service ports, administration from the
/// organisation, DNS, ICMP, replies on the ephemeral ports.
fn tier_nacl(name: &str, tier: Tier, vpc: &str, m: &Mistakes) -> Nacl {
    use Proto::*;
    let mut inbound = vec![
        rule(100, true, Tcp, Some((22, 22)), CORP),
        rule(110, true, Icmp, None, vpc),
        rule(120, true, Udp, Some((53, 53)), vpc),
        rule(130, true, Tcp, Some((53, 53)), vpc),
    ];
    let mut outbound = vec![
        rule(100, true, Tcp, Some((443, 443)), WORLD),
        rule(110, true, Icmp, None, vpc),
        rule(120, true, Udp, Some((53, 53)), vpc),
        rule(130, true, Tcp, Some((53, 53)), vpc),
    ];
    match tier {
        Tier::Public => {
            if m.shadowed_rule {
                inbound.push(rule(135, false, Tcp, Some((80, 80)), WORLD));
            }
            inbound.push(rule(140, true, Tcp, Some((443, 443)), WORLD));
            inbound.push(rule(150, true, Tcp, Some((80, 80)), WORLD));
            outbound.push(rule(140, true, Tcp, Some((8080, 8080)), vpc));
            outbound.push(rule(150, true, Tcp, Some((80, 80)), WORLD));
        }
        Tier::App => {
            inbound.push(rule(140, true, Tcp, Some((8080, 8080)), vpc));
            inbound.push(rule(150, true, Tcp, Some((8443, 8443)), vpc));
            outbound.push(rule(140, true, Tcp, Some((5432, 5432)), vpc));
            outbound.push(rule(150, true, Tcp, Some((80, 80)), WORLD));
        }
        Tier::Data => {
            inbound.push(rule(140, true, Tcp, Some((5432, 5432)), vpc));
            inbound.push(rule(150, true, Tcp, Some((6379, 6379)), vpc));
            outbound.push(rule(140, true, Tcp, Some((5432, 5432)), vpc));
            outbound.push(rule(150, true, Tcp, Some((6379, 6379)), vpc));
        }
        Tier::Endpoints => {
            inbound.push(rule(140, true, Tcp, Some((443, 443)), vpc));
            inbound.push(rule(150, true, Tcp, Some((443, 443)), CORP));
            outbound.push(rule(140, true, Tcp, Some((8443, 8443)), vpc));
            outbound.push(rule(150, true, Tcp, Some((5986, 5986)), CORP));
        }
    }
    // Specific ports above 1024 come before the reply rules that would shadow them.
    inbound.push(rule(160, true, Tcp, Some((3389, 3389)), "10.255.0.0/16"));
    inbound.push(rule(170, true, Tcp, Some((9100, 9100)), CORP));
    inbound.push(rule(180, true, Udp, Some((123, 123)), vpc));
    inbound.push(rule(190, true, Tcp, EPHEMERAL, WORLD));
    inbound.push(rule(200, true, Udp, EPHEMERAL, WORLD));
    outbound.push(rule(160, true, Tcp, Some((9100, 9100)), CORP));
    outbound.push(rule(170, true, Tcp, Some((3306, 3306)), vpc));
    outbound.push(rule(180, true, Udp, Some((123, 123)), vpc));
    // The classic mistake: the reply rule names the service port, not the client's.
    let data_mistake = tier == Tier::Data && m.missing_return;
    if !data_mistake {
        outbound.push(rule(190, true, Tcp, EPHEMERAL, WORLD));
    }
    outbound.push(rule(200, true, Udp, EPHEMERAL, WORLD));
    Nacl {
        name: name.to_string(),
        inbound,
        outbound,
    }
}

fn sg_rule(proto: Proto, port: u16, peer: Peer, description: &str) -> SgRule {
    SgRule {
        proto,
        ports: Some((port, port)),
        peer,
        description: description.to_string(),
    }
}

/// About 5 rules: what the tier serves and calls.
fn tier_group(name: &str, tier: Tier, vpc: &str, m: &Mistakes) -> SecurityGroup {
    use Proto::*;
    let cidr = |c: &str| Peer::Cidr(c.to_string());
    let admin = sg_rule(Tcp, 22, cidr(CORP), "ssh from the organisation");
    let monitoring = sg_rule(Tcp, 9100, cidr(CORP), "node exporter");
    let (description, mut ingress, egress) = match tier {
        Tier::Public => (
            "Web front ends",
            vec![
                sg_rule(Tcp, 443, cidr(WORLD), "HTTPS from anywhere"),
                sg_rule(Tcp, 80, cidr(WORLD), "HTTP redirect"),
                admin,
            ],
            vec![
                sg_rule(Tcp, 8080, cidr(vpc), "to the application tier"),
                sg_rule(Tcp, 443, cidr(WORLD), "updates"),
            ],
        ),
        Tier::App => (
            "Application servers",
            vec![
                sg_rule(Tcp, 8080, cidr(vpc), "from the web tier"),
                admin,
                monitoring,
            ],
            vec![
                sg_rule(Tcp, 5432, cidr(vpc), "to PostgreSQL"),
                sg_rule(Tcp, 443, cidr(WORLD), "AWS APIs and partners"),
            ],
        ),
        Tier::Data => (
            "Databases",
            vec![
                sg_rule(
                    Tcp,
                    5432,
                    Peer::Group("app_2_sg".into()),
                    "PostgreSQL from the first app server",
                ),
                sg_rule(Tcp, 6379, cidr(vpc), "Redis from the VPC"),
                admin,
                monitoring,
            ],
            vec![sg_rule(Tcp, 443, cidr(WORLD), "backups to S3")],
        ),
        Tier::Endpoints => (
            "Interface endpoints",
            vec![
                sg_rule(Tcp, 443, cidr(vpc), "HTTPS from the VPC"),
                sg_rule(Tcp, 443, cidr("10.255.0.0/16"), "HTTPS from on-premises"),
            ],
            vec![sg_rule(Tcp, 443, cidr(vpc), "to the VPC")],
        ),
    };
    if tier == Tier::App && m.ssh_open {
        ingress.push(sg_rule(Tcp, 22, cidr(WORLD), "temporary: vendor support"));
    }
    SecurityGroup {
        name: name.to_string(),
        description: description.to_string(),
        ingress,
        egress,
    }
}
