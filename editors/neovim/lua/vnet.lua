-- vnet for Neovim: starts the vnet-lsp language server for `vnet` buffers, with or without
-- nvim-lspconfig. Filetype detection, syntax and indentation come from the Vim runtime files
-- next to this one (ftdetect/, syntax/, ftplugin/, indent/).
--
--   require('vnet').setup()            -- no plugin needed (Neovim 0.7 or later)
--   require('vnet').lspconfig()        -- through nvim-lspconfig
--
-- Both take { cmd = { 'vnet-lsp' }, root_markers = { 'vnet.toml', '.git' }, on_attach = fn,
-- capabilities = table }.

local M = {}

M.defaults = {
  cmd = { 'vnet-lsp' },
  root_markers = { 'vnet.toml', '.git' },
}

local function options(opts)
  return vim.tbl_deep_extend('force', {}, M.defaults, opts or {})
end

-- The directory of the nearest root marker above the buffer's file, else the file's directory.
local function root_dir(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  for _, marker in ipairs(markers) do
    local found = vim.fn.findfile(marker, dir .. ';')
    if found == '' then
      found = vim.fn.finddir(marker, dir .. ';')
    end
    if found ~= '' then
      return (vim.fn.fnamemodify(found, ':p:h'):gsub('/%.git/?$', ''))
    end
  end
  return dir
end

-- One client per root directory (what vim.lsp.start does by itself on Neovim 0.8+).
local clients = {}

function M.start(bufnr, opts)
  opts = options(opts)
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    vim.notify('vnet: ' .. opts.cmd[1] .. ' not found (set cmd in require("vnet").setup)', vim.log.levels.WARN)
    return nil
  end
  local config = {
    name = 'vnet-lsp',
    cmd = opts.cmd,
    root_dir = root_dir(bufnr, opts.root_markers),
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[config.root_dir]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- Starts the server for every `vnet` buffer, without nvim-lspconfig.
function M.setup(opts)
  local group = vim.api.nvim_create_augroup('vnet_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'vnet',
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
end

-- Registers vnet-lsp with nvim-lspconfig (as `vnet_lsp`) and sets it up.
function M.lspconfig(opts)
  opts = options(opts)
  local configs = require('lspconfig.configs')
  local util = require('lspconfig.util')
  if not configs.vnet_lsp then
    configs.vnet_lsp = {
      default_config = {
        cmd = opts.cmd,
        filetypes = { 'vnet' },
        root_dir = util.root_pattern(unpack(opts.root_markers)),
        single_file_support = true,
      },
      docs = { description = 'vnet-lsp: the language server of vnet (AWS networks in .vnet files)' },
    }
  end
  require('lspconfig').vnet_lsp.setup({ on_attach = opts.on_attach, capabilities = opts.capabilities })
end

return M
