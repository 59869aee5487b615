" Headless Vim check (editors/tests/run.sh): filetype detection and syntax groups from
" editors/vim, and diagnostics from the server in $VNET_LSP through ALE's vnet_lsp linter.
" Writes its verdict to stdout and exits 0 when all hold, 1 otherwise.
set nocompatible
let s:root = expand('<sfile>:p:h:h')
let &runtimepath = s:root . '/vim,/usr/share/vim-ale,' . &runtimepath . ',/usr/share/vim-ale/after'
filetype plugin indent on
syntax on
let g:ale_enabled = 1
let g:ale_linters = {'vnet': ['vnet_lsp']}
let g:ale_vnet_vnet_lsp_executable = empty($VNET_LSP) ? 'vnet-lsp' : $VNET_LSP
runtime plugin/ale.vim

let s:failures = []
function! s:check(ok, what) abort
  if !a:ok | call add(s:failures, a:what) | endif
endfunction
function! s:group(line, col) abort
  return synIDattr(synID(a:line, a:col, 1), 'name')
endfunction

execute 'edit ' . fnameescape($VNET_TEST_FILE)
call s:check(&filetype ==# 'vnet', 'filetype is ' . &filetype)
call s:check(s:group(2, 1) ==# 'vnetBlock', 'vpc is ' . s:group(2, 1))
call s:check(s:group(2, 5) ==# 'vnetName', 'prod is ' . s:group(2, 5))
call s:check(s:group(3, 14) ==# 'vnetAttribute', 'az is ' . s:group(3, 14))
call s:check(s:group(4, 22) ==# 'vnetComment', 'comment is ' . s:group(4, 22))
call s:check(s:group(5, 14) ==# 'vnetRule', 'inbound is ' . s:group(5, 14))
" Indentation of a statement inside the block, and of the closing brace.
call s:check(VnetIndent(4) == 2, 'indent of line 4: ' . VnetIndent(4))
call s:check(VnetIndent(6) == 0, 'indent of the closing brace: ' . VnetIndent(6))

ALELint
let s:items = []
let s:found = []
for s:i in range(100)
  let s:items = ale#engine#GetLoclist(bufnr(''))
  let s:found = filter(copy(s:items), {_, d -> d.lnum == 3 && get(d, 'code', '') ==# 'E0001'})
  if !empty(s:found) | break | endif
  sleep 100m
endfor
call s:check(!empty(s:items), 'no diagnostics from the server through ALE')
call s:check(!empty(s:found), 'no E0001 on line 3 among ' . string(s:items))

if empty(s:failures)
  call writefile(['vim: filetype, syntax, indentation and ' . len(s:items) . ' diagnostic(s) through ALE: ok'], '/dev/stdout', 'a')
  qall!
endif
call writefile(['vim: ' . join(s:failures, '; ')], '/dev/stdout', 'a')
cquit 1
