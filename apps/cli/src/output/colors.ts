import pc from 'picocolors';

/** The colour functions the output uses; identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** What decides whether a stream gets colour. */
export interface ColorSettings {
  /** The stream's `isTTY`. */
  isTTY: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** `--no-color` on the command line. */
  noColorFlag?: boolean;
}

/**
 * Whether to colour a stream: `--no-color` and `NO_COLOR` (any non-empty value, per no-color.org)
 * turn it off, `FORCE_COLOR` (other than `0` or `false`) turns it on, and otherwise only a terminal
 * that is not `TERM=dumb` gets colour. Unlike picocolors' own detection, `CI` alone does not turn
 * colour on: a pipe or a log file never receives escape codes unless asked for.
 */
export function shouldUseColor(settings: ColorSettings): boolean {
  const { env } = settings;
  if (settings.noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return settings.isTTY === true && env.TERM !== 'dumb';
}

/** Colour functions for one stream. */
export function createColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
