" vnet syntax: blocks and the names they declare, attributes, rule keywords, CIDRs,
" addresses, ports, strings, comments. Shared by Vim and Neovim.
if exists('b:current_syntax')
  finish
endif

syn iskeyword @,48-57,_,-
syn case match

" Attribute keys (a match, so that a block declaration below can take precedence).
syn match vnetAttribute /\<\%(region\|cidr\|dns_hostnames\|dns_support\|az\|route_tables\|route_table\|nacl\|public_ip_on_launch\|subnets\|subnet\|security_groups\|uses\|public_ip\|private_ip\|port\|engine\|services\|service\|type\|private_dns\|load_balancer\|acceptance_required\|allowed_principals\|internal\|protocol\|targets\|gateway\|address\|share_with\|requester\|accepter\|vpcs\|vpc\|asn\|bandwidth\|customer_gateway\|auth\|main\|description\|connectivity\)\>/

" KIND NAME { : a block declaring NAME; internet_gateway and vpn_gateway need no body.
syn match vnetBlock /\<\%(vpc\|subnet\|route_table\|nat_gateway\|nacl\|security_group\|endpoint_service\|endpoint\|load_balancer\|target_group\|instance\|function\|database\|resource_gateway\|resource_configuration\|peering\|transit_gateway\|attachment\|on_premises\|connection\|service_network\|lattice_service\)\>\ze\s\+\k\+\s*{/ nextgroup=vnetName skipwhite
syn match vnetBlock /\<\%(internet_gateway\|vpn_gateway\)\>/ nextgroup=vnetName skipwhite
syn match vnetName /\k\+/ contained

syn keyword vnetRule route inbound outbound ingress egress listener expect
syn keyword vnetDirectionWord from to
syn keyword vnetAction allow deny
syn keyword vnetVerdict allowed denied
syn keyword vnetProtocol tcp udp icmp all http https tls tcp_udp
syn keyword vnetConstant blackhole internet
syn keyword vnetBoolean true false

syn match vnetNumber /\<\d\+\%(-\d\+\)\?\>/
syn match vnetBandwidth /\<\d\+\%(\.\d\+\)\?\a\+\>/
syn match vnetAddress /\<\d\+\%(\.\d\+\)\{3}\>/
syn match vnetAddress /\<\x*::\?\x[[:xdigit:]:.]*\>/
syn match vnetCidr /\<\d\+\%(\.\d\+\)*\/\d\+\>/
syn match vnetCidr /\<\x*:[[:xdigit:]:.]*\/\d\+\>/
syn match vnetArrow /->/

syn region vnetString start=/"/ skip=/\\./ end=/"/ oneline contains=vnetEscape
syn match vnetEscape /\\./ contained
syn keyword vnetTodo TODO FIXME XXX NOTE contained
syn match vnetComment /#.*$/ contains=vnetTodo,@Spell

hi def link vnetAttribute Identifier
hi def link vnetBlock Structure
hi def link vnetName Type
hi def link vnetRule Statement
hi def link vnetDirectionWord Keyword
hi def link vnetAction Conditional
hi def link vnetVerdict Constant
hi def link vnetProtocol Type
hi def link vnetConstant Constant
hi def link vnetBoolean Boolean
hi def link vnetNumber Number
hi def link vnetBandwidth Number
hi def link vnetAddress Number
hi def link vnetCidr Number
hi def link vnetArrow Operator
hi def link vnetString String
hi def link vnetEscape SpecialChar
hi def link vnetTodo Todo
hi def link vnetComment Comment

let b:current_syntax = 'vnet'
