// npm run mutate [-- <group> …]: mutation testing (StrykerJS) of the Lambda code, one group of
// test/mutation/groups.mjs at a time (all of them, in order, by default), then each group's time and
// score and each file's score below the targets. Reports: reports/mutation/<group>.{html,json}.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GROUPS } from '../test/mutation/groups.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in GROUPS));
if (unknown.length) {
  console.error(`no mutation group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}

interface MutantReport {
  files: Record<string, { mutants: { status: string }[] }>;
}
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Stryker's mutation score: detected / (detected + undetected); compile errors and ignored mutants do not count. */
function score(mutants: { status: string }[]): number | undefined {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
  return valid ? (100 * detected) / valid : undefined;
}

const summary: string[] = [];
let failed = false;
const started = performance.now();
for (const group of asked.length ? asked : Object.keys(GROUPS)) {
  const groupStart = performance.now();
  console.log(`\n=== mutation group ${group}`);
  const run = spawnSync(`${root}node_modules/.bin/stryker`, ['run'], { cwd: root, stdio: 'inherit', env: { ...process.env, MUTATE_GROUP: group } });
  const minutes = ((performance.now() - groupStart) / 60_000).toFixed(1);
  if (run.status !== 0) {
    failed = true;
    summary.push(`${group.padEnd(16)} ${minutes.padStart(5)} min  FAILED (exit ${run.status})`);
    continue;
  }
  const report = JSON.parse(readFileSync(`${root}reports/mutation/${group}.json`, 'utf8')) as MutantReport;
  const files = Object.entries(report.files);
  const all = score(files.flatMap(([, file]) => file.mutants));
  summary.push(`${group.padEnd(16)} ${minutes.padStart(5)} min  ${all === undefined ? '-' : `${all.toFixed(1)} %`}`);
  for (const [name, file] of files) {
    const s = score(file.mutants);
    if (s !== undefined && s < 85) summary.push(`    ${s.toFixed(1).padStart(5)} %  ${name}`);
  }
}
console.log(`\nmutation score by group (files under 85 % listed), ${((performance.now() - started) / 60_000).toFixed(1)} min in all:`);
for (const line of summary) console.log(line);
if (failed) process.exit(1);
