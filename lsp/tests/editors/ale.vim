" Drives Vim 9 + ALE 3.3 against vnet-lsp (see lsp/tests/editors.rs): diagnostics of a file
" with an error, hover, definition, then a fix and the diagnostics after it. Writes one RESULT
" line per step to stdout; exits with :cquit on a failure.
set nocompatible
let &runtimepath = '/usr/share/vim-ale,' . &runtimepath
filetype plugin on
let g:ale_enabled = 1
let g:ale_lint_on_text_changed = 'always'
let g:ale_lint_delay = 0
runtime plugin/ale.vim
autocmd BufRead,BufNewFile *.vnet setfiletype vnet

call ale#linter#Define('vnet', {
\   'name': 'vnetlsp',
\   'lsp': 'stdio',
\   'executable': $VNET_LSP,
\   'command': '%e',
\   'project_root': $VNET_ROOT,
\})
let g:ale_linters = {'vnet': ['vnetlsp']}

function! Say(message) abort
  call writefile(['RESULT ' . a:message], '/dev/stdout', 'a')
endfunction

function! Fail(message) abort
  call writefile(['FAIL ' . a:message], '/dev/stdout', 'a')
  cquit 3
endfunction

function! Codes() abort
  return join(map(copy(ale#engine#GetLoclist(bufnr(''))), {_, d -> get(d, 'code', '')}), ',')
endfunction

function! WaitFor(Predicate) abort
  for _ in range(150)
    if a:Predicate()
      return 1
    endif
    sleep 100m
  endfor
  return 0
endfunction

execute 'edit ' . $VNET_ROOT . '/net.vnet'
ALELint
if !WaitFor({-> Codes() =~# 'E0002'})
  call Fail('no E0002: [' . Codes() . ']')
endif
call Say('diagnostics ' . Codes())

" ALE positions are 1-based.
let g:answers = {}
function! OnAnswer(name, response) abort
  let g:answers[a:name] = a:response
endfunction

call search('subnet app_a')
let s:hover = ale#lsp#message#Hover(bufnr(''), line('.'), col('.') + 8)
call ale#lsp_linter#SendRequest(bufnr(''), 'vnetlsp', s:hover, {r -> OnAnswer('hover', r)})
if !WaitFor({-> has_key(g:answers, 'hover')})
  call Fail('no hover')
endif
let s:value = get(get(get(g:answers.hover, 'result', {}), 'contents', {}), 'value', '')
if s:value !~# '251 usable'
  call Fail('hover: ' . string(g:answers.hover))
endif
call Say('hover ' . split(s:value, "\n")[0])

call cursor(1, 1)
call search('-> nat_a')
let s:definition = ale#lsp#message#Definition(bufnr(''), line('.'), col('.') + 4)
call ale#lsp_linter#SendRequest(bufnr(''), 'vnetlsp', s:definition, {r -> OnAnswer('definition', r)})
if !WaitFor({-> has_key(g:answers, 'definition')})
  call Fail('no definition')
endif
let s:locations = get(g:answers.definition, 'result', [])
if empty(s:locations)
  call Fail('definition: ' . string(g:answers.definition))
endif
call Say('definition line ' . s:locations[0].range.start.line)

" Code action on the misspelt name: the answer is the "did you mean" replacement.
call cursor(1, 1)
call search('route_table privat_a')
let s:action = ale#lsp#message#CodeAction(bufnr(''), line('.'), 1, line('.'), 80, [])
call ale#lsp_linter#SendRequest(bufnr(''), 'vnetlsp', s:action, {r -> OnAnswer('action', r)})
if !WaitFor({-> has_key(g:answers, 'action')})
  call Fail('no code action')
endif
let s:actions = get(g:answers.action, 'result', [])
if empty(s:actions)
  call Fail('code action: ' . string(g:answers.action))
endif
call Say('code action ' . s:actions[0].title)

" Completion after `route_table `: route tables only.
let s:completion = ale#lsp#message#Completion(bufnr(''), line('.'), col('$'), '')
let s:at = matchend(getline('.'), 'route_table ')
let s:completion[2].position.character = s:at
call ale#lsp_linter#SendRequest(bufnr(''), 'vnetlsp', s:completion, {r -> OnAnswer('completion', r)})
if !WaitFor({-> has_key(g:answers, 'completion')})
  call Fail('no completion')
endif
let s:labels = map(copy(get(get(g:answers.completion, 'result', {}), 'items', [])), {_, i -> i.label})
call Say('completion ' . join(s:labels, ','))

" Rename nat_a: its declaration and its reference.
call cursor(1, 1)
call search('-> nat_a')
let s:rename = ale#lsp#message#Rename(bufnr(''), line('.'), col('.') + 4, 'nat_east')
call ale#lsp_linter#SendRequest(bufnr(''), 'vnetlsp', s:rename, {r -> OnAnswer('rename', r)})
if !WaitFor({-> has_key(g:answers, 'rename')})
  call Fail('no rename')
endif
let s:edits = 0
for s:list in values(get(get(g:answers.rename, 'result', {}), 'changes', {}))
  let s:edits += len(s:list)
endfor
call Say('rename edits ' . s:edits)

call cursor(1, 1)
call search('route_table privat_a')
substitute/privat_a/private_a/
ALELint
if !WaitFor({-> Codes() !~# 'E0002'})
  call Fail('diagnostics did not change: [' . Codes() . ']')
endif
call Say('after edit [' . Codes() . ']')
qall!
