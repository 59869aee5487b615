; vnet highlights in Helix's scopes (the same patterns as
; editors/tree-sitter-vnet/queries/highlights.scm). In Helix the first matching pattern wins,
; so specific patterns come first and plain names last.

(comment) @comment

(block
  name: (identifier) @type)

(block
  kind: _ @keyword.storage.type)

(attribute
  key: _ @variable.other.member)

[
  "route"
  "inbound"
  "outbound"
  "ingress"
  "egress"
  "listener"
  "expect"
  "from"
  "to"
] @keyword

(action) @keyword.operator
(verdict) @constant.builtin
(protocol) @type.builtin
(blackhole) @constant.builtin
(internet) @constant.builtin
(boolean) @constant.builtin.boolean

(string) @string

[
  (cidr)
  (address)
  (integer)
  (port_range)
  (bandwidth)
] @constant.numeric

"->" @operator

[
  "{"
  "}"
  "["
  "]"
] @punctuation.bracket

"," @punctuation.delimiter

(identifier) @variable
