-- Headless Neovim check (editors/tests/run.sh): filetype detection, syntax groups and the
-- language server started by require('vnet').setup() without nvim-lspconfig; exits 0 when
-- all hold, 1 otherwise. The file to open is the first argument after `--`.
local failures = {}
local function check(ok, what)
  if not ok then
    table.insert(failures, what)
  end
end

local diagnostics = {}
local original = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result and #result.diagnostics > 0 then
    diagnostics = result.diagnostics
  end
  return original(err, result, ctx, config)
end

require('vnet').setup({ cmd = { vim.env.VNET_LSP or 'vnet-lsp' } })
vim.cmd('syntax on')
vim.cmd('filetype plugin indent on')
vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.VNET_TEST_FILE))

check(vim.bo.filetype == 'vnet', 'filetype is ' .. vim.bo.filetype)
local function group(line, col)
  return vim.fn.synIDattr(vim.fn.synID(line, col, 1), 'name')
end
check(group(2, 1) == 'vnetBlock', 'vpc is ' .. group(2, 1))
check(group(2, 5) == 'vnetName', 'prod is ' .. group(2, 5))
check(group(3, 14) == 'vnetAttribute', 'az is ' .. group(3, 14))
check(group(3, 22) == 'vnetCidr', '10.0.0.0/24 is ' .. group(3, 22))
check(group(4, 22) == 'vnetComment', 'the comment is ' .. group(4, 22))
check(group(5, 14) == 'vnetRule', 'inbound is ' .. group(5, 14))
check(vim.bo.commentstring == '# %s', 'commentstring is ' .. vim.bo.commentstring)

local function syntax_error()
  for _, d in ipairs(diagnostics) do
    if d.code == 'E0001' and d.range.start.line == 2 then
      return d
    end
  end
end
vim.wait(10000, function()
  return syntax_error() ~= nil
end, 50)
check(#diagnostics > 0, 'no diagnostics from the server')
check(syntax_error() ~= nil, 'no E0001 on line 3 among ' .. vim.inspect(diagnostics))

if #failures > 0 then
  io.stderr:write('neovim: ' .. table.concat(failures, '; ') .. '\n')
  vim.cmd('cquit 1')
end
io.stdout:write('neovim: filetype, syntax and ' .. #diagnostics .. ' diagnostic(s) from the server: ok\n')
vim.cmd('qall!')
