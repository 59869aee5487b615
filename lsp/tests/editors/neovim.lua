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

-- 4. Completion after `route_table ` offers only route tables.
params.position = position_of("route_table privat_a", 12)
local completion = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 10000)
local items = completion and completion[client_id] and completion[client_id].result
local labels = {}
for _, item in ipairs(items and (items.items or items) or {}) do
  table.insert(labels, item.label)
end
if table.concat(labels, ","):find("private_a", 1, true) == nil or table.concat(labels, ","):find("nat_a", 1, true) then
  fail(8, "completion: " .. table.concat(labels, ","))
end
say("completion " .. table.concat(labels, ","))

-- 5. Rename `nat_a`: the declaration and its reference.
params.position = position_of("-> nat_a", 4)
params.newName = "nat_east"
local rename = vim.lsp.buf_request_sync(buf, "textDocument/rename", params, 10000)
local edit = rename and rename[client_id] and rename[client_id].result
local count = 0
for _, edits in pairs(edit and edit.changes or {}) do
  count = count + #edits
end
if count ~= 2 then
  fail(9, "rename: " .. vim.inspect(edit))
end
say("rename edits " .. count)
params.newName = nil

-- 6. The code action of the error fixes it: the diagnostics change.
local broken = position_of("route_table privat_a", 12)
local actions = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", {
  textDocument = params.textDocument,
  range = { start = broken, ["end"] = broken },
  context = { diagnostics = diagnostics },
}, 10000)
local action = actions and actions[client_id] and actions[client_id].result and actions[client_id].result[1]
if not action or not action.edit then
  fail(10, "no code action: " .. vim.inspect(actions))
end
vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
if not vim.wait(10000, function() return codes():find("E0002") == nil end, 20) then
  fail(11, "diagnostics did not change after the fix: [" .. codes() .. "]")
end
say("code action " .. action.title)
say("after edit [" .. codes() .. "]")

-- 7. An edit by hand that breaks a CIDR: a new error.
local cidr = position_of("cidr 10.0.0.0/16", 0)
vim.api.nvim_buf_set_lines(buf, cidr.line, cidr.line + 1, false, { "  cidr 10.0.0.300/16" })
if not vim.wait(10000, function() return codes():find("E0006") ~= nil end, 20) then
  fail(12, "no E0006 after breaking the CIDR: [" .. codes() .. "]")
end
say("after second edit [" .. codes() .. "]")

vim.lsp.stop_client(client_id)
vim.cmd("qall!")
