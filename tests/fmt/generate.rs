//! Networks for the formatter's property tests: random networks built from every kind of
//! statement, and any network re-laid out at random (whitespace, line breaks, comments between
//! any two tokens), so that the formatter meets layouts nobody here would write.

use fastrand::Rng;

/// A random network using every block and rule-like statement of the language.
pub fn network(rng: &mut Rng) -> String {
    let mut s = String::new();
    let vpcs = rng.usize(1..=3);
    for v in 0..vpcs {
        s += &format!("vpc v{v} {{\n  region us-east-1\n  cidr 10.{v}.0.0/16\n");
        if rng.bool() {
            s += "  internet_gateway igw\n";
        }
        for n in 0..rng.usize(1..=4) {
            s += &format!(
                "  subnet s{n} {{ az us-east-1{}  cidr 10.{v}.{n}.0/24  route_table rt{} }}\n",
                ["a", "b"][n % 2],
                n % 2
            );
        }
        for r in 0..2 {
            s += &format!("  route_table rt{r} {{\n");
            for k in 0..rng.usize(0..=3) {
                let target = ["blackhole", "nat", "igw"][rng.usize(0..3)];
                s += &format!(
                    "    route 10.{}.{k}.0/24 -> {target}\n",
                    100 + rng.u8(0..100)
                );
            }
            s += "  }\n";
        }
        s += "  nat_gateway nat { subnet s0 }\n";
        s += "  nacl acl {\n";
        for k in 0..rng.usize(1..=5) {
            let dir = if rng.bool() { "inbound" } else { "outbound" };
            let word = if dir == "inbound" { "from" } else { "to" };
            let proto = ["tcp", "udp", "icmp", "all"][rng.usize(0..4)];
            let ports = match proto {
                "tcp" | "udp" => [" 443", " 1024-65535", " 22"][rng.usize(0..3)],
                _ => "",
            };
            let action = if rng.bool() { "allow" } else { "deny" };
            s += &format!(
                "    {dir} {} {action} {proto}{ports} {word} 10.{}.0.0/16\n",
                (k + 1) * [1, 10, 100][rng.usize(0..3)],
                rng.u8(0..200)
            );
        }
        s += "  }\n";
        s += "  security_group sg {\n    description \"a group\"\n";
        for _ in 0..rng.usize(0..=4) {
            let (dir, word) = if rng.bool() {
                ("ingress", "from")
            } else {
                ("egress", "to")
            };
            let peer = ["0.0.0.0/0", "sg", "s3", "10.0.0.0/8"][rng.usize(0..4)];
            let note = if rng.bool() {
                " \"why # not a comment\""
            } else {
                ""
            };
            s += &format!("    {dir} tcp {} {word} {peer}{note}\n", rng.u16(1..9000));
        }
        s += "  }\n";
        let items: Vec<String> = (0..rng.usize(0..=30))
            .map(|i| format!("s{}", i % 4))
            .collect();
        s += &format!(
            "  instance i {{\n    subnet s0\n    security_groups [sg]\n    uses [{}]\n  }}\n",
            ["s3", "dynamodb", "internet", "ssm"][..rng.usize(0..=4)].join(", ")
        );
        s += &format!(
            "  endpoint e {{ service s3  type gateway  route_tables [rt0, rt1] }}\n  endpoint f {{\n    service ssm\n    type interface\n    subnets [{}]\n  }}\n",
            items.join(", ")
        );
        s += "  load_balancer lb { type application  subnets [s0]  listener https 443 -> tg }\n";
        s += "  target_group tg { protocol http  port 80  targets [i] }\n";
        s += "  vpn_gateway vgw { asn 65000 }\n";
        s += "  expect internet -> i tcp 443 denied\n}\n";
    }
    if vpcs > 1 {
        s += "peering p { requester v0  accepter v1 }\n";
        s += "transit_gateway t {\n  region us-east-1\n  attachment a0 { vpc v0  subnets [s0] }\n  attachment a1 { vpc v1  subnets [s0] }\n  route 10.0.0.0/16 -> a0\n}\n";
    }
    s += "on_premises hq {\n  cidr 192.168.0.0/16\n  connection vpn1 { type vpn  gateway v0.vgw  customer_gateway 203.0.113.1 }\n}\n";
    s += "service_network sn { auth iam  vpcs [v0] }\n";
    s += "expect v0.i -> internet tcp 443 allowed\n";
    relayout(&s, rng)
}

/// The same tokens and comments as `text`, with random whitespace, line breaks and new
/// comments between tokens.
pub fn relayout(text: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    for piece in lex(text) {
        match piece {
            Piece::Token(token) => {
                out += &token;
                out += match rng.usize(0..12) {
                    0 => "\n",
                    1 => "\n\n",
                    2 => "\t",
                    3 => "   ",
                    4 => " # a comment between tokens\n",
                    5 => "\n# an own-line comment\n",
                    _ => " ",
                };
            }
            Piece::Trailing(c) => {
                // Keep it on the line of its token.
                while out.ends_with([' ', '\t', '\n']) {
                    out.pop();
                }
                out += &format!(" {c}\n");
            }
            Piece::OwnLine(c) => out += &format!("\n{c}\n"),
        }
    }
    out
}

enum Piece {
    Token(String),
    /// A comment after a token on its line.
    Trailing(String),
    /// A comment on a line of its own.
    OwnLine(String),
}

/// Tokens of a `.vnet` text (strings whole) and its comments, in order.
fn lex(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        let mut tokens_on_line = 0;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if rest.starts_with('#') {
                out.push(if tokens_on_line > 0 {
                    Piece::Trailing(rest.to_string())
                } else {
                    Piece::OwnLine(rest.to_string())
                });
                break;
            }
            let end = if let Some(string) = rest.strip_prefix('"') {
                string.find('"').map_or(rest.len(), |i| i + 2)
            } else {
                rest.find(|c: char| c.is_whitespace() || c == '#')
                    .unwrap_or(rest.len())
            };
            out.push(Piece::Token(rest[..end].to_string()));
            tokens_on_line += 1;
            rest = &rest[end..];
        }
    }
    out
}
