// Counts the round trips the engine recognises in extracted repositories without and with the TypeScript checker, and
// lists those only the checker finds (file:line, library.Type.method, receiver) for reading by hand.
// Usage: node --import tsx scripts/typesGain.ts DIR... [--sample N]   (DIR: a repository extracted by scripts/sweep.ts)
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverFiles } from '../server/workspace';
import { FileSet } from '../rules/analysis/fileSet';
import { ProjectAnalysis } from '../rules/analysis/projectAnalysis';
import { libraryForPackage } from '../rules/analysis/typeOracle';
import { defaultConfig } from '../rules/analysis/config';
import { positionAt } from '../rules/analysis/sourceFile';
import { loadKnowledge } from '../rules/knowledge';
import { ProgramOracle } from '../server/engine/typeChecker';

/** Every round trip of the repository as `file:line library.Type.method (receiver)`. */
function roundTrips(root: string, types: boolean): { trips: Set<string>; stats?: unknown } {
  const knowledge = loadKnowledge();
  const files = new FileSet();
  const discovery = discoverFiles(['.'], { root });
  for (const file of discovery.files) files.upsert(file.path, file.text);
  const oracle = types
    ? new ProgramOracle(
        () => [...files.all()].map((f) => f.path),
        (path) => files.get(path)?.sourceFile,
        (name) => libraryForPackage(knowledge, name) !== undefined,
        root,
      )
    : undefined;
  const analysis = new ProjectAnalysis(files, knowledge, defaultConfig, oracle);
  const trips = new Set<string>();
  for (const file of files.all()) {
    for (const trip of analysis.roundTrips.inFile(file)) {
      const line = positionAt(file, trip.call.getStart(file.sourceFile)).line + 1;
      trips.add(`${relative(root, file.path)}:${line} ${trip.typeName}.${trip.method} (${trip.receiverText})`);
    }
  }
  return { trips, stats: oracle?.stats() };
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { sample: { type: 'string', default: '10' } },
    allowPositionals: true,
  });
  for (const dir of positionals) {
    const without = roundTrips(dir, false).trips;
    const withTypes = roundTrips(dir, true);
    const gained = [...withTypes.trips].filter((t) => !without.has(t));
    const lost = [...without].filter((t) => !withTypes.trips.has(t));
    console.log(
      `${dir}: ${without.size} round trips without types, ${withTypes.trips.size} with (+${gained.length}, -${lost.length}); checker ${JSON.stringify(withTypes.stats)}`,
    );
    // An even spread over the sorted list, so every part of the repository is represented.
    const n = Math.min(Number(values.sample), gained.length);
    for (let i = 0; i < n; i++) console.log(`  + ${gained[Math.floor((i * gained.length) / n)]}`);
    for (const trip of lost.slice(0, 5)) console.log(`  - ${trip}`);
  }
}

main();
