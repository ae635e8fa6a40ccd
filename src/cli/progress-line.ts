/** Where a progress line is drawn: stderr, which may be a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options of {@link ProgressLine}. */
export interface ProgressOptions {
  /** What is being done, e.g. `exporting`. */
  label: string;
  /** What is counted, e.g. `patterns`. */
  unit: string;
  /** How many there are, when known: then a bar and a percentage are drawn. */
  total?: number;
  /** Report even when `stream` is not a terminal (`--progress`), one line per tenth. @default false */
  force?: boolean;
}

const BAR_WIDTH = 24;

/**
 * A progress report for long CLI work, on stderr so that stdout stays clean for what a script reads
 * (a pattern pack, JSON). On a terminal it is one line redrawn in place; elsewhere it is silent
 * unless forced, and then writes a line each time another tenth is done, so logs stay short.
 */
export class ProgressLine {
  readonly #stream: ProgressStream;
  readonly #options: ProgressOptions;
  readonly #tty: boolean;
  readonly #enabled: boolean;
  #total: number | undefined;
  #done = 0;
  #shown: string | undefined;
  #finished = false;

  constructor(stream: ProgressStream, options: ProgressOptions) {
    this.#stream = stream;
    this.#options = options;
    this.#tty = stream.isTTY === true;
    this.#enabled = this.#tty || options.force === true;
    this.#total = options.total;
  }

  /** Sets how many are done (and how many there are, once known). */
  update(done: number, total?: number): void {
    if (total !== undefined) this.#total = total;
    this.#done = done;
    this.#draw(false);
  }

  /** Draws the last state and ends the line. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#draw(true);
  }

  #draw(final: boolean): void {
    if (!this.#enabled) return;
    const { label, unit } = this.#options;
    const total = this.#total;
    const done = total === undefined ? this.#done : Math.min(this.#done, total);
    // The step decides when to write: a new count of tenths off a terminal, a new percent on one.
    const fraction = total === undefined || total === 0 ? undefined : done / total;
    const step =
      fraction === undefined ? String(done) : String(Math.floor(fraction * (this.#tty ? 100 : 10)));
    // Off a terminal a line once written stays: the final state is not written twice.
    if (step === this.#shown && !(final && this.#tty)) return;
    this.#shown = step;
    let text = `${label} ${done}${total === undefined ? '' : `/${total}`} ${unit}`;
    if (fraction !== undefined) {
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
      text = `${label} [${bar}] ${Math.floor(fraction * 100)}% ${done}/${total} ${unit}`;
    }
    if (this.#tty) this.#stream.write(`\r\x1b[2K${text}${final ? '\n' : ''}`);
    else this.#stream.write(`${text}\n`);
  }
}
