/**
 * @file tree-sitter grammar for vnet, the language of AWS networks (`.vnet` files).
 *
 * The shape follows grammar/vnet.pest but is looser where that helps editors: a block is
 * `KIND NAME { ... }` with any statements inside, an attribute is `KEY VALUE`; the compiler
 * (vnetc, vnet-lsp) says which attribute belongs where.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const BLOCK_KINDS = [
  'vpc', 'subnet', 'route_table', 'nat_gateway', 'nacl', 'security_group', 'endpoint_service',
  'endpoint', 'load_balancer', 'target_group', 'instance', 'function', 'database',
  'resource_gateway', 'resource_configuration', 'peering', 'transit_gateway', 'attachment',
  'on_premises', 'connection', 'service_network', 'lattice_service',
];

// Blocks whose body is optional (`internet_gateway igw`).
const BARE_BLOCK_KINDS = ['internet_gateway', 'vpn_gateway'];

const ATTRIBUTE_KEYS = [
  'region', 'cidr', 'dns_hostnames', 'dns_support', 'az', 'route_table', 'route_tables', 'nacl',
  'public_ip_on_launch', 'subnet', 'subnets', 'security_groups', 'uses', 'public_ip',
  'private_ip', 'port', 'engine', 'service', 'services', 'type', 'private_dns', 'load_balancer',
  'acceptance_required', 'allowed_principals', 'internal', 'protocol', 'targets', 'gateway',
  'address', 'share_with', 'requester', 'accepter', 'vpc', 'vpcs', 'asn', 'bandwidth',
  'customer_gateway', 'auth', 'main', 'description', 'connectivity',
];

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all', 'http', 'https', 'tls', 'tcp_udp'];

module.exports = grammar({
  name: 'vnet',

  extras: $ => [/\s/, $.comment],

  word: $ => $.identifier,

  rules: {
    source_file: $ => repeat($._statement),

    _statement: $ => choice(
      $.block,
      $.attribute,
      $.route,
      $.nacl_rule,
      $.sg_rule,
      $.listener,
      $.expect,
    ),

    block: $ => choice(
      seq(field('kind', choice(...BLOCK_KINDS)), field('name', $.identifier), $.body),
      seq(field('kind', choice(...BARE_BLOCK_KINDS)), field('name', $.identifier), optional($.body)),
    ),

    body: $ => seq('{', repeat($._statement), '}'),

    attribute: $ => seq(field('key', choice(...ATTRIBUTE_KEYS)), field('value', $._value)),

    // route CIDR -> TARGET
    route: $ => seq(
      'route',
      field('destination', $.cidr),
      '->',
      field('target', choice($.identifier, $.blackhole)),
    ),

    // inbound|outbound N allow|deny PROTO [PORTS] from|to PEER
    nacl_rule: $ => seq(
      field('direction', choice('inbound', 'outbound')),
      field('number', $.integer),
      field('action', $.action),
      field('protocol', $.protocol),
      optional(field('ports', $._ports)),
      choice('from', 'to'),
      field('peer', choice($.cidr, $.identifier)),
    ),

    // ingress|egress PROTO [PORTS] from|to PEER ["description"]
    sg_rule: $ => seq(
      field('direction', choice('ingress', 'egress')),
      field('protocol', $.protocol),
      optional(field('ports', $._ports)),
      choice('from', 'to'),
      field('peer', choice($.cidr, $.identifier)),
      optional(field('description', $.string)),
    ),

    // listener PROTO PORT -> TARGET_GROUP
    listener: $ => seq(
      'listener',
      field('protocol', $.protocol),
      field('port', $.integer),
      '->',
      field('target', $.identifier),
    ),

    // expect SRC -> DST PROTO [PORTS] allowed|denied
    expect: $ => seq(
      'expect',
      field('source', $._endpoint),
      '->',
      field('destination', $._endpoint),
      field('protocol', $.protocol),
      optional(field('ports', $._ports)),
      field('verdict', $.verdict),
    ),

    _endpoint: $ => choice($.internet, $.address, $.identifier),

    _value: $ => choice(
      $.identifier,
      $.cidr,
      $.address,
      $.integer,
      $.bandwidth,
      $.string,
      $.boolean,
      $.list,
      $.protocol,
      $.internet,
    ),

    list: $ => seq(
      '[',
      optional(seq($._list_item, repeat(seq(',', $._list_item)), optional(','))),
      ']',
    ),

    _list_item: $ => choice(
      $.identifier, $.cidr, $.address, $.integer, $.string, $.boolean, $.internet,
    ),

    _ports: $ => choice($.integer, $.port_range),

    action: _ => choice('allow', 'deny'),
    verdict: _ => choice('allowed', 'denied'),
    protocol: _ => choice(...PROTOCOLS),
    blackhole: _ => 'blackhole',
    internet: _ => 'internet',
    boolean: _ => choice('true', 'false'),

    // A name, or a dotted path (`VPC.NAME`, `ecr.api`).
    identifier: _ => /[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/,

    cidr: _ => token(choice(
      /\d+(\.\d+)*\/\d+/,
      /[0-9A-Fa-f]*:[0-9A-Fa-f:.]*\/\d+/,
    )),
    address: _ => token(choice(
      /\d+(\.\d+){3}/,
      /[0-9A-Fa-f]*:[0-9A-Fa-f:.]*/,
    )),
    integer: _ => /\d+/,
    port_range: _ => /\d+-\d+/,
    bandwidth: _ => /\d+(\.\d+)?[A-Za-z]+/,
    string: _ => /"([^"\\\n]|\\.)*"/,
    comment: _ => token(seq('#', /.*/)),
  },
});
