#!/usr/bin/env python3
"""A second benchmark network, written independently of bench/netgen and shaped differently:
hub and spoke over one transit gateway, the interface endpoints centralised in the hub VPC,
security groups that name each other, three availability zones, cross-VPC `expect` lines.

    bench/hub-spoke.py SPOKES OUT_DIR [--seed N]

Writes OUT_DIR/vnet/*.vnet and OUT_DIR/terraform/*.tf (one file per spoke plus the hub),
the same network in both forms, so that vnetc and Checkov can be compared on it
(bench/peers.sh runs them when given `hub:SPOKES`). 100 spokes is about 1,000 subnets
(the L of the issue), 500 about 5,000 (XL). Deterministic for a seed.
"""
import argparse
import os
import random

AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]
PORTS = [22, 80, 443, 5432, 6379, 8080, 8443, 9000, 3306, 27017]
SERVICES = ["ssm", "ssmmessages", "ec2messages", "logs", "sts", "ecr.api", "kms"]
TIERS = ["web", "web", "web", "app", "app", "app", "db", "db", "tgw", "tgw"]


def spoke_cidr(v):
    return f"10.{v // 16}.{(v % 16) * 16}.0/20"


def subnet_cidr(v, s):
    return f"10.{v // 16}.{(v % 16) * 16 + s}.0/24"


def model(spokes, seed):
    """Every spoke: subnets with their NACL rules, in one list the two writers share."""
    rnd = random.Random(seed)
    out = []
    for v in range(spokes):
        cidr = spoke_cidr(v)
        count = {"web": 0, "app": 0, "db": 0, "tgw": 0}
        subnets = []
        for s, tier in enumerate(TIERS):
            i = count[tier]
            count[tier] += 1
            inbound = [(100 + k * 10, p, rnd.choice(["10.0.0.0/8", cidr, "0.0.0.0/0", "172.16.0.0/12"]))
                       for k, p in enumerate(PORTS)]
            outbound = [(100 + k * 10, p, rnd.choice(["10.0.0.0/8", cidr, "0.0.0.0/0"]))
                        for k, p in enumerate(PORTS)]
            deny = rnd.random() < 0.1
            subnets.append({
                "name": f"{tier}_{v}_{i}", "tier": tier, "az": AZS[i % 3],
                "cidr": subnet_cidr(v, s), "inbound": inbound, "outbound": outbound, "deny": deny,
            })
        out.append({"v": v, "cidr": cidr, "subnets": subnets,
                    "back_route": v % 7 != 3, "peer": v % 5 == 1})
    return out


