#!/usr/bin/env python3
"""A third benchmark generator for vnetc: network shapes that bench/netgen and
bench/hub-spoke.py do not have, to look for code paths that grow faster than the network.

    bench/shapes.py SHAPE N OUT_DIR [--seed S] [--one-file]

SHAPE (N is the scale: VPCs, or subnets for bigvpc/smallvpcs):
  workloads  N VPCs on one transit gateway with a hub of interface endpoints; ~50 workloads
             per VPC (instances, functions, databases), each `uses` 3-7 AWS services and
             some an endpoint service of another VPC; interface endpoints in 1 VPC of 3,
             gateway endpoints in some, NAT per AZ.
  sgmesh     N VPCs peered in pairs; 24 security groups per VPC, each naming ~8 groups of
             its VPC and 2 of the peer VPC in ingress and egress (SG-to-SG), plus a chain
             g0 -> g1 -> ... ; each group has 2-3 member instances.
  sgtgw      sgmesh, but the VPCs are all attached to one transit gateway (no peerings), so
             the cross-VPC security group references are resolved over the transit gateway.
  expects    N VPCs on one transit gateway, 8 workloads each, 24 `expect` lines per VPC
             (allowed and denied) to workloads of random other VPCs.
  peering    N VPCs in peering rings of 6 and full meshes of 4 (two regions), routes to
             each peer with some missing, some transitive and some default routes over
             peerings, cross-VPC SG references, expects to peers and peers of peers.
  tgw        N VPCs over N/40 transit gateways (1 VPC in 5 attached to two), blackhole
             routes, one on-premises site per TGW (VPN + Direct Connect), one VPC in 10
             with a virtual private gateway and a branch site over VPN; expects from sites.
  lbnacl     N VPCs, 3 AZs, NAT gateway per AZ, 3 NACLs of 20 rules per direction,
             an internet-facing ALB, an internal ALB, an internal NLB, 5 target groups
             (one empty), 20 targets.
  bigvpc     one VPC with N subnets (/26, several /16 CIDR blocks), shared route tables
             (25 subnets each), 40 shared NACLs, N/8 security groups naming each other,
             one workload per subnet, an s3 gateway endpoint on every route table.
  smallvpcs  the same N subnets and per-subnet content as bigvpc, in VPCs of 10 subnets.

Writes OUT_DIR/*.vnet, one file per VPC (plus top.vnet for transit gateways, sites and
the like); with --one-file, everything in OUT_DIR/all.vnet. Deterministic for a seed.
"""
import argparse
import os
import random

SERVICES = ["s3", "dynamodb", "ssm", "ecr.api", "ecr.dkr", "sqs", "kms", "logs", "sts",
            "secretsmanager", "sns"]
IF_SERVICES = ["ssm", "ecr.api", "ecr.dkr", "sqs", "kms", "logs", "sts", "secretsmanager", "sns"]
AZ3 = ["a", "b", "c"]


def ip(n):
    return f"{(n >> 24) & 255}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def block(base, index, prefix):
    """The index-th block of size /prefix after the address `base` (an int)."""
    return base + (index << (32 - prefix))


def cidr(n, prefix):
    return f"{ip(n)}/{prefix}"


TEN = 10 << 24


class Net:
    """Collects the text of each file."""

    def __init__(self):
        self.files = {}

    def add(self, name, lines):
        self.files.setdefault(name, []).extend(lines)

    def write(self, out, one_file):
        os.makedirs(out, exist_ok=True)
        for f in os.listdir(out):
            if f.endswith(".vnet"):
                os.remove(os.path.join(out, f))
        total = 0
        if one_file:
            text = "\n".join("\n".join(v) for _, v in sorted(self.files.items())) + "\n"
            with open(os.path.join(out, "all.vnet"), "w") as f:
                f.write(text)
            total = len(text.encode())
        else:
            for name, lines in sorted(self.files.items()):
                text = "\n".join(lines) + "\n"
                with open(os.path.join(out, name + ".vnet"), "w") as f:
                    f.write(text)
                total += len(text.encode())
        return total


def subnet(name, az, c, rt=None, acl=None, public=False):
    body = f"az {az}  cidr {c}"
    if rt:
        body += f"  route_table {rt}"
    if acl:
        body += f"  nacl {acl}"
    if public:
        body += "  public_ip_on_launch true"
    return f"  subnet {name} {{ {body} }}"


