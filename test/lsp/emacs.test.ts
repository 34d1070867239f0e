// The real Emacs with eglot, in batch mode, with the docs/editors.md block: diagnostics arrive with the configured severity, and an edit's new finding follows.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeWorkspace } from './fixtures';
import { documentedBlock, probe, runEditor } from './realEditor';

/**
 * js-mode is built into every Emacs (TypeScript modes are not in Emacs 28): the N+1 of `N_PLUS_ONE` in fixtures.ts
 * (a query per row of an unbounded read) in plain JavaScript.
 */
const N_PLUS_ONE_JS = `const { PrismaClient } = require('@prisma/client');
const prisma = new PrismaClient();

async function postsByUser() {
  const users = await prisma.user.findMany({ where: { active: true } });
  const out = [];
  for (const u of users) {
    out.push(await prisma.post.findMany({ where: { authorId: u.id } }));
  }
  return out;
}

module.exports = { postsByUser };
`;
/** 1-based line of the query in the loop. */
const QUERY_LINE = 8;
const SECOND_N_PLUS_ONE = `
async function postsByAuthor() {
  const users = await prisma.user.findMany({ where: { active: true } });
  const out = [];
  for (const u of users) out.push(await prisma.post.findMany({ where: { authorId: u.id } }));
  return out;
}
`;

/**
 * Runs after the documented config: opens the file, waits for our diagnostics, edits, waits again, writes what it saw.
 */
const CHECK_EL = `
(require 'eglot)
(require 'json)
(defvar pa-buffer (find-file (getenv "PA_FILE")))
;; The command loop runs post-command-hook after the command that opened the file: eglot-ensure connects there.
(run-hooks 'post-command-hook)
(defun pa-ours ()
  (with-current-buffer pa-buffer
    (cl-loop for d in (or (flymake-diagnostics) eglot--diagnostics)
             when (string-match-p "^perf-advisor" (flymake-diagnostic-text d))
             collect (list (cons 'text (flymake-diagnostic-text d))
                           (cons 'type (symbol-name (flymake-diagnostic-type d)))
                           (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))))))
(defun pa-wait (done seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall done)) (< (float-time) deadline))
      (accept-process-output nil 0.005))
    (funcall done)))
(defvar pa-opened (float-time))
(defvar pa-arrived (pa-wait (lambda () (pa-ours)) 60))
(defvar pa-first-ms (* 1000 (- (float-time) pa-opened)))
(defvar pa-first (pa-ours))
(pa-wait (lambda () nil) 1)
(defvar pa-edited (float-time))
(with-current-buffer pa-buffer
  (goto-char (point-max))
  (insert (getenv "PA_EXTRA"))
  ;; Batch Emacs is never idle: fire the idle timer eglot armed to send the change (0.5 s after typing, interactively).
  (when eglot--change-idle-timer (timer-event-handler eglot--change-idle-timer)))
(defvar pa-updated (pa-wait (lambda () (> (length (pa-ours)) (length pa-first))) 30))
(defvar pa-edit-ms (* 1000 (- (float-time) pa-edited)))
(with-temp-file (getenv "PA_OUT")
  (insert (json-encode
           (list (cons 'arrived (if pa-arrived t :json-false))
                 (cons 'updated (if pa-updated t :json-false))
                 (cons 'firstMs pa-first-ms)
                 (cons 'editMs pa-edit-ms)
                 (cons 'first (vconcat pa-first))
                 (cons 'afterEdit (vconcat (pa-ours)))))))
(kill-emacs 0)
`;

interface Seen {
  arrived: boolean;
  updated: boolean;
  firstMs: number;
  editMs: number;
  first: { text: string; type: string; line: number }[];
  afterEdit: { text: string; type: string; line: number }[];
}

/** Emacs with eglot loadable (built in from Emacs 29, the elpa-eglot package on Debian's Emacs 28). */
const version = probe('emacs', ['--batch', '-q', '--eval', "(progn (require 'eglot) (princ emacs-version))"]);

describe('Emacs with eglot (real editor, batch)', () => {
  it(
    'the documented eglot config gets diagnostics with its settings applied',
    {
      skip: version
        ? false
        : 'emacs with eglot is not installed (apt-get install emacs-nox elpa-eglot): the real-editor test cannot run',
    },
    async (t) => {
      const root = makeWorkspace({ 'package.json': '{ "name": "emacs-probe" }\n', 'src/users.js': N_PLUS_ONE_JS });
      const home = makeWorkspace({});
      writeFileSync(join(home, 'init.el'), documentedBlock('## Emacs (eglot)', 'elisp'));
      writeFileSync(join(home, 'check.el'), CHECK_EL);
      const outPath = join(home, 'seen.json');
      const { code, output } = await runEditor(
        'emacs',
        ['--batch', '-q', '-l', join(home, 'init.el'), '-l', join(home, 'check.el')],
        root,
        { ...process.env, HOME: home, PA_FILE: 'src/users.js', PA_OUT: outPath, PA_EXTRA: SECOND_N_PLUS_ONE },
      );
      assert.equal(code, 0, output);
      const seen = JSON.parse(readFileSync(outPath, 'utf8')) as Seen;
      assert.ok(seen.arrived, `no perf-advisor diagnostics in Emacs; output: ${output.slice(-2000)}`);
      // eglot-error = severity 1: the block's eglot-workspace-configuration applied.
      assert.deepEqual(
        seen.first.map((d) => [d.type, d.line, /\[n-plus-one\]/.test(d.text)]),
        [['eglot-error', QUERY_LINE, true]],
      );
      assert.ok(seen.updated, `the edit's N+1 never showed: ${JSON.stringify(seen.afterEdit)}`);
      assert.equal(seen.afterEdit.filter((d) => /\[n-plus-one\]/.test(d.text)).length, 2);
      t.diagnostic(
        `Emacs ${version}: first diagnostics ${seen.firstMs.toFixed(0)} ms after the file opened; edit → new diagnostic ${seen.editMs.toFixed(0)} ms`,
      );
    },
  );
});
