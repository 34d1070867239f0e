// The real Neovim, headless, with the docs/editors.md block for its version: diagnostics arrive with the configured severity, and an edit's new finding follows.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { documentedBlock, probe, runEditor } from './realEditor';
import { makeWorkspace, N_PLUS_ONE, N_PLUS_ONE_LINE } from './fixtures';

function neovimVersion(): { major: number; minor: number; text: string } | undefined {
  const match = /NVIM v(\d+)\.(\d+)\.\d+/.exec(probe('nvim', ['--version']) ?? '');
  return match ? { major: Number(match[1]), minor: Number(match[2]), text: match[0] } : undefined;
}

/** A second N+1 appended while editing: the edit's own finding. */
const SECOND_N_PLUS_ONE = N_PLUS_ONE.slice(N_PLUS_ONE.indexOf('export async function')).replace(
  'postsByUser',
  'postsByAuthor',
);

/**
 * Runs inside Neovim after the file is loaded: waits for our diagnostics, then per edit for its new one; writes what it
 * saw.
 */
const EDITS = 3;
const CHECK_LUA = `
local EDITS = ${EDITS}
local function ours()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == 'perf-advisor' then
      table.insert(found, { lnum = d.lnum, severity = d.severity, message = d.message,
        code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
    end
  end
  return found
end
local opened = vim.loop.hrtime()
local out = { arrived = vim.wait(60000, function() return #ours() > 0 end, 2) }
out.firstMs = (vim.loop.hrtime() - opened) / 1e6
out.first = ours()
out.clients = {}
for _, client in pairs(vim.lsp.get_active_clients()) do table.insert(out.clients, client.name) end
out.editMs = {}
out.updated = true
-- Neovim holds a buffer's first didChange for flags.debounce_text_changes (150 ms by default), later ones only
-- within 150 ms of the previous: edits 200 ms apart leave the later figures to the server's path alone.
vim.wait(1000, function() return false end, 10)
for i = 1, EDITS do
  if i > 1 then vim.wait(200, function() return false end, 10) end
  local before = #ours()
  local started = vim.loop.hrtime()
  local lines = vim.split((vim.env.PA_EXTRA:gsub('postsByAuthor', 'postsByAuthor' .. i)), '\\n')
  vim.api.nvim_buf_set_lines(0, -1, -1, false, lines)
  out.updated = out.updated and vim.wait(30000, function() return #ours() > before end, 1)
  table.insert(out.editMs, (vim.loop.hrtime() - started) / 1e6)
end
out.afterEdit = ours()
local file = io.open(vim.env.PA_OUT, 'w')
file:write(vim.json.encode(out))
file:close()
vim.cmd('qa!')
`;

interface Seen {
  arrived: boolean;
  updated: boolean;
  editMs: number[];
  firstMs: number;
  clients: string[];
  first: { lnum: number; severity: number; code: string; message: string }[];
  afterEdit: { lnum: number; severity: number; code: string }[];
}

const version = neovimVersion();
const heading =
  version && (version.major > 0 || version.minor >= 10) ? '### Neovim 0.10 and later' : '### Neovim 0.7 – 0.9';

describe('Neovim (real editor, headless)', () => {
  it(
    `the documented "${heading.slice(4)}" config gets diagnostics with its settings applied`,
    { skip: version ? false : 'nvim is not installed (apt-get install neovim): the real-editor test cannot run' },
    async (t) => {
      const root = makeWorkspace({ 'package.json': '{ "name": "nvim-probe" }\n', 'src/users.ts': N_PLUS_ONE });
      const home = makeWorkspace({});
      writeFileSync(join(home, 'init.lua'), documentedBlock(heading, 'lua'));
      writeFileSync(join(home, 'check.lua'), CHECK_LUA);
      const outPath = join(home, 'seen.json');
      const { code, output } = await runEditor(
        'nvim',
        [
          '--headless',
          '-i',
          'NONE',
          '-u',
          join(home, 'init.lua'),
          '-c',
          `luafile ${join(home, 'check.lua')}`,
          'src/users.ts',
        ],
        root,
        {
          ...process.env,
          XDG_CONFIG_HOME: join(home, 'config'),
          XDG_DATA_HOME: join(home, 'data'),
          XDG_STATE_HOME: join(home, 'state'),
          XDG_CACHE_HOME: join(home, 'cache'),
          PA_OUT: outPath,
          PA_EXTRA: SECOND_N_PLUS_ONE,
        },
      );
      assert.equal(code, 0, output);
      const seen = JSON.parse(readFileSync(outPath, 'utf8')) as Seen;
      assert.ok(seen.arrived, `no perf-advisor diagnostics in Neovim; clients: ${JSON.stringify(seen.clients)}`);
      assert.deepEqual(seen.clients, ['perf-advisor']);
      assert.deepEqual(
        seen.first.map((d) => [d.code, d.lnum, d.severity]),
        [['n-plus-one', N_PLUS_ONE_LINE, 1]], // 1 = vim.diagnostic.severity.ERROR: the block's settings applied
      );
      assert.ok(seen.updated, `the edit's N+1 never showed: ${JSON.stringify(seen.afterEdit)}`);
      assert.deepEqual(
        seen.afterEdit.map((d) => d.code),
        Array.from({ length: EDITS + 1 }, () => 'n-plus-one'),
      );
      t.diagnostic(`${version!.text}, first diagnostics ${seen.firstMs.toFixed(0)} ms after the buffer loaded`);
      t.diagnostic(
        `${version!.text}, ${heading.slice(4)}: edit → new diagnostic in ${seen.editMs.map((ms) => ms.toFixed(0)).join(', ')} ms (${EDITS} edits in a row)`,
      );
    },
  );
});