def lst(items):
    return "[" + ", ".join(items) + "]"


# ---------------------------------------------------------------------------------------
def shape_workloads(n, rnd, net):
    region = "us-east-1"
    hub = ["vpc hub {", f"  region {region}", "  cidr 10.255.0.0/16"]
    for i, az in enumerate(AZ3[:2]):
        hub.append(subnet(f"ep_{az}", f"{region}{az}", f"10.255.{i}.0/24", "hub_rt"))
    hub += ["  route_table hub_rt { route 10.0.0.0/8 -> core }",
            "  security_group vpce_sg { ingress tcp 443 from 10.0.0.0/8 }"]
    for svc in IF_SERVICES:
        hub += [f"  endpoint {svc.replace('.', '_')} {{ service {svc}  type interface  subnets [ep_a, ep_b]"
                f"  security_groups [vpce_sg]  private_dns true }}"]
    hub.append("}")
    net.add("hub", hub)
    tgw = ["transit_gateway core {", f"  region {region}",
           "  attachment hub_att { vpc hub  subnets [ep_a, ep_b] }", "  route 10.255.0.0/16 -> hub_att"]
    for v in range(n):
        name = f"w{v:04}"
        base = block(TEN, v, 20)
        kind = v % 3  # 0: own interface endpoints, 1: through the hub, 2: NAT only
        L = ["vpc " + name + " {", f"  region {region}", f"  cidr {cidr(base, 20)}", "  internet_gateway igw"]
        tiers = ["pub", "app", "data", "ep"]
        for t, tier in enumerate(tiers):
            for z, az in enumerate(AZ3[:2]):
                rt = "pub_rt" if tier == "pub" else f"priv_{az}"
                L.append(subnet(f"{tier}_{az}", f"{region}{az}", cidr(block(base, t * 2 + z, 24), 24), rt))
        tgw_route = "  route 10.0.0.0/8 -> core" if kind != 2 and v % 13 != 5 else ""
        L += ["  nat_gateway nat_a { subnet pub_a }", "  nat_gateway nat_b { subnet pub_b }",
              "  route_table pub_rt { route 0.0.0.0/0 -> igw }",
              f"  route_table priv_a {{ route 0.0.0.0/0 -> nat_a{tgw_route} }}",
              f"  route_table priv_b {{ route 0.0.0.0/0 -> nat_b{tgw_route} }}",
              "  security_group app_sg {", "    ingress tcp 8080 from app_sg", "    ingress tcp 8443 from 10.0.0.0/8",
              "    egress tcp 443 to 0.0.0.0/0", "    egress tcp 8443 to 10.0.0.0/8", "    egress tcp 5432 to db_sg", "    egress tcp 8080 to app_sg",
              "    egress tcp 443 to s3", "  }",
              "  security_group db_sg { ingress tcp 5432 from app_sg }"]
        if kind == 0:
            L.append(f"  security_group vpce_sg {{ ingress tcp 443 from {cidr(base, 20)} }}")
        have_gw = []
        if kind in (0, 2):
            have_gw.append("s3")
        if kind in (1, 2) or v % 4 == 0:
            have_gw.append("dynamodb")
        for g in have_gw:
            L.append(f"  endpoint {g}_gw {{ service {g}  type gateway  route_tables [priv_a, priv_b] }}")
        if kind == 0:
            for svc in rnd.sample(IF_SERVICES, 5):
                L.append(f"  endpoint {svc.replace('.', '_')} {{ service {svc}  type interface  subnets [ep_a, ep_b]"
                         f"  security_groups [vpce_sg]  private_dns true }}")
        consumes = None
        if kind == 0 and v > 0:
            consumes = f"w{v - 1:04}.api"
            L.append(f"  endpoint peer_api {{ service {consumes}  type interface  subnets [ep_a, ep_b]"
                     "  security_groups [vpce_sg] }")
        L += ["  load_balancer api_nlb { type network  internal true  subnets [app_a, app_b]"
              "  listener tcp 8443 -> api_tg }",
              "  target_group api_tg { protocol tcp  port 8443  targets [i0, i1] }",
              "  endpoint_service api { load_balancer api_nlb  acceptance_required true"
              '  allowed_principals ["arn:aws:iam::111122223333:root"] }']
        workloads = []
        for i in range(30):
            workloads.append(("instance", f"i{i}", f"subnet app_{AZ3[i % 2]}"))
        for i in range(14):
            workloads.append(("function", f"f{i}", "subnets [app_a, app_b]"))
        for i in range(4):
            workloads.append(("database", f"d{i}", "subnets [data_a, data_b]"))
        for kw, wname, where in workloads:
            if kw == "database":
                L.append(f"  database {wname} {{ {where}  security_groups [db_sg]  port 5432 }}")
                continue
            uses = rnd.sample(SERVICES, rnd.randint(3, 7))
            if consumes and rnd.random() < 0.3:
                uses.append(consumes)
            if rnd.random() < 0.1:
                uses.append("internet")
            L.append(f"  {kw} {wname} {{ {where}  security_groups [app_sg]  uses {lst(uses)} }}")
        L.append("}")
        L.append(f"expect {name}.i0 -> {name}.d0 tcp 5432 allowed")
        L.append(f"expect {name}.i1 -> {name}.i2 tcp 8080 allowed")
        if kind != 2 and v > 0 and (v - 1) % 3 != 2:
            L.append(f"expect {name}.i3 -> w{(v - 1):04}.i0 tcp 8443 allowed")
        net.add(name, L)
        if kind != 2:
            tgw.append(f"  attachment a{v} {{ vpc {name}  subnets [ep_a, ep_b] }}")
            tgw.append(f"  route {cidr(base, 20)} -> a{v}")
    tgw.append("}")
    net.add("top", tgw)


