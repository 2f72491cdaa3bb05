-- Headless Neovim driving `wippy lsp` as an editor user would: open an example entry, wait
-- for its diagnostics, break it and see the error, complete after `json.`, hover, rename.
-- Run by tests/lsp_neovim.rs: `nvim --headless --clean -l tests/nvim/session.lua` with
-- WIPPY_BIN (the server binary), WIPPY_ROOT (a copy of examples/app) and WIPPY_FILE set.
-- Prints one line per step ("ok …" / "FAIL …") and "ALL OK" at the end; exits 1 on failure.

local bin, root, file = os.getenv("WIPPY_BIN"), os.getenv("WIPPY_ROOT"), os.getenv("WIPPY_FILE")
local failed = false

local function say(s)
  io.stdout:write(s .. "\n")
  io.stdout:flush()
end

local function check(ok, what, detail)
  if ok then
    say("ok " .. what)
  else
    failed = true
    say("FAIL " .. what .. (detail and (": " .. detail) or ""))
  end
  return ok
end

local function finish()
  if not failed then
    say("ALL OK")
  end
  os.exit(failed and 1 or 0)
end

-- Count the server's publishes (an empty list leaves no diagnostic to look at).
local published = 0
local default_publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  published = published + 1
  return default_publish(err, result, ctx, config)
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = "lua"
local id = vim.lsp.start({ name = "wippy", cmd = { bin, "lsp" }, root_dir = root })
if not check(id ~= nil, "client started") then
  finish()
end
local client = vim.lsp.get_client_by_id(id)
check(vim.wait(15000, function()
  return client.server_capabilities ~= nil and vim.lsp.buf_is_attached(buf, id)
end, 20), "initialized and attached")
local enc = client.offset_encoding or "utf-16"

local function codes()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    out[#out + 1] = tostring(d.code)
  end
  return table.concat(out, ",")
end

local function request(method, params)
  local res = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  local r = res[id] or {}
  return r.result, r.err or r.error
end

local uri = vim.uri_from_bufnr(buf)
check(vim.wait(10000, function()
  return published > 0
end, 20) and codes() == "", "the example entry is published without diagnostics", codes())

-- Break it: an unknown member of `uuid`.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local v4
for i, l in ipairs(lines) do
  if l:find("uuid.v4()", 1, true) then
    v4 = i - 1
    vim.api.nvim_buf_set_lines(buf, v4, v4 + 1, false, { (l:gsub("uuid%.v4%(%)", "uuid.v9()")) })
  end
end
check(vim.wait(10000, function()
  return codes():find("E0004") ~= nil
end, 20), "the error is published after an edit", codes())
vim.api.nvim_buf_set_lines(buf, v4, v4 + 1, false, { lines[v4 + 1] })
check(vim.wait(10000, function()
  return codes() == ""
end, 20), "and cleared after the fix", codes())

-- Completion after `json.` on a new line.
local at = #lines - 2
vim.api.nvim_buf_set_lines(buf, at, at, false, { "    local probe = json." })
local items = request("textDocument/completion", {
  textDocument = { uri = uri },
  position = { line = at, character = #"    local probe = json." },
  context = { triggerKind = 2, triggerCharacter = "." },
})
local labels = {}
for _, it in ipairs((items and (items.items or items)) or {}) do
  labels[it.label] = true
end
check(labels.encode and labels.decode, "completion after `json.`", vim.inspect(vim.tbl_keys(labels)))
vim.api.nvim_buf_set_lines(buf, at, at + 1, false, {})

-- Hover on `uuid.v4`.
local col = lines[v4 + 1]:find("v4", 1, true) - 1
local hover = request("textDocument/hover", { textDocument = { uri = uri }, position = { line = v4, character = col } })
local text = hover and hover.contents and (hover.contents.value or hover.contents) or ""
check(type(text) == "string" and text:find("v4", 1, true) ~= nil, "hover on uuid.v4", vim.inspect(hover))

-- Rename the local `name`.
local decl
for i, l in ipairs(lines) do
  if l:find("local name = ", 1, true) then
    decl = i - 1
  end
end
local edit = request("textDocument/rename", {
  textDocument = { uri = uri },
  position = { line = decl, character = lines[decl + 1]:find("name", 1, true) - 1 },
  newName = "display_name",
})
if check(edit ~= nil, "rename answered") then
  vim.lsp.util.apply_workspace_edit(edit, enc)
  local after = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  local _, n = after:gsub("display_name", "")
  check(n == 5 and not after:find("[^_%w]name = name"), "rename applied to every use", tostring(n))
end

finish()
