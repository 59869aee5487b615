-- Drives Neovim 0.7's built-in LSP client against vnet-lsp (see lsp/tests/editors.rs):
-- open a file with an error, get its diagnostics, hover, go to a definition, fix the file by
-- editing the buffer and see the diagnostics change. Prints one `RESULT` line per step and
-- exits with :cquit N on the first failure.
local server = os.getenv("VNET_LSP")
local root = os.getenv("VNET_ROOT")
local file = root .. "/net.vnet"

local function fail(code, message)
  io.stdout:write("FAIL " .. message .. "\n")
  vim.cmd("cquit " .. code)
end

local function say(message)
  io.stdout:write("RESULT " .. message .. "\n")
end

local diagnostics = {}
local default_handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and vim.uri_to_fname(result.uri) == file then
    diagnostics = result.diagnostics
  end
  return default_handler(err, result, ctx, config)
end

local client_id = vim.lsp.start_client({
  name = "vnet",
  cmd = { server },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "root" } },
})
if not client_id then
  fail(2, "could not start the server")
end

vim.cmd("edit " .. file)
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local function codes()
  local out = {}
  for _, d in ipairs(diagnostics) do
    table.insert(out, d.code)
  end
  return table.concat(out, ",")
end

-- 1. Diagnostics of the broken file.
if not vim.wait(10000, function() return codes():find("E0002") ~= nil end, 20) then
  fail(3, "no E0002 diagnostic, got [" .. codes() .. "]")
end
say("diagnostics " .. codes())

-- 2. Hover on the subnet `app_a`'s name.
local function position_of(pattern, shift)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find(pattern, 1, true)
    if s then
      return { line = i - 1, character = s - 1 + shift }
    end
  end
  fail(4, "pattern not found: " .. pattern)
end
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position_of("subnet app_a", 8) }
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000)
local hover_text = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value or ""
if not hover_text:find("251 usable", 1, true) then
  fail(5, "hover without the usable addresses: " .. hover_text)
end
say("hover " .. hover_text:gsub("\n.*", ""))

-- 3. Definition of `nat_a` in a route.
params.position = position_of("-> nat_a", 4)
local definition = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 10000)
local location = definition and definition[client_id] and definition[client_id].result and definition[client_id].result[1]
if not location then
  fail(6, "no definition")
end
local target = position_of("nat_gateway nat_a", 12)
if location.range.start.line ~= target.line or location.range.start.character ~= target.character then
  fail(7, "definition at the wrong place: " .. vim.inspect(location.range.start))
end
say("definition line " .. location.range.start.line)

-- 4. Fix the misspelt name in the buffer: the diagnostics change.
local broken = position_of("route_table privat_a", 0)
local line = vim.api.nvim_buf_get_lines(buf, broken.line, broken.line + 1, false)[1]
vim.api.nvim_buf_set_lines(buf, broken.line, broken.line + 1, false, { (line:gsub("privat_a", "private_a")) })
if not vim.wait(10000, function() return codes():find("E0002") == nil end, 20) then
  fail(8, "diagnostics did not change after the edit: [" .. codes() .. "]")
end
say("after edit [" .. codes() .. "]")

vim.lsp.stop_client(client_id)
vim.cmd("qall!")
