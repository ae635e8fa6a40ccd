/**
 * Ends a command with an exit code after it has already said, line by line, what was wrong
 * (e.g. `megamind analyze` naming each malformed input line): `runCli` prints nothing more.
 */
export class CommandExit extends Error {
  override name = 'CommandExit';
  readonly exitCode: number;

  constructor(exitCode: number) {
    super(`exit code ${exitCode}`);
    this.exitCode = exitCode;
  }
}
