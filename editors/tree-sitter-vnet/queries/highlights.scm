; Highlights for vnet. Blocks: the kind is a keyword, the declared name a type; attribute
; keys are properties; rule-like lines (route, NACL and security group rules, listener,
; expect) have keyword heads.

(comment) @comment

; Names in general; the patterns below are more specific.
(identifier) @variable

(block
  name: (identifier) @type)

(block
  kind: _ @keyword)

(attribute
  key: _ @property)

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
(boolean) @boolean

(string) @string

[
  (cidr)
  (address)
  (integer)
  (port_range)
  (bandwidth)
] @number

"->" @operator

[
  "{"
  "}"
  "["
  "]"
] @punctuation.bracket

"," @punctuation.delimiter
