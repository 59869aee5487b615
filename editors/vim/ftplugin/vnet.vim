" vnet filetype settings: `#` comments, two-space indentation, and :VnetFmt, which formats
" the buffer with `vnetc fmt -` and leaves it alone if the file does not parse.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s comments=:#
setlocal expandtab shiftwidth=2 softtabstop=2 tabstop=8
setlocal iskeyword=@,48-57,_,-

let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< tabstop< iskeyword<'
      \ . ' | delcommand -buffer VnetFmt'

if !exists('g:vnetc_command')
  let g:vnetc_command = 'vnetc'
endif

function! s:format() abort
  let l:view = winsaveview()
  let l:out = systemlist(g:vnetc_command . ' fmt -', getline(1, '$'))
  if v:shell_error != 0
    echohl ErrorMsg | echomsg 'vnetc fmt: the file does not parse (see :VnetFmt errors with vnetc check)' | echohl None
    return
  endif
  if l:out != getline(1, '$')
    silent keepjumps call setline(1, l:out)
    if line('$') > len(l:out)
      silent execute (len(l:out) + 1) . ',$delete _'
    endif
  endif
  call winrestview(l:view)
endfunction

command! -buffer VnetFmt call s:format()
