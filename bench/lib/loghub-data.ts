import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/cli/csv.js';

/** The ten Loghub-2k systems of the dev set. */
export const LOGHUB_SYSTEMS = [
  'Android',
  'Apache',
  'BGL',
  'HDFS',
  'HPC',
  'OpenSSH',
  'Proxifier',
  'Spark',
  'Windows',
  'Zookeeper',
];

/** The repository's root folder. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the data is read from, in place (research licence: never copied into the repository). */
export const LOGHUB_DIR = process.env.LOGHUB_DIR ?? resolve(REPO_ROOT, '../shared/data/loghub-2k');

/** A system's labelled CSV: its header row and data rows. */
export function readStructured(system: string): { header: string[]; rows: string[][] } {
  const text = readFileSync(
    join(LOGHUB_DIR, system, `${system}_2k.log_structured_corrected.csv`),
    'utf8',
  );
  const [header = [], ...rows] = parseCsv(text);
  return { header, rows };
}
