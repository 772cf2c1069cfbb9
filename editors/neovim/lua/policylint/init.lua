-- policylint for Neovim: runs `policylint lsp` for text and Markdown buffers.
--
--   require("policylint").setup({
--     cmd = { "policylint", "lsp" },                -- the server (on PATH by default)
--     filetypes = { "text", "markdown" },           -- buffers to check
--     root_markers = { "policylint.toml", ".git" }, -- the workspace root: the nearest
--                                                   -- directory holding the first marker,
--                                                   -- else the second, else the file's own
--     settings = {},       -- keys of policylint.toml, plus debounce_ms; sent as
--                          -- initializationOptions and workspace/didChangeConfiguration
--     on_attach = nil,     -- function(client, bufnr), as for any LSP client
--     capabilities = nil,  -- client capabilities, e.g. from a completion plugin
--   })
--
-- Works on Neovim 0.7 (vim.lsp.start_client and vim.lsp.buf_attach_client)
-- and later (vim.lsp.start, 0.8 on). Calling setup() again applies new
-- options, and sends new settings to the running servers.

local M = {}

local defaults = {
  cmd = { "policylint", "lsp" },
  filetypes = { "text", "markdown" },
  root_markers = { "policylint.toml", ".git" },
  settings = {},
  on_attach = nil,
  capabilities = nil,
}

M.config = vim.deepcopy(defaults)

--- Client ids by root directory, for Neovim 0.7 (later ones use vim.lsp.start).
local clients = {}
local warned = false

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

--- The workspace root of a file: the nearest directory above it holding
--- root_markers[1], else root_markers[2], …, else the file's directory.
function M.root_dir(path, markers)
  markers = markers or M.config.root_markers
  local start = vim.fn.fnamemodify(path, ":p:h")
  for _, marker in ipairs(markers) do
    local dir = start
    while true do
      if exists(dir .. "/" .. marker) then
        return dir
      end
      local parent = vim.fn.fnamemodify(dir, ":h")
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return start
end

local function settings()
  local s = M.config.settings
  if s == nil or vim.tbl_isempty(s) then
    return nil
  end
  return s
end

--- The client's capabilities, without pull diagnostics: see on_init below.
local function capabilities()
  local c = vim.deepcopy(M.config.capabilities or vim.lsp.protocol.make_client_capabilities())
  if c.textDocument then
    c.textDocument.diagnostic = nil
  end
  return c
end

local function client_config(root)
  local s = settings()
  return {
    name = "policylint",
    cmd = M.config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = s,
    -- Under a `policylint` key, as the server also accepts: sent by Neovim
    -- as workspace/didChangeConfiguration once the server is initialized.
    settings = s and { policylint = s } or nil,
    capabilities = capabilities(),
    on_attach = M.config.on_attach,
    -- Diagnostics are taken as the server pushes them, after its debounce,
    -- on every Neovim: the client offers no pull diagnostics (so the server
    -- pushes) and does not pull.
    on_init = function(client)
      client.server_capabilities.diagnosticProvider = nil
    end,
  }
end

local function executable()
  local program = M.config.cmd[1]
  if vim.fn.executable(program) == 1 then
    return true
  end
  if not warned then
    warned = true
    vim.notify(
      ("policylint: the language server `%s` was not found%s. Install it with `cargo install --path .` "
        .. "in a clone of the policylint repository (it goes to ~/.cargo/bin), or pass "
        .. "cmd = { \"/path/to/policylint\", \"lsp\" } to require(\"policylint\").setup()."):format(
        program,
        program:find("/") and "" or " on PATH"
      ),
      vim.log.levels.ERROR
    )
  end
  return false
end

--- Starts the server for the buffer's workspace (or reuses it) and attaches it.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or vim.bo[bufnr].buftype ~= "" or not executable() then
    return nil
  end
  local root = M.root_dir(name)
  local config = client_config(root)
  if vim.lsp.start then
    -- In the buffer: Neovim 0.8's vim.lsp.start attaches the current one.
    return vim.api.nvim_buf_call(bufnr, function()
      return vim.lsp.start(config, { bufnr = bufnr })
    end)
  end
  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- The running policylint clients.
function M.clients()
  local found = {}
  for _, client in pairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    if client.name == "policylint" then
      table.insert(found, client)
    end
  end
  return found
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  -- Lists are replaced, not merged.
  for _, key in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts and opts[key] then
      M.config[key] = opts[key]
    end
  end
  warned = false
  local group = vim.api.nvim_create_augroup("policylint", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers opened before setup() (a plugin manager loading it late).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
  -- Running servers get the new settings.
  for _, client in ipairs(M.clients()) do
    local s = settings()
    client.config.settings = s and { policylint = s } or {}
    local params = { settings = { policylint = s or vim.empty_dict() } }
    if vim.fn.has("nvim-0.11") == 1 then
      client:notify("workspace/didChangeConfiguration", params)
    else
      client.notify("workspace/didChangeConfiguration", params)
    end
  end
end

return M