def write_vnet(spokes, out):
    hub = ["vpc hub {", "  region us-east-1", "  cidr 10.255.0.0/16"]
    for i, az in enumerate(AZS):
        hub += [f"  subnet ep_{i} {{", f"    az {az}", f"    cidr 10.255.{i}.0/24",
                "    route_table hub_rt", "  }"]
    hub += ["  route_table hub_rt { route 10.0.0.0/8 -> core }",
            "  security_group vpce_sg {", "    ingress tcp 443 from 10.0.0.0/8", "  }"]
    for svc in SERVICES:
        hub += [f"  endpoint {svc.replace('.', '_')}_vpce {{", f"    service {svc}", "    type interface",
                "    subnets [ep_0, ep_1, ep_2]", "    security_groups [vpce_sg]", "    private_dns true", "  }"]
    hub += ["}", "", "transit_gateway core {", "  region us-east-1",
            "  attachment hub_att { vpc hub  subnets [ep_0, ep_1, ep_2] }"]
    for s in spokes:
        v = s["v"]
        hub.append(f"  attachment s{v}_att {{ vpc spoke_{v}  subnets [tgw_{v}_0, tgw_{v}_1] }}")
    hub.append("  route 10.255.0.0/16 -> hub_att")
    for s in spokes:
        hub.append(f"  route {s['cidr']} -> s{s['v']}_att")
    hub.append("}")
    with open(os.path.join(out, "hub.vnet"), "w") as f:
        f.write("\n".join(hub) + "\n")
    for s in spokes:
        v = s["v"]
        lines = [f"vpc spoke_{v} {{", "  region us-east-1", f"  cidr {s['cidr']}", "  internet_gateway igw"]
        for sub in s["subnets"]:
            rt = "pub_rt" if sub["tier"] == "web" else "priv_rt"
            lines += [f"  subnet {sub['name']} {{", f"    az {sub['az']}", f"    cidr {sub['cidr']}",
                      f"    route_table {rt}", f"    nacl {sub['name']}_acl", "  }",
                      f"  nacl {sub['name']}_acl {{"]
            lines += [f"    inbound  {n} allow tcp {p} from {c}" for n, p, c in sub["inbound"]]
            lines.append("    inbound  300 allow tcp 1024-65535 from 0.0.0.0/0")
            if sub["deny"]:
                lines.append("    inbound  90 deny tcp 1024-65535 from 10.0.0.0/8")
            lines += [f"    outbound {n} allow tcp {p} to {c}" for n, p, c in sub["outbound"]]
            lines += ["    outbound 300 allow tcp 1024-65535 to 0.0.0.0/0", "  }"]
        back = "  route 10.0.0.0/8 -> core" if s["back_route"] else ""
        lines += [f"  nat_gateway nat {{ subnet web_{v}_0 }}",
                  "  route_table pub_rt { route 0.0.0.0/0 -> igw  route 10.0.0.0/8 -> core }",
                  f"  route_table priv_rt {{ route 0.0.0.0/0 -> nat{back} }}",
                  "  security_group web_sg {", "    ingress tcp 443 from 0.0.0.0/0", "    ingress tcp 80 from 0.0.0.0/0",
                  "    egress tcp 8080 to app_sg", "    egress tcp 443 to 0.0.0.0/0", "  }",
                  "  security_group app_sg {", "    ingress tcp 8080 from web_sg", "    ingress tcp 8080 from 10.0.0.0/8",
                  "    egress tcp 5432 to db_sg", "    egress tcp 443 to 0.0.0.0/0", "  }",
                  "  security_group db_sg {", "    ingress tcp 5432 from app_sg", "    ingress tcp 22 from 10.255.0.0/16", "  }"]
        for i in range(3):
            lines += [f"  instance web{i} {{", f"    subnet web_{v}_{i}", "    security_groups [web_sg]", "  }",
                      f"  instance app{i} {{", f"    subnet app_{v}_{i}", "    security_groups [app_sg]",
                      "    uses [ssm, logs, sts, s3]", "  }"]
        lines += ["  instance db0 {", f"    subnet db_{v}_0", "    security_groups [db_sg]", "  }", "}"]
        if s["peer"] and v > 0:
            lines.append(f"peering p{v} {{ requester spoke_{v}  accepter spoke_{v - 1} }}")
        lines.append(f"expect spoke_{v}.app0 -> spoke_{v}.db0 tcp 5432 allowed")
        if v > 0:
            lines.append(f"expect spoke_{v}.app1 -> spoke_{v - 1}.app0 tcp 8080 allowed")
        with open(os.path.join(out, f"spoke_{v:04}.vnet"), "w") as f:
            f.write("\n".join(line for line in lines if line) + "\n")


def tf(kind, name, body):
    attrs = "\n".join(f"  {line}" for line in body)
    return f'resource "{kind}" "{name}" {{\n{attrs}\n}}\n'