# ---------------------------------------------------------------------------------------
def shape_sgmesh(n, rnd, net, via_tgw=False):
    G = 24
    region = "us-east-1"
    tgw = ["transit_gateway core {", f"  region {region}"]
    for v in range(n):
        name = f"s{v:04}"
        peer_v = v ^ 1 if (v ^ 1) < n else None
        peer = f"s{peer_v:04}" if peer_v is not None else None
        base = block(TEN, v, 20)
        L = ["vpc " + name + " {", f"  region {region}", f"  cidr {cidr(base, 20)}"]
        for t in range(4):
            az = AZ3[t % 2]
            L.append(subnet(f"sn{t}", f"{region}{az}", cidr(block(base, t, 24), 24)))
        routes = ""
        if via_tgw:
            routes = "  route 10.0.0.0/8 -> core"
            tgw.append(f"  attachment a{v} {{ vpc {name}  subnets [sn0, sn1] }}")
            tgw.append(f"  route {cidr(base, 20)} -> a{v}")
        elif peer:
            routes = f"  route {cidr(block(TEN, peer_v, 20), 20)} -> pr{min(v, peer_v)}"
        L.append(f"  route_table rt {{ main true{routes} }}")
        for i in range(G):
            L.append(f"  security_group g{i} {{")
            others = [j for j in range(G) if j != i]
            for j in rnd.sample(others, 8):
                L.append(f"    ingress tcp {8000 + i} from g{j}")
            if i > 0:
                L.append(f"    ingress tcp {8000 + i} from g{i - 1}")
            if peer:
                for j in rnd.sample(range(G), 2):
                    L.append(f"    ingress tcp {8000 + i} from {peer}.g{j}")
            if rnd.random() < 0.2:
                L.append(f"    ingress tcp 8000-8100 from {cidr(base, 20)}")
            for k in rnd.sample(others, 8):
                L.append(f"    egress tcp {8000 + k} to g{k}")
            if i + 1 < G:
                L.append(f"    egress tcp {8000 + i + 1} to g{i + 1}")
            if peer:
                for k in rnd.sample(range(G), 2):
                    L.append(f"    egress tcp {8000 + k} to {peer}.g{k}")
            if rnd.random() < 0.3:
                L.append("    egress tcp 443 to 0.0.0.0/0")
            L.append("  }")
        for i in range(G):
            for m in range(2 + (i % 2)):
                groups = sorted({f"g{i}", f"g{(i + m + 1) % G}"} | ({f"g{(i * 7 + m) % G}"} if m == 2 else set()))
                L.append(f"  instance x{i}_{m} {{ subnet sn{(i + m) % 4}  security_groups {lst(groups)} }}")
        L.append("}")
        if peer and v < peer_v and not via_tgw:
            L.append(f"peering pr{v} {{ requester {name}  accepter {peer} }}")
        L.append(f"expect {name}.x0_0 -> {name}.x1_0 tcp 8001 allowed")
        if peer:
            L.append(f"expect {name}.x2_0 -> {peer}.x3_0 tcp 8003 allowed")
        net.add(name, L)
    if via_tgw:
        tgw.append("}")
        net.add("top", tgw)


