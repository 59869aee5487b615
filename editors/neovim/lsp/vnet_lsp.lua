-- Neovim 0.11+: `vim.lsp.enable('vnet_lsp')` finds this file on the runtimepath.
return {
  cmd = { 'vnet-lsp' },
  filetypes = { 'vnet' },
  root_markers = { 'vnet.toml', '.git' },
}
