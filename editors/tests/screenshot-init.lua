-- Neovim configuration for the README screenshot (neovim-screenshot.sh): the plugin in
-- editors/neovim, a 16-colour palette that survives the terminal-to-HTML conversion, and
-- bordered diagnostic floats.
vim.opt.rtp:prepend(vim.env.VNET_EDITORS .. '/neovim')
vim.opt.background = 'dark'
vim.cmd('syntax on')
vim.cmd('filetype plugin indent on')
vim.opt.number = true
vim.opt.signcolumn = 'yes'
-- A 16-colour palette, so that the terminal-to-HTML conversion keeps every colour.
vim.cmd([[
  hi clear Comment | hi Comment ctermfg=2 | hi clear Structure | hi Structure ctermfg=12 | hi clear Type | hi Type ctermfg=14 | hi clear Identifier | hi Identifier ctermfg=6
  hi clear Statement | hi Statement ctermfg=13 cterm=NONE | hi clear Keyword | hi Keyword ctermfg=13 | hi clear Number | hi Number ctermfg=10 | hi clear String | hi String ctermfg=3
  hi clear Constant | hi Constant ctermfg=3 | hi clear Conditional | hi Conditional ctermfg=3 | hi clear Boolean | hi Boolean ctermfg=3 | hi clear Operator | hi Operator ctermfg=7
  hi clear LineNr | hi LineNr ctermfg=8 | hi SignColumn ctermbg=NONE | hi NormalFloat ctermbg=0 ctermfg=15
  hi clear FloatBorder | hi FloatBorder ctermfg=8 | hi StatusLine ctermbg=8 ctermfg=15 cterm=NONE | hi clear NonText | hi NonText ctermfg=8
]])
vim.diagnostic.config({ float = { border = 'single', source = 'always' } })
require('vnet').setup({ cmd = { vim.env.VNET_LSP or 'vnet-lsp' } })