# ---------------------------------------------------------------------------------------
def shape_expects(n, rnd, net):
    region = "us-east-1"
    E = 24
    tgw = ["transit_gateway core {", f"  region {region}"]
    for v in range(n):
        name = f"e{v:04}"
        base = block(TEN, v, 21)
        missing_back = v % 13 == 5
        L = ["vpc " + name + " {", f"  region {region}", f"  cidr {cidr(base, 21)}"]
        for z, az in enumerate(AZ3[:2]):
            L.append(subnet(f"app_{az}", f"{region}{az}", cidr(block(base, z, 24), 24), acl="app_acl"))
        back = "" if missing_back else " route 10.0.0.0/8 -> core"
        L += [f"  route_table rt {{ main true{back} }}",
              "  nacl app_acl {",
              "    inbound 100 allow tcp 8080 from 10.0.0.0/8",
              "    inbound 110 allow tcp 5432 from 10.0.0.0/8",
              "    inbound 120 deny tcp 22 from 0.0.0.0/0",
              "    inbound 130 allow tcp 1024-65535 from 10.0.0.0/8",
              "    outbound 100 allow tcp 1024-65535 to 10.0.0.0/8",
              "    outbound 110 allow tcp 8080 to 10.0.0.0/8",
              "    outbound 120 allow tcp 5432 to 10.0.0.0/8",
              "  }",
              "  security_group svc_sg { ingress tcp 8080 from 10.0.0.0/8  ingress tcp 5432 from 10.0.0.0/8 }",
              "  security_group cli_sg { egress tcp 8080 to 10.0.0.0/8  egress tcp 5432 to 10.0.0.0/8"
              "  egress tcp 22 to 10.0.0.0/8 }"]
        for i in range(4):
            L.append(f"  instance svc{i} {{ subnet app_{AZ3[i % 2]}  security_groups [svc_sg] }}")
            L.append(f"  instance cli{i} {{ subnet app_{AZ3[i % 2]}  security_groups [cli_sg] }}")
        L.append("}")
        for k in range(E):
            u = rnd.randrange(n - 1) if n > 1 else 0
            if n > 1 and u >= v:
                u += 1
            port = rnd.choice([8080, 5432, 22, 9999])
            verdict = "allowed" if port in (8080, 5432) else "denied"
            if rnd.random() < 0.1:
                verdict = "denied" if verdict == "allowed" else "allowed"
            L.append(f"expect {name}.cli{k % 4} -> e{u:04}.svc{rnd.randrange(4)} tcp {port} {verdict}")
        net.add(name, L)
        tgw.append(f"  attachment a{v} {{ vpc {name}  subnets [app_a, app_b] }}")
        tgw.append(f"  route {cidr(base, 21)} -> a{v}")
    tgw.append("}")
    net.add("top", tgw)


