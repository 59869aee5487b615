//! Generated workspaces for the cancellation tests and the latency benchmark: `count` VPCs,
//! each with subnets in two AZs, route tables, a NAT gateway, a NACL, security groups,
//! workloads and `expect` lines.

/// The text of VPC number `i` (0 to 249: its CIDR is `10.i.0.0/16`).
pub fn vpc(i: usize) -> String {
    format!(
        r#"vpc v{i} {{
  region us-east-1
  cidr 10.{i}.0.0/16

  internet_gateway igw

  subnet public_a {{
    az us-east-1a
    cidr 10.{i}.0.0/24
    route_table public
  }}
  subnet public_b {{
    az us-east-1b
    cidr 10.{i}.1.0/24
    route_table public
  }}
  subnet app_a {{
    az us-east-1a
    cidr 10.{i}.10.0/24
    route_table private_a
    nacl app
  }}
  subnet app_b {{
    az us-east-1b
    cidr 10.{i}.11.0/24
    route_table private_b
    nacl app
  }}

  nat_gateway nat_a {{ subnet public_a }}
  nat_gateway nat_b {{ subnet public_b }}

  route_table public    {{ route 0.0.0.0/0 -> igw }}
  route_table private_a {{ route 0.0.0.0/0 -> nat_a }}
  route_table private_b {{ route 0.0.0.0/0 -> nat_b }}

  nacl app {{
    inbound  100 allow tcp 8080       from 10.{i}.0.0/23
    inbound  110 allow tcp 1024-65535 from 0.0.0.0/0
    outbound 100 allow tcp 1024-65535 to   10.{i}.0.0/23
    outbound 110 allow tcp 443        to   0.0.0.0/0
  }}

  security_group alb_sg {{
    ingress tcp 443  from 0.0.0.0/0
    egress  tcp 8080 to   app_sg
  }}
  security_group app_sg {{
    ingress tcp 8080 from alb_sg
    egress  tcp 443  to   0.0.0.0/0
  }}

  load_balancer web {{
    type application
    subnets [public_a, public_b]
    security_groups [alb_sg]
    listener https 443 -> app_tg
  }}
  target_group app_tg {{
    protocol http
    port 8080
    targets [app1, app2]
  }}
  instance app1 {{
    subnet app_a
    security_groups [app_sg]
    port 8080
    uses [s3]
  }}
  instance app2 {{
    subnet app_b
    security_groups [app_sg]
    port 8080
    uses [s3]
  }}

  expect internet -> web tcp 443 allowed
  expect internet -> app1 tcp 8080 denied
}}
"#
    )
}

/// One file holding `count` VPCs.
pub fn one_file(count: usize) -> String {
    (0..count).map(vpc).collect::<Vec<_>>().join("\n")
}

/// `count` files `vN.vnet`, one VPC each, as (relative path, text).
pub fn many_files(count: usize) -> Vec<(String, String)> {
    (0..count).map(|i| (format!("v{i}.vnet"), vpc(i))).collect()
}
