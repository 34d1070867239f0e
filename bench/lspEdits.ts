// Edit series for the LSP bench and how they are played: one-character edits, the parse floor edit by edit, and edit → diagnostics through a pulling or a pushing client.
import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import type { LspTestClient } from '../test/lsp/harness';

export function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

/** Line numbers with code to type into: the edit inserts one space at the start of the line, the next removes it. */
export function editLines(text: string, count: number): number[] {
  const lines = text.split('\n');
  const usable = lines.map((_, i) => i).filter((i) => lines[i]!.trim().length > 0);
  return Array.from({ length: count }, (_, k) => usable[Math.floor((k * 7919) % usable.length)]!);
}

/** One edit of a series, as an offset in the text before it, the removed length and the inserted text. */
export interface Edit {
  offset: number;
  remove: number;
  insert: string;
}

/**
 * Two series of one-character edits, each an insert followed by the matching removal (so the text returns to the
 * original):
 * `whitespace` types a space at the start of a line (no token changes); `token` types `x` after the first character of
 * an
 * identifier (the identifier changes: a new name, an unresolved reference), as typing in code does.
 */
export function editSeries(text: string, count: number): Record<'whitespace' | 'token', Edit[]> {
  const pairs = Math.ceil(count / 2);
  const whitespace: Edit[] = [];
  for (const line of editLines(text, pairs)) {
    const offset = offsetOfLine(text, line);
    whitespace.push({ offset, remove: 0, insert: ' ' }, { offset, remove: 1, insert: '' });
  }
  const identifiers: number[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Identifier && scanner.getTokenText().length > 1)
      identifiers.push(scanner.getTokenStart());
  }
  const token: Edit[] = [];
  for (let k = 0; k < pairs; k++) {
    const offset = identifiers[Math.floor((k * 7919) % identifiers.length)]! + 1;
    token.push({ offset, remove: 0, insert: 'x' }, { offset, remove: 1, insert: '' });
  }
  return { whitespace: whitespace.slice(0, count), token: token.slice(0, count) };
}

export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
}

export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Edits of a series that are also parsed from scratch (the rest only incrementally). */
const FULL_REPARSE_SAMPLE = 60;

/** Full (a sample) and incremental re-parse of the file alone, edit by edit: the floor the server's latency is compared with. */
export function reparseBaseline(path: string, text: string, edits: Edit[]): { full: number[]; incremental: number[] } {
  const full: number[] = [];
  const incremental: number[] = [];
  let source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let current = text;
  for (const [k, edit] of edits.entries()) {
    const next = applyEdit(current, edit);
    let t0 = performance.now();
    // A full parse of 600 KiB takes ~100× an incremental one: a sample of the edits is enough for its percentiles.
    if (k < FULL_REPARSE_SAMPLE) {
      ts.createSourceFile(path, next, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
      full.push(performance.now() - t0);
    }
    t0 = performance.now();
    source = ts.updateSourceFile(source, next, {
      span: { start: edit.offset, length: edit.remove },
      newLength: edit.insert.length,
    });
    incremental.push(performance.now() - t0);
    current = next;
  }
  return { full, incremental };
}

/** CPU time (user + system, all threads) a process has used so far, in ms, from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * Plays a series of edits on an open document, pulling diagnostics after each; returns per-edit latency and the
 * server's CPU per edit.
 */
export async function playEdits(
  client: LspTestClient,
  uri: string,
  text: string,
  edits: Edit[],
): Promise<{ latency: number[]; cpuPerEditMs: number; findings: number }> {
  const latency: number[] = [];
  let current = text;
  let findings = 0;
  const cpuBefore = cpuMs(client.child.pid!);
  for (const edit of edits) {
    const start = positionOf(current, edit.offset);
    const end = positionOf(current, edit.offset + edit.remove);
    const t0 = performance.now();
    client.edit(uri, [{ range: { start, end }, text: edit.insert }]);
    findings = (await client.pull(uri)).length;
    latency.push(performance.now() - t0);
    current = applyEdit(current, edit);
  }
  return { latency, cpuPerEditMs: (cpuMs(client.child.pid!) - cpuBefore) / edits.length, findings };
}

/**
 * The same series through a client without pull diagnostics: after each edit, the time until the server pushes the
 * file's diagnostics (the next `publishDiagnostics` for it; the file must have findings, or nothing is pushed).
 */
export async function playEditsPushed(
  client: LspTestClient,
  uri: string,
  text: string,
  edits: Edit[],
): Promise<{ latency: number[]; cpuPerEditMs: number; findings: number }> {
  const latency: number[] = [];
  let current = text;
  let findings = 0;
  const cpuBefore = cpuMs(client.child.pid!);
  for (const edit of edits) {
    const start = positionOf(current, edit.offset);
    const end = positionOf(current, edit.offset + edit.remove);
    const published = client.waitFor('publish', (payload) => {
      const params = payload as { uri: string; diagnostics: unknown[] } | undefined;
      return params?.uri === uri ? params.diagnostics.length : undefined;
    });
    const t0 = performance.now();
    client.edit(uri, [{ range: { start, end }, text: edit.insert }]);
    findings = await published;
    latency.push(performance.now() - t0);
    current = applyEdit(current, edit);
  }
  return { latency, cpuPerEditMs: (cpuMs(client.child.pid!) - cpuBefore) / edits.length, findings };
}