# ---------------------------------------------------------------------------------------
def shape_peering(n, rnd, net):
    groups = []
    v = 0
    g = 0
    while v < n:
        size = 6 if g % 2 == 0 else 4
        size = min(size, n - v)
        groups.append((g, list(range(v, v + size)), "ring" if g % 2 == 0 else "mesh"))
        v += size
        g += 1
    peers = {v: [] for v in range(n)}  # v -> [(u, peering name)]
    top = []
    for g, members, kind in groups:
        pairs = []
        if kind == "ring" and len(members) > 2:
            pairs = [(members[i], members[(i + 1) % len(members)]) for i in range(len(members))]
        else:
            pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        for a, b in pairs:
            pn = f"p{a}_{b}"
            top.append(f"peering {pn} {{ requester v{a:04}  accepter v{b:04} }}")
            peers[a].append((b, pn))
            peers[b].append((a, pn))
    group_of = {}
    for g, members, kind in groups:
        for m in members:
            group_of[m] = (g, kind, members)
    for v in range(n):
        g, kind, members = group_of[v]
        region = "us-east-1" if g % 2 == 0 else "us-west-2"
        name = f"v{v:04}"
        base = block(TEN, v, 20)
        L = ["vpc " + name + " {", f"  region {region}", f"  cidr {cidr(base, 20)}", "  internet_gateway igw"]
        for t in range(3):
            az = AZ3[t % 2]
            L.append(subnet(f"sn{t}", f"{region}{az}", cidr(block(base, t, 24), 24), rt="rt" if t else "pub"))
        routes = []
        for u, pn in peers[v]:
            if (v * 7 + u) % 8 == 3:
                continue  # missing route on this side
            routes.append(f"    route {cidr(block(TEN, u, 20), 20)} -> {pn}")
        if kind == "ring" and peers[v]:
            u, pn = peers[v][0]
            for w, _ in peers[u]:
                if w != v and all(w != x for x, _ in peers[v]):
                    routes.append(f"    route {cidr(block(TEN, w, 20), 20)} -> {pn}")  # transitive
                    break
        if v % 50 == 7 and peers[v]:
            routes.append(f"    route 0.0.0.0/0 -> {peers[v][0][1]}")
        L += ["  route_table rt {"] + routes + ["  }",
                                                "  route_table pub { route 0.0.0.0/0 -> igw }"]
        L.append("  security_group app_sg {")
        L.append(f"    ingress tcp 8080 from {cidr(base, 20)}")
        for u, _ in peers[v]:
            L.append(f"    ingress tcp 8080 from v{u:04}.app_sg")
            L.append(f"    egress tcp 8080 to v{u:04}.app_sg")
            L.append(f"    ingress tcp 5432 from {cidr(block(TEN, u, 20), 20)}")
        L.append("    egress tcp 443 to 0.0.0.0/0")
        L.append("  }")
        for i in range(4):
            L.append(f"  instance i{i} {{ subnet sn{1 + i % 2}  security_groups [app_sg] }}")
        L.append("}")
        for u, _ in peers[v]:
            L.append(f"expect {name}.i0 -> v{u:04}.i1 tcp 8080 allowed")
        if kind == "ring" and peers[v]:
            u, _ = peers[v][0]
            for w, _ in peers[u]:
                if w != v:
                    L.append(f"expect {name}.i2 -> v{w:04}.i3 tcp 8080 denied")
                    break
        net.add(name, L)
    net.add("top", top)


