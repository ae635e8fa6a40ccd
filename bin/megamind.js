#!/usr/bin/env node
// Runs the compiled CLI when the package is built, the TypeScript source (through tsx) otherwise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/cli.js', import.meta.url);
const io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: process.stdin,
  stdout: process.stdout,
};
let cli;
if (existsSync(fileURLToPath(compiled))) {
  cli = await import(compiled.href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport('../src/cli/cli.ts', import.meta.url);
}
process.exitCode = await cli.runCli(process.argv.slice(2), io);
