" ALE: vnet-lsp, the vnet language server, over stdio (diagnostics, hover, go to definition).
call ale#Set('vnet_vnet_lsp_executable', 'vnet-lsp')

function! ale_linters#vnet#vnet_lsp#ProjectRoot(buffer) abort
  " The directory of the nearest vnet.toml, else the file's own directory.
  let l:config = ale#path#FindNearestFile(a:buffer, 'vnet.toml')
  return !empty(l:config) ? fnamemodify(l:config, ':h') : expand('#' . a:buffer . ':p:h')
endfunction

call ale#linter#Define('vnet', {
\   'name': 'vnet_lsp',
\   'lsp': 'stdio',
\   'executable': {b -> ale#Var(b, 'vnet_vnet_lsp_executable')},
\   'command': '%e',
\   'project_root': function('ale_linters#vnet#vnet_lsp#ProjectRoot'),
\})
