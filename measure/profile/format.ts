// The profile's text report: the hottest functions by self time with their source position.
import { relative } from 'node:path';
import type { ProfileResult } from './profile';

export function formatProfileText(result: ProfileResult, cwd: string): string {
  const show = (file: string) => (file.startsWith('/') ? relative(cwd, file) || file : file);
  const lines = [
    `${result.target}: ${(result.durationMs / 1000).toFixed(1)} s profiled (${result.samples} samples, busy ${(result.busyMs / 1000).toFixed(1)} s)` +
      (result.stoppedBy === 'exit' ? ', the script ended' : ''),
    '',
    '   self ms  self %   total ms  function',
  ];
  for (const f of result.hotFunctions) {
    const where = f.file
      ? `  ${show(f.file)}:${f.line}${f.hotLine && f.hotLine !== f.line ? ` (hot line ${f.hotLine})` : ''}`
      : '';
    lines.push(
      `${f.selfMs.toFixed(1).padStart(10)} ${f.selfPercent.toFixed(1).padStart(6)} % ${f.totalMs.toFixed(1).padStart(10)}  ${f.name}${where}`,
    );
  }
  if (result.profilePath)
    lines.push('', `CPU profile saved to ${result.profilePath} (open it in VS Code for the flame chart)`);
  return `${lines.join('\n')}\n`;
}
