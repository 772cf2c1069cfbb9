-- Neovim, headless, started with the README's init.lua (which runs
-- require("policylint").setup({}) from editors/neovim) and the `policylint`
-- found on PATH: opens the seed document, waits for the diagnostics, checks
-- them, the outline and the quick fix for "pubic", then new settings and a
-- missing server.
--
-- Run by scripts/e2e-neovim.sh from the repository root:
--   nvim --headless -n -i NONE -u README-init.lua -c "luafile tests/editors/neovim/test.lua"

local repo = vim.fn.getcwd()
local seed = repo .. "/seeds/cyberspace-community.txt"
local patience = 20000 -- ms: a hang guard, not a performance bound

local passed, failed = 0, 0

local function say(line)
  io.stdout:write(line .. "\n")
end

local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    say("ok - " .. name)
  else
    failed = failed + 1
    say("not ok - " .. name .. "\n" .. tostring(err):gsub("\n", "\n    "))
  end
  return ok
end

local function finish()
  say(("%d passed, %d failed"):format(passed, failed))
  if failed == 0 then
    vim.cmd("qall!")
  else
    vim.cmd("cquit 1")
  end
end

local function eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(("%s: expected %s, got %s"):format(what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function wait_for(what, condition)
  if not vim.wait(patience, condition, 20) then
    error("timed out waiting for " .. what, 2)
  end
end

--- The UTF-16 column of a byte column, as the server counts.
local function utf16(line, byte_col)
  if vim.fn.has("nvim-0.11") == 1 then
    return vim.str_utfindex(line, "utf-16", byte_col)
  end
  return select(2, vim.str_utfindex(line, byte_col))
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

--- (rule, line, UTF-16 character, text underlined) of each diagnostic, sorted.
local function found(bufnr)
  local rows = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, true)[1]
    table.insert(rows, { code_of(d), d.lnum, utf16(line, d.col), line:sub(d.col + 1, d.end_col) })
  end
  table.sort(rows, function(a, b)
    if a[1] ~= b[1] then
      return a[1] < b[1]
    end
    return a[2] < b[2]
  end)
  return rows
end

local function real_words(bufnr)
  return vim.tbl_filter(function(row)
    return row[1] == "real-word"
  end, found(bufnr))
end

local function run()
  local policylint = require("policylint")

  check("the workspace root is the nearest policylint.toml, else .git, else the file's folder", function()
    local tmp = vim.fn.tempname()
    vim.fn.mkdir(tmp .. "/repo/.git", "p")
    vim.fn.mkdir(tmp .. "/repo/docs/drafts", "p")
    vim.fn.mkdir(tmp .. "/repo/notes", "p")
    vim.fn.mkdir(tmp .. "/loose", "p")
    vim.fn.writefile({}, tmp .. "/repo/docs/policylint.toml")
    eq(tmp .. "/repo/docs", policylint.root_dir(tmp .. "/repo/docs/drafts/a.txt"), "under policylint.toml")
    eq(tmp .. "/repo", policylint.root_dir(tmp .. "/repo/notes/b.md"), "under .git")
    eq(tmp .. "/loose", policylint.root_dir(tmp .. "/loose/c.txt"), "no marker")
    vim.fn.delete(tmp, "rf")
  end)

  -- setup() ran in the README's init.lua.
  vim.cmd("edit " .. vim.fn.fnameescape(seed))
  local bufnr = vim.api.nvim_get_current_buf()
  -- The buffer is edited, never written; a seed checked out read-only
  -- must not make Neovim warn about that.
  vim.bo[bufnr].readonly = false

  local attached = check("the server starts for the text buffer, rooted at the repository", function()
    eq("text", vim.bo[bufnr].filetype, "filetype")
    wait_for("the client to attach", function()
      local on_buffer = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
      return not vim.tbl_isempty(on_buffer)
    end)
    local clients = policylint.clients()
    eq(1, #clients, "policylint clients")
    eq(repo, clients[1].config.root_dir, "root_dir")
    eq(nil, clients[1].config.init_options, "init_options of setup({})")
    eq(nil, clients[1].config.capabilities.textDocument.diagnostic, "pull diagnostics offered")
    assert(clients[1].config.capabilities.textDocument.publishDiagnostics, "push diagnostics taken")
    wait_for("the server to initialize", function()
      return clients[1].initialized or (clients[1].server_capabilities or clients[1].resolved_capabilities) ~= nil
    end)
  end)
  if not attached then
    return finish()
  end

  local published = check("diagnostics arrive", function()
    wait_for("diagnostics", function()
      return #vim.diagnostic.get(bufnr) >= 6
    end)
  end)
  if not published then
    return finish()
  end

  check('"pubic" and both "ethnics" are reported at their lines and columns', function()
    eq({
      { "real-word", 32, 846, "ethnics" },
      { "real-word", 38, 410, "pubic" },
      { "real-word", 44, 706, "ethnics" },
    }, real_words(bufnr), "real-word diagnostics")
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      eq("policylint", d.source, "source")
    end
  end)

  check("the other findings of the seed are there too", function()
    local rest = vim.tbl_map(function(row)
      return { row[1], row[2], row[3] }
    end, vim.tbl_filter(function(row)
      return row[1] ~= "real-word"
    end, found(bufnr)))
    eq({ { "duplicate-heading", 4, 0 }, { "duplicate-heading", 46, 0 }, { "empty-metadata", 2, 23 } }, rest, "findings")
  end)

  check("document symbols: the title holds sections at lines 8, 22, 34 with 0, 4, 4 children", function()
    local responses = vim.lsp.buf_request_sync(
      bufnr,
      "textDocument/documentSymbol",
      { textDocument = vim.lsp.util.make_text_document_params(bufnr) },
      patience
    )
    local _, response = next(responses or {})
    assert(response and response.result, "an answer: " .. vim.inspect(responses))
    local symbols = response.result
    eq(1, #symbols, "top-level symbols")
    assert(symbols[1].name:find("^Jointly Build a Community"), symbols[1].name)
    eq(vim.lsp.protocol.SymbolKind.File, symbols[1].kind, "title kind")
    local lines, counts = {}, {}
    for _, section in ipairs(symbols[1].children) do
      table.insert(lines, section.selectionRange.start.line)
      table.insert(counts, #(section.children or {}))
    end
    eq({ 8, 22, 34 }, lines, "section lines")
    eq({ 0, 4, 4 }, counts, "children")
  end)

  check('the quick fix "Replace with `public`" mends the buffer', function()
    local line = vim.api.nvim_buf_get_lines(bufnr, 38, 39, true)[1]
    local count = vim.api.nvim_buf_line_count(bufnr)
    local at = line:find("formulate pubic policies", 1, true)
    assert(at, "the line with pubic")
    vim.api.nvim_win_set_cursor(0, { 39, at + #"formulate " })
    -- The user picks the action from the menu that vim.ui.select shows.
    local offered
    local select = vim.ui.select
    vim.ui.select = function(items, opts, on_choice)
      offered = {}
      for _, item in ipairs(items) do
        local title = opts.format_item(item)
        table.insert(offered, title)
        if title == "Replace with `public`" then
          vim.ui.select = select
          return on_choice(item)
        end
      end
      vim.ui.select = select
      on_choice(nil)
    end
    vim.lsp.buf.code_action()
    wait_for("the code action menu", function()
      return offered ~= nil
    end)
    assert(vim.tbl_contains(offered, "Replace with `public`"), "offered: " .. vim.inspect(offered))
    wait_for("the edit", function()
      return not vim.api.nvim_buf_get_lines(bufnr, 38, 39, true)[1]:find("pubic", 1, true)
    end)
    local fixed = vim.api.nvim_buf_get_lines(bufnr, 38, 39, true)[1]
    eq((line:gsub("formulate pubic policies", "formulate public policies")), fixed, "line 39")
    eq(count, vim.api.nvim_buf_line_count(bufnr), "line count")
    eq(true, vim.bo[bufnr].modified, "modified")
  end)

  check("after the fix the server drops the diagnostic and keeps the others", function()
    wait_for("new diagnostics", function()
      return #vim.diagnostic.get(bufnr) == 5
    end)
    eq({
      { "real-word", 32, 846, "ethnics" },
      { "real-word", 44, 706, "ethnics" },
    }, real_words(bufnr), "real-word diagnostics")
  end)

  check("calling setup() again sends the new settings to the running server", function()
    policylint.setup({ settings = { debounce_ms = 20, ignore = { "real-word" } } })
    wait_for("the real-word diagnostics to go", function()
      return #vim.diagnostic.get(bufnr) > 0 and #real_words(bufnr) == 0
    end)
    eq(1, #policylint.clients(), "policylint clients")
    eq(
      { { "duplicate-heading", 4, 0 }, { "duplicate-heading", 46, 0 }, { "empty-metadata", 2, 23 } },
      vim.tbl_map(function(row)
        return { row[1], row[2], row[3] }
      end, found(bufnr)),
      "findings"
    )
  end)

  check("a missing server is reported with how to install it", function()
    local notified = {}
    local notify = vim.notify
    vim.notify = function(message, level)
      table.insert(notified, { message, level })
    end
    local running = #policylint.clients()
    local draft = vim.fn.tempname() .. ".txt"
    policylint.setup({ cmd = { "policylint-not-installed", "lsp" } })
    vim.cmd("edit " .. vim.fn.fnameescape(draft))
    local bufnr = vim.api.nvim_get_current_buf()
    vim.notify = notify
    eq("text", vim.bo[bufnr].filetype, "filetype of a .txt file")
    eq(1, #notified, "notifications")
    eq(vim.log.levels.ERROR, notified[1][2], "level")
    assert(notified[1][1]:find("`policylint-not-installed` was not found on PATH", 1, true), notified[1][1])
    assert(notified[1][1]:find("cargo install --path .", 1, true), notified[1][1])
    eq(running, #policylint.clients(), "clients")
    vim.cmd("bwipeout!")
  end)

  finish()
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  failed = failed + 1
  say("not ok - the test itself: " .. tostring(err))
  finish()
end