def write_terraform(spokes, out):
    hub = ['provider "aws" {\n  region = "us-east-1"\n}\n',
           tf("aws_vpc", "hub", ['cidr_block = "10.255.0.0/16"', "enable_dns_support = true",
                                 "enable_dns_hostnames = true"]),
           tf("aws_ec2_transit_gateway", "core", ['description = "core"']),
           tf("aws_ec2_transit_gateway_route_table", "core", ["transit_gateway_id = aws_ec2_transit_gateway.core.id"])]
    for i, az in enumerate(AZS):
        hub.append(tf("aws_subnet", f"hub_ep_{i}", ["vpc_id = aws_vpc.hub.id", f'cidr_block = "10.255.{i}.0/24"',
                                                     f'availability_zone = "{az}"']))
    hub.append(tf("aws_route_table", "hub_rt", ["vpc_id = aws_vpc.hub.id"]))
    hub.append(tf("aws_route", "hub_rt_core", ["route_table_id = aws_route_table.hub_rt.id",
                                               'destination_cidr_block = "10.0.0.0/8"',
                                               "transit_gateway_id = aws_ec2_transit_gateway.core.id"]))
    for i in range(3):
        hub.append(tf("aws_route_table_association", f"hub_ep_{i}", [f"subnet_id = aws_subnet.hub_ep_{i}.id",
                                                                      "route_table_id = aws_route_table.hub_rt.id"]))
    hub.append(tf("aws_security_group", "hub_vpce_sg", ["vpc_id = aws_vpc.hub.id", 'description = "endpoints"',
                                                         'ingress {\n    protocol = "tcp"\n    from_port = 443\n    to_port = 443\n    cidr_blocks = ["10.0.0.0/8"]\n  }']))
    for svc in SERVICES:
        hub.append(tf("aws_vpc_endpoint", f"hub_{svc.replace('.', '_')}", [
            "vpc_id = aws_vpc.hub.id", f'service_name = "com.amazonaws.us-east-1.{svc}"',
            'vpc_endpoint_type = "Interface"', "private_dns_enabled = true",
            "subnet_ids = [aws_subnet.hub_ep_0.id, aws_subnet.hub_ep_1.id, aws_subnet.hub_ep_2.id]",
            "security_group_ids = [aws_security_group.hub_vpce_sg.id]"]))
    hub.append(tf("aws_ec2_transit_gateway_vpc_attachment", "hub_att", [
        "transit_gateway_id = aws_ec2_transit_gateway.core.id", "vpc_id = aws_vpc.hub.id",
        "subnet_ids = [aws_subnet.hub_ep_0.id, aws_subnet.hub_ep_1.id, aws_subnet.hub_ep_2.id]"]))
    hub.append(tf("aws_ec2_transit_gateway_route", "to_hub", [
        'destination_cidr_block = "10.255.0.0/16"',
        "transit_gateway_attachment_id = aws_ec2_transit_gateway_vpc_attachment.hub_att.id",
        "transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.core.id"]))
    with open(os.path.join(out, "hub.tf"), "w") as f:
        f.write("\n".join(hub))
    for s in spokes:
        v = s["v"]
        p = f"s{v}"
        res = [tf("aws_vpc", p, [f'cidr_block = "{s["cidr"]}"', "enable_dns_support = true",
                                 "enable_dns_hostnames = true"]),
               tf("aws_internet_gateway", f"{p}_igw", [f"vpc_id = aws_vpc.{p}.id"]),
               tf("aws_eip", f"{p}_nat", ['domain = "vpc"']),
               tf("aws_nat_gateway", f"{p}_nat", [f"allocation_id = aws_eip.{p}_nat.id",
                                                  f"subnet_id = aws_subnet.{p}_web_{v}_0.id"]),
               tf("aws_route_table", f"{p}_pub_rt", [f"vpc_id = aws_vpc.{p}.id"]),
               tf("aws_route_table", f"{p}_priv_rt", [f"vpc_id = aws_vpc.{p}.id"]),
               tf("aws_route", f"{p}_pub_default", [f"route_table_id = aws_route_table.{p}_pub_rt.id",
                                                    'destination_cidr_block = "0.0.0.0/0"',
                                                    f"gateway_id = aws_internet_gateway.{p}_igw.id"]),
               tf("aws_route", f"{p}_pub_core", [f"route_table_id = aws_route_table.{p}_pub_rt.id",
                                                 'destination_cidr_block = "10.0.0.0/8"',
                                                 "transit_gateway_id = aws_ec2_transit_gateway.core.id"]),
               tf("aws_route", f"{p}_priv_default", [f"route_table_id = aws_route_table.{p}_priv_rt.id",
                                                     'destination_cidr_block = "0.0.0.0/0"',
                                                     f"nat_gateway_id = aws_nat_gateway.{p}_nat.id"])]
        if s["back_route"]:
            res.append(tf("aws_route", f"{p}_priv_core", [f"route_table_id = aws_route_table.{p}_priv_rt.id",
                                                          'destination_cidr_block = "10.0.0.0/8"',
                                                          "transit_gateway_id = aws_ec2_transit_gateway.core.id"]))
        for sub in s["subnets"]:
            n = f"{p}_{sub['name']}"
            rt = "pub_rt" if sub["tier"] == "web" else "priv_rt"
            res.append(tf("aws_subnet", n, [f"vpc_id = aws_vpc.{p}.id", f'cidr_block = "{sub["cidr"]}"',
                                            f'availability_zone = "{sub["az"]}"']))
            res.append(tf("aws_route_table_association", n, [f"subnet_id = aws_subnet.{n}.id",
                                                             f"route_table_id = aws_route_table.{p}_{rt}.id"]))
            rules = []
            for kind, entries in (("ingress", sub["inbound"]), ("egress", sub["outbound"])):
                all_rules = [(num, "allow", port, port, c) for num, port, c in entries]
                all_rules.append((300, "allow", 1024, 65535, "0.0.0.0/0"))
                if kind == "ingress" and sub["deny"]:
                    all_rules.append((90, "deny", 1024, 65535, "10.0.0.0/8"))
                for num, action, lo, hi, c in all_rules:
                    rules.append(f'{kind} {{\n    protocol = "tcp"\n    rule_no = {num}\n    action = "{action}"\n'
                                 f'    cidr_block = "{c}"\n    from_port = {lo}\n    to_port = {hi}\n  }}')
            res.append(tf("aws_network_acl", f"{n}_acl", [f"vpc_id = aws_vpc.{p}.id",
                                                          f"subnet_ids = [aws_subnet.{n}.id]"] + rules))
        res.append(tf("aws_ec2_transit_gateway_vpc_attachment", f"{p}_att", [
            "transit_gateway_id = aws_ec2_transit_gateway.core.id", f"vpc_id = aws_vpc.{p}.id",
            f"subnet_ids = [aws_subnet.{p}_tgw_{v}_0.id, aws_subnet.{p}_tgw_{v}_1.id]"]))
        res.append(tf("aws_ec2_transit_gateway_route", f"to_{p}", [
            f'destination_cidr_block = "{s["cidr"]}"',
            f"transit_gateway_attachment_id = aws_ec2_transit_gateway_vpc_attachment.{p}_att.id",
            "transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.core.id"]))
        groups = {
            "web": [("ingress", 443, 443, 'cidr_blocks = ["0.0.0.0/0"]'), ("ingress", 80, 80, 'cidr_blocks = ["0.0.0.0/0"]'),
                    ("egress", 8080, 8080, f"security_groups = [aws_security_group.{p}_app.id]"),
                    ("egress", 443, 443, 'cidr_blocks = ["0.0.0.0/0"]')],
            "app": [("ingress", 8080, 8080, f"security_groups = [aws_security_group.{p}_web.id]"),
                    ("ingress", 8080, 8080, 'cidr_blocks = ["10.0.0.0/8"]'),
                    ("egress", 5432, 5432, f"security_groups = [aws_security_group.{p}_db.id]"),
                    ("egress", 443, 443, 'cidr_blocks = ["0.0.0.0/0"]')],
            "db": [("ingress", 5432, 5432, f"security_groups = [aws_security_group.{p}_app.id]"),
                   ("ingress", 22, 22, 'cidr_blocks = ["10.255.0.0/16"]')],
        }
        for g, rules in groups.items():
            res.append(tf("aws_security_group", f"{p}_{g}", [f"vpc_id = aws_vpc.{p}.id", f'description = "{g}"']))
            for k, (kind, lo, hi, peer) in enumerate(rules):
                peer = peer.replace("security_groups = [", "source_security_group_id = ").rstrip("]") \
                    if "security_groups" in peer else peer
                res.append(tf("aws_security_group_rule", f"{p}_{g}_{k}", [
                    f'type = "{kind}"', 'protocol = "tcp"', f"from_port = {lo}", f"to_port = {hi}",
                    f"security_group_id = aws_security_group.{p}_{g}.id", peer]))
        instances = [(f"web{i}", f"web_{v}_{i}", "web") for i in range(3)]
        instances += [(f"app{i}", f"app_{v}_{i}", "app") for i in range(3)] + [("db0", f"db_{v}_0", "db")]
        for name, subnet, g in instances:
            res.append(tf("aws_instance", f"{p}_{name}", ['ami = "ami-12345678"', 'instance_type = "t3.micro"',
                                                          f"subnet_id = aws_subnet.{p}_{subnet}.id",
                                                          f"vpc_security_group_ids = [aws_security_group.{p}_{g}.id]"]))
        if s["peer"] and v > 0:
            res.append(tf("aws_vpc_peering_connection", f"{p}_peer", [f"vpc_id = aws_vpc.{p}.id",
                                                                      f"peer_vpc_id = aws_vpc.s{v - 1}.id",
                                                                      "auto_accept = true"]))
        with open(os.path.join(out, f"spoke_{v:04}.tf"), "w") as f:
            f.write("\n".join(res))


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("spokes", type=int)
    args.add_argument("out")
    args.add_argument("--seed", type=int, default=1)
    a = args.parse_args()
    spokes = model(a.spokes, a.seed)
    for form, write in (("vnet", write_vnet), ("terraform", write_terraform)):
        d = os.path.join(a.out, form)
        os.makedirs(d, exist_ok=True)
        write(spokes, d)


if __name__ == "__main__":
    main()
