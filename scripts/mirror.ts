// Reads public repositories from the mirror directory (bare git dirs): lists a commit's blobs and writes chosen files out.
// Shared by scripts/accuracy.ts (labelled commits) and scripts/sweep.ts (every mirror's HEAD).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Directories neither tool looks into. */
export const skippedDirectories = new Set(['node_modules', 'dist', 'build', '.git', '.next', 'coverage', 'out']);
const extractionMarker = '.perf-advisor-accuracy.json';

/** A blob of a tree: repository-relative path, object id and size in bytes. */
export interface TreeBlob {
  path: string;
  oid: string;
  size: number;
}

/** What an extraction wrote: the commit, the paths written and the blobs the mirror lacked. */
export interface Extraction {
  commit: string;
  files: string[];
  missing: string[];
}

/** Mirror directories are named owner+name and hold the git dir in `repo/`. */
export function mirrorGitDir(mirrorRoot: string, repo: string): string {
  return join(mirrorRoot, repo.replace('/', '+'), 'repo');
}

/** Every `owner/name` with a git dir under the mirror root, sorted. */
export function mirroredRepos(mirrorRoot: string): string[] {
  return readdirSync(mirrorRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.includes('+'))
    .filter((entry) => existsSync(join(mirrorRoot, entry.name, 'repo')))
    .map((entry) => entry.name.replace('+', '/'))
    .sort((a, b) => a.localeCompare(b));
}

/** The commit a revision names in a git dir (`HEAD`, a sha), or undefined when the mirror lacks it. */
export function resolveCommit(gitDir: string, revision: string): string | undefined {
  try {
    return execFileSync('git', [`--git-dir=${gitDir}`, 'rev-parse', '--verify', '--quiet', `${revision}^{commit}`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString('utf8')
      .trim();
  } catch {
    return undefined;
  }
}

/** Whether a repository-relative path lies in a directory the tools never look at. */
export function isInSkippedDirectory(path: string): boolean {
  return path
    .split('/')
    .slice(0, -1)
    .some((part) => skippedDirectories.has(part));
}

/**
 * Blobs of `commit` that `select` keeps (symlinks and directories in `skippedDirectories` never), from `git ls-tree`.
 */
export function listBlobs(gitDir: string, commit: string, select: (blob: TreeBlob) => boolean): TreeBlob[] {
  const out = execFileSync('git', [`--git-dir=${gitDir}`, 'ls-tree', '-r', '-z', '--long', commit], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const blobs: TreeBlob[] = [];
  for (const entry of out.toString('utf8').split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(entry);
    if (!match || match[2] !== 'blob' || match[1] === '120000') continue;
    const [, , , oid, sizeText, path] = match;
    const blob = { path: path!, oid: oid!, size: Number(sizeText) };
    if (!isInSkippedDirectory(blob.path) && select(blob)) blobs.push(blob);
  }
  return blobs;
}

/**
 * Writes the blobs of `commit` that `select` keeps under `target` (once; a marker records completion). Reads blobs
 * with `git cat-file --batch` rather than `git archive`, because mirrors may lack large blobs and an archive stops at
 * the first missing object. Returns the paths written and the blobs that were missing.
 */
export function extractBlobs(
  gitDir: string,
  commit: string,
  target: string,
  select: (blob: TreeBlob) => boolean,
): Extraction {
  const previous = readExtraction(target);
  if (previous?.commit === commit) return previous;
  // Extract into a private directory and move it into place, so a concurrent run never sees half a tree.
  const staging = `${target}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const blobs = listBlobs(gitDir, commit, select);
  const files: string[] = [];
  const missing: string[] = [];
  const batchSize = 500;
  for (let i = 0; i < blobs.length; i += batchSize) {
    const batch = blobs.slice(i, i + batchSize);
    const output = execFileSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch'], {
      input: batch.map((b) => b.oid).join('\n') + '\n',
      maxBuffer: 1024 * 1024 * 1024,
    });
    let offset = 0;
    for (const blob of batch) {
      const headerEnd = output.indexOf(0x0a, offset);
      const header = output.subarray(offset, headerEnd).toString('utf8');
      offset = headerEnd + 1;
      const size = /^[0-9a-f]+ blob (\d+)$/.exec(header);
      if (!size) {
        missing.push(blob.path);
        continue;
      }
      const length = Number(size[1]);
      const full = join(staging, ...blob.path.split('/'));
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, output.subarray(offset, offset + length));
      files.push(blob.path);
      offset += length + 1;
    }
  }
  files.sort();
  const extraction: Extraction = { commit, files, missing };
  writeFileSync(join(staging, extractionMarker), JSON.stringify(extraction));
  if (readExtraction(target)?.commit !== commit) rmSync(target, { recursive: true, force: true });
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another run moved the same commit into place first: use its tree.
    rmSync(staging, { recursive: true, force: true });
    const theirs = readExtraction(target);
    if (theirs?.commit !== commit) throw error;
    return theirs;
  }
  return extraction;
}

/** The marker written by a completed extraction, if `target` holds one. */
function readExtraction(target: string): Extraction | undefined {
  const marker = join(target, extractionMarker);
  if (!existsSync(marker)) return undefined;
  try {
    return JSON.parse(readFileSync(marker, 'utf8')) as Extraction;
  } catch {
    return undefined;
  }
}
