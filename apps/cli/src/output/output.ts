import type { Writable } from 'node:stream';
import { type Colors, createColors, shouldUseColor } from './colors.js';
import { Redactor } from './redactor.js';
import { canSpin, startSpinner } from './spinner.js';

/** A stream plus what a terminal-aware writer needs to know about it (process.stdout, a pipe, a test stream). */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; writableEnded?: boolean };

/** Options of `Output`. */
export interface OutputOptions {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** `--json`: results go to stdout as JSON, nothing else does. */
  json: boolean;
  /** `--no-color`. */
  noColor?: boolean;
}

/**
 * Everything a command writes goes through here: results on stdout (tables, or JSON with
 * `--json`), notes, spinners and errors on stderr. Colour is decided per stream, and every line
 * passes through the `Redactor` so a known secret is never printed.
 */
export class Output {
  readonly json: boolean;
  /** Colours for stdout. */
  readonly colors: Colors;
  /** Colours for stderr. */
  readonly errorColors: Colors;
  readonly redactor = new Redactor();
  readonly #stdout: OutputStream;
  readonly #stderr: OutputStream;
  readonly #spinnerEnabled: boolean;
  #jsonWritten = false;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.#stdout = options.stdout;
    this.#stderr = options.stderr;
    const noColorFlag = options.noColor ?? false;
    this.colors = createColors(
      shouldUseColor({ isTTY: options.stdout.isTTY, env: options.env, noColorFlag }),
    );
    this.errorColors = createColors(
      shouldUseColor({ isTTY: options.stderr.isTTY, env: options.env, noColorFlag }),
    );
    this.#spinnerEnabled = canSpin(options.stderr, options.env);
  }

  /** Writes a human result block to stdout (skipped with `--json`). */
  print(text: string): void {
    if (this.json) return;
    this.#stdout.write(`${this.redactor.redact(text)}\n`);
  }

  /** Writes a command's JSON result to stdout (only with `--json`). */
  printJson(value: unknown): void {
    if (!this.json) return;
    this.writeJson(value);
  }

  /** Whether a JSON document was written to stdout already (stdout carries exactly one). */
  get jsonWritten(): boolean {
    return this.#jsonWritten;
  }

  /** Writes JSON to stdout regardless of mode (error objects under `--json`). */
  writeJson(value: unknown): void {
    this.#jsonWritten = true;
    this.#stdout.write(`${this.redactor.redact(JSON.stringify(value, null, 2))}\n`);
  }

  /** A side remark for humans on stderr (dimmed); never mixed into results, silent with `--json`. */
  note(text: string): void {
    if (this.json) return;
    this.#stderr.write(`${this.redactor.redact(this.errorColors.dim(text))}\n`);
  }

  /** Writes a line to stderr as is (error lines, stack traces). */
  error(text: string): void {
    this.#stderr.write(`${this.redactor.redact(text)}\n`);
  }

  /** Runs `task` with a spinner on stderr when stderr is a terminal. */
  async withSpinner<T>(text: string, task: () => Promise<T>): Promise<T> {
    const spinner = startSpinner(this.#stderr as Writable, text, this.#spinnerEnabled);
    try {
      return await task();
    } finally {
      spinner.stop();
    }
  }

  /** Resolves once everything written so far has been handed to the OS (before `process.exit`). */
  async flush(): Promise<void> {
    await Promise.all(
      [this.#stdout, this.#stderr].map(
        (stream) =>
          new Promise<void>((resolve) =>
            stream.writableEnded ? resolve() : stream.write('', () => resolve()),
          ),
      ),
    );
  }
}
