" vnet indentation: one level (shiftwidth) per open `{` or `[`.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=VnetIndent(v:lnum) indentkeys=0},0],!^F,o,O
let b:undo_indent = 'setlocal indentexpr< indentkeys<'

if exists('*VnetIndent')
  finish
endif

function! VnetIndent(lnum) abort
  let l:prev = prevnonblank(a:lnum - 1)
  if l:prev == 0
    return 0
  endif
  " The previous line without its comment and strings.
  let l:code = substitute(getline(l:prev), '"\%([^"\\]\|\\.\)*"', '""', 'g')
  let l:code = substitute(l:code, '#.*$', '', '')
  let l:ind = indent(l:prev)
  let l:opens = len(substitute(l:code, '[^{[]', '', 'g'))
  let l:closes = len(substitute(l:code, '[^}\]]', '', 'g'))
  " A line that starts by closing was already dedented.
  if l:code =~# '^\s*[}\]]'
    let l:closes -= 1
  endif
  let l:ind += shiftwidth() * (l:opens - l:closes > 0 ? 1 : 0)
  if getline(a:lnum) =~# '^\s*[}\]]'
    let l:ind -= shiftwidth()
  endif
  return max([l:ind, 0])
endfunction
