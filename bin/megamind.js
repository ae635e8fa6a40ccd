#!/usr/bin/env node
// In a clone (src/ beside bin/) the TypeScript source runs through tsx, so a stale dist/ from an
// earlier build is never what runs; an installed package ships only the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A reader that stops early (`megamind analyze < big.jsonl | head`) closes the pipe: that is the
// end of the output, not an error to print with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const source = new URL('../src/cli/cli.ts', import.meta.url);
const io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
};
let cli;
if (existsSync(fileURLToPath(source))) {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport(source.href, import.meta.url);
} else {
  cli = await import('../dist/cli/cli.js');
}
process.exitCode = await cli.runCli(process.argv.slice(2), io);