# ---------------------------------------------------------------------------------------
def shape_tgw(n, rnd, net):
    region = "us-east-1"
    per = 40
    T = (n + per - 1) // per
    tg = {t: [f"transit_gateway tg{t} {{", f"  region {region}", f"  asn {64600 + t}"] for t in range(T)}
    top = []
    for t in range(T):
        site = f"dc{t}"
        top += [f"on_premises {site} {{", f"  cidr 192.168.{t}.0/24", f"  cidr 172.31.{t}.0/24",
                f"  asn {65000 + t}",
                f"  connection vpn1 {{ type vpn  gateway tg{t}  customer_gateway 203.0.{t // 250}.{t % 250 + 1} }}",
                f"  connection dx {{ type direct_connect  gateway tg{t}  bandwidth \"10Gbps\" }}", "}"]
        tg[t] += [f"  route 192.168.{t}.0/24 -> {site}", f"  route 172.31.{t}.0/24 -> {site}.dx",
                  f"  route 10.250.{t}.0/24 -> blackhole"]
    for v in range(n):
        name = f"t{v:04}"
        t = v // per
        extra = (t + 1) if (v % 5 == 0 and t + 1 < T) else None
        base = block(TEN, v, 21)
        branch = v % 10 == 3
        L = ["vpc " + name + " {", f"  region {region}", f"  cidr {cidr(base, 21)}"]
        if branch:
            L.append("  vpn_gateway vgw")
        for z, az in enumerate(AZ3[:2]):
            L.append(subnet(f"app_{az}", f"{region}{az}", cidr(block(base, z, 24), 24), acl="acl"))
            L.append(subnet(f"att_{az}", f"{region}{az}", cidr(block(base + (2 << 8), z, 28), 28), rt="att_rt"))
        routes = [f"    route 10.0.0.0/8 -> tg{t}", f"    route 192.168.{t}.0/24 -> tg{t}",
                  f"    route 172.31.{t}.0/24 -> tg{t}"]
        if extra is not None:
            routes += [f"    route 192.168.{extra}.0/24 -> tg{extra}",
                       f"    route 172.31.{extra}.0/24 -> tg{extra}"]
        if branch:
            routes.append(f"    route 172.16.{v % 256}.0/24 -> vgw")
        if v % 17 == 9:
            routes = routes[1:]  # missing route to the spokes
        L += ["  route_table rt {", "    main true"] + routes + ["  }", "  route_table att_rt {}",
              "  nacl acl {",
              "    inbound 100 allow tcp 443 from 192.168.0.0/16",
              "    inbound 110 allow tcp 443 from 172.16.0.0/12",
              "    inbound 120 allow tcp 443 from 10.0.0.0/8",
              "    inbound 130 allow tcp 1024-65535 from 0.0.0.0/0",
              "    inbound 140 allow icmp from 192.168.0.0/16",
              "    outbound 100 allow tcp 1024-65535 to 0.0.0.0/0",
              "    outbound 110 allow tcp 443 to 10.0.0.0/8",
              "    outbound 120 allow icmp to 192.168.0.0/16",
              "  }",
              "  security_group app_sg {",
              "    ingress tcp 443 from 192.168.0.0/16", "    ingress tcp 443 from 172.16.0.0/12",
              "    ingress tcp 443 from 10.0.0.0/8",
              "    ingress icmp from 192.168.0.0/16", "    egress tcp 443 to 10.0.0.0/8",
              "  }"]
        for i in range(4):
            L.append(f"  instance i{i} {{ subnet app_{AZ3[i % 2]}  security_groups [app_sg] }}")
        L.append("}")
        L.append(f"expect dc{t} -> {name}.i0 tcp 443 allowed")
        L.append(f"expect dc{t} -> {name}.i1 icmp allowed")
        L.append(f"expect {name}.i2 -> dc{t} tcp 443 allowed")
        if T > 1:
            other = (t + T // 2) % T if T > 1 else t
            if other != t and other != extra:
                L.append(f"expect dc{other} -> {name}.i0 tcp 443 denied")
        if v + 1 < n and (v + 1) // per == t:
            L.append(f"expect {name}.i3 -> t{v + 1:04}.i0 tcp 443 allowed")
        if branch:
            L += [f"on_premises br{v} {{", f"  cidr 172.16.{v % 256}.0/24",
                  f"  connection vpn {{ type vpn  gateway {name}.vgw  customer_gateway 198.51.{v // 250}.{v % 250 + 1} }}",
                  "}", f"expect br{v} -> {name}.i1 tcp 443 allowed"]
        net.add(name, L)
        tg[t] += [f"  attachment a{v} {{ vpc {name}  subnets [att_a, att_b] }}",
                  f"  route {cidr(base, 21)} -> a{v}"]
        if extra is not None:
            tg[extra] += [f"  attachment a{v} {{ vpc {name}  subnets [att_a, att_b] }}",
                          f"  route {cidr(base, 21)} -> a{v}"]
    for t in range(T):
        tg[t].append("}")
        top += tg[t]
    net.add("top", top)


# ---------------------------------------------------------------------------------------
PORTS20 = [22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9000, 9090, 9200, 11211, 27017, 2049,
           3389, 5672, 1433, 1521, 25, 53]


def nacl20(name, rnd, vcidr):
    L = [f"  nacl {name} {{"]
    for d, word in (("inbound", "from"), ("outbound", "to")):
        for k in range(19):
            port = PORTS20[(k + rnd.randrange(3)) % 20]
            action = "deny" if rnd.random() < 0.15 else "allow"
            peer = rnd.choice(["0.0.0.0/0", "10.0.0.0/8", vcidr, "172.16.0.0/12", "192.168.0.0/16"])
            proto = "udp" if port == 53 else "tcp"
            L.append(f"    {d} {100 + k * 10} {action} {proto} {port} {word} {peer}")
        L.append(f"    {d} 400 allow tcp 1024-65535 {word} 0.0.0.0/0")
    L.append("  }")
    return L


def shape_lbnacl(n, rnd, net):
    region = "us-east-1"
    for v in range(n):
        name = f"l{v:04}"
        base = block(TEN, v, 20)
        vc = cidr(base, 20)
        L = ["vpc " + name + " {", f"  region {region}", f"  cidr {vc}", "  internet_gateway igw"]
        for t, tier in enumerate(["pub", "app", "data"]):
            for z, az in enumerate(AZ3):
                rt = "pub_rt" if tier == "pub" else f"rt_{az}"
                L.append(subnet(f"{tier}_{az}", f"{region}{az}", cidr(block(base, t * 3 + z, 24), 24), rt,
                                f"{tier}_acl", public=(tier == "pub")))
        for az in AZ3:
            L.append(f"  nat_gateway nat_{az} {{ subnet pub_{az} }}")
            L.append(f"  route_table rt_{az} {{ route 0.0.0.0/0 -> nat_{az} }}")
        L.append("  route_table pub_rt { route 0.0.0.0/0 -> igw }")
        L.append("  endpoint s3_gw { service s3  type gateway  route_tables [rt_a, rt_b, rt_c] }")
        for tier in ["pub", "app", "data"]:
            L += nacl20(f"{tier}_acl", rnd, vc)
        L += ["  security_group alb_sg {", "    ingress tcp 443 from 0.0.0.0/0", "    ingress tcp 80 from 0.0.0.0/0",
              "    egress tcp 8080 to web_sg", "  }",
              "  security_group ialb_sg {", "    ingress tcp 8443 from web_sg", "    egress tcp 9000 to api_sg", "  }",
              "  security_group web_sg {", "    ingress tcp 8080 from alb_sg", "    egress tcp 8443 to ialb_sg",
              "    egress tcp 443 to 0.0.0.0/0", "  }",
              "  security_group api_sg {", "    ingress tcp 9000 from ialb_sg", f"    egress tcp 5432 to {vc}",
              f"    egress tcp 6379 to {vc}", "    egress tcp 443 to s3", "  }",
              "  security_group db_sg {", f"    ingress tcp 5432 from {vc}", f"    ingress tcp 6379 from {vc}", "  }",
              "  load_balancer web_alb { type application  subnets [pub_a, pub_b, pub_c]  security_groups [alb_sg]",
              "    listener https 443 -> web_tg", "    listener http 80 -> web_tg }",
              "  load_balancer api_alb { type application  internal true  subnets [app_a, app_b, app_c]"
              "  security_groups [ialb_sg]", "    listener https 8443 -> api_tg }",
              "  load_balancer db_nlb { type network  internal true  subnets [data_a, data_b, data_c]",
              "    listener tcp 5432 -> db_tg", "    listener tcp 6379 -> cache_tg }"]
        web = [f"web{i}" for i in range(6)]
        api = [f"api{i}" for i in range(6)]
        db = [f"db{i}" for i in range(4)]
        cache = [f"cache{i}" for i in range(4)]
        L += [f"  target_group web_tg {{ protocol http  port 8080  targets {lst(web)} }}",
              f"  target_group api_tg {{ protocol http  port 9000  targets {lst(api)} }}",
              f"  target_group db_tg {{ protocol tcp  port 5432  targets {lst(db)} }}",
              f"  target_group cache_tg {{ protocol tcp  port 6379  targets {lst(cache)} }}",
              "  target_group spare_tg { protocol http  port 8080 }"]
        for i, w in enumerate(web):
            L.append(f"  instance {w} {{ subnet app_{AZ3[i % 3]}  security_groups [web_sg]  uses [s3] }}")
        for i, w in enumerate(api):
            L.append(f"  instance {w} {{ subnet app_{AZ3[i % 3]}  security_groups [api_sg]  uses [s3, sqs] }}")
        for i, w in enumerate(db):
            L.append(f"  instance {w} {{ subnet data_{AZ3[i % 3]}  security_groups [db_sg]  port 5432 }}")
        for i, w in enumerate(cache):
            L.append(f"  instance {w} {{ subnet data_{AZ3[i % 3]}  security_groups [db_sg]  port 6379 }}")
        L.append("  expect internet -> web_alb tcp 443 allowed")
        L.append("  expect internet -> api0 tcp 9000 denied")
        L.append("  expect api1 -> db_nlb tcp 5432 allowed")
        L.append("}")
        net.add(name, L)


# ---------------------------------------------------------------------------------------
def shape_subnets(n, rnd, net, per_vpc):
    """n subnets; per_vpc=None: one VPC holding them all."""
    region = "us-east-1"
    nv = 1 if per_vpc is None else (n + per_vpc - 1) // per_vpc
    per = n if per_vpc is None else per_vpc
    for v in range(nv):
        count = min(per, n - v * per)
        name = "big" if per_vpc is None else f"m{v:04}"
        # /26 subnets: 1024 per /16; bigvpc: CIDR blocks 10.0.0.0/16, 10.1.0.0/16 ...
        blocks = (count + 3 + 1023) // 1024
        L = ["vpc " + name + " {", f"  region {region}"]
        if per_vpc is None:
            for b in range(blocks):
                L.append(f"  cidr 10.{b}.0.0/16")
            sub_base = TEN

            def scidr(i):
                return cidr(block(sub_base, i, 26), 26)
        else:
            vb = block(TEN, v, 20)  # /20 = 64 /26
            L.append(f"  cidr {cidr(vb, 20)}")

            def scidr(i, vb=vb):
                return cidr(block(vb, i, 26), 26)
        L.append("  internet_gateway igw")
        # 3 public subnets first
        for z, az in enumerate(AZ3):
            L.append(subnet(f"pub_{az}", f"{region}{az}", scidr(z), "pub_rt"))
            L.append(f"  nat_gateway nat_{az} {{ subnet pub_{az} }}")
        L.append("  route_table pub_rt { route 0.0.0.0/0 -> igw }")
        R = max(3, (count + 24) // 25)
        A = min(40, max(1, count // 10))
        G = max(4, count // 8)
        rts = [f"rt{r}" for r in range(R)]
        for r in range(R):
            L.append(f"  route_table rt{r} {{ route 0.0.0.0/0 -> nat_{AZ3[r % 3]}"
                     f"  route 192.168.{r % 250}.0/24 -> blackhole }}")
        # the s3 gateway endpoint on every route table
        L.append(f"  endpoint s3_gw {{ service s3  type gateway  route_tables {lst(rts)} }}")
        L.append(f"  security_group vpce_sg {{ ingress tcp 443 from 10.0.0.0/8 }}")
        for svc in ["ssm", "sqs", "kms"]:
            L.append(f"  endpoint {svc} {{ service {svc}  type interface  subnets [pub_a, pub_b, pub_c]"
                     "  security_groups [vpce_sg]  private_dns true }")
        for a in range(A):
            L += [f"  nacl acl{a} {{",
                  f"    inbound 100 allow tcp {8000 + a} from 10.0.0.0/8",
                  "    inbound 110 allow tcp 1024-65535 from 0.0.0.0/0",
                  "    inbound 120 deny tcp 22 from 0.0.0.0/0",
                  "    outbound 100 allow tcp 1024-65535 to 10.0.0.0/8",
                  "    outbound 110 allow tcp 443 to 0.0.0.0/0",
                  "    outbound 120 allow tcp 8000-8100 to 10.0.0.0/8",
                  "  }"]
        for g in range(G):
            L.append(f"  security_group g{g} {{")
            for j in rnd.sample(range(G), min(6, G)):
                L.append(f"    ingress tcp {8000 + g % 40} from g{j}")
            for j in rnd.sample(range(G), min(3, G)):
                L.append(f"    egress tcp {8000 + j % 40} to g{j}")
            L.append("    egress tcp 443 to 0.0.0.0/0")
            L.append("  }")
        for i in range(count):
            s = i + 3
            rt = rts[(i // 25) % R]
            # keep a subnet's AZ equal to its route table's NAT AZ
            az = AZ3[((i // 25) % R) % 3]
            L.append(subnet(f"s{i}", f"{region}{az}", scidr(s), rt, f"acl{i % A}"))
            uses = rnd.sample(["s3", "ssm", "sqs", "kms", "dynamodb", "logs"], 2)
            L.append(f"  instance w{i} {{ subnet s{i}  security_groups [g{i % G}]  uses {lst(uses)} }}")
        for k in range(max(1, count // 10)):
            a, b = rnd.randrange(count), rnd.randrange(count)
            L.append(f"  expect w{a} -> w{b} tcp {8000 + (b % G) % 40} allowed")
        L.append("}")
        net.add(name, L)


SHAPES = {
    "workloads": shape_workloads,
    "sgmesh": shape_sgmesh,
    "sgtgw": lambda n, rnd, net: shape_sgmesh(n, rnd, net, via_tgw=True),
    "expects": shape_expects,
    "peering": shape_peering,
    "tgw": shape_tgw,
    "lbnacl": shape_lbnacl,
    "bigvpc": lambda n, rnd, net: shape_subnets(n, rnd, net, None),
    "smallvpcs": lambda n, rnd, net: shape_subnets(n, rnd, net, 10),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shape", choices=sorted(SHAPES))
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--one-file", action="store_true")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    net = Net()
    SHAPES[a.shape](a.n, rnd, net)
    total = net.write(a.out, a.one_file)
    print(f"{a.shape} N={a.n}: {len(net.files)} files, {total} bytes -> {a.out}")


if __name__ == "__main__":
    main()
