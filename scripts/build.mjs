// Builds dist/: compiled JavaScript and declarations (tsc), then the SQL migrations beside the
// compiled stores, which load them relative to their own file.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(`${root}/dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}/tsconfig.build.json`], { stdio: 'inherit' });
// Each engine's own migrations, and the templates both share (src/store/migrations).
for (const folder of ['sqlite/migrations', 'postgres/migrations', 'migrations']) {
  cpSync(`${root}/src/store/${folder}`, `${root}/dist/store/${folder}`, {
    recursive: true,
    filter: (source) => !source.includes('.') || source.endsWith('.sql'),
  });
}
