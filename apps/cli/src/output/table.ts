import type { Colors } from './colors.js';

/** One column of a table. Numbers read best right-aligned. */
export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

// Escape sequences take no room on screen; widths are measured without them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC of colour codes is the point.
const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

/** Width of a string on screen, ignoring colour codes. */
export function visibleWidth(text: string): number {
  return text.replace(ANSI_PATTERN, '').length;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Renders rows under a bold header with columns aligned and two spaces between them. Cells may
 * already be coloured. Returns the lines joined with `\n`, with no trailing newline; trailing
 * spaces are trimmed so the output diffs cleanly.
 *
 * @example
 * renderTable([{ header: 'SYMBOL' }, { header: 'QTY', align: 'right' }], [['AAPL', '100']], colors);
 * // SYMBOL  QTY
 * // AAPL    100
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  colors: Colors,
): string {
  const widths = columns.map((column, index) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => pad(cells[index] ?? '', widths[index] ?? 0, column.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const header = colors.bold(line(columns.map((column) => column.header)));
  return [header, ...rows.map(line)].join('\n');
}

/**
 * Renders label/value pairs as two aligned columns, labels dimmed: the human form of one record
 * (a balance, an order).
 */
export function renderDetails(pairs: readonly (readonly [string, string])[], colors: Colors): string {
  const width = Math.max(0, ...pairs.map(([label]) => visibleWidth(label)));
  return pairs
    .map(([label, value]) => `${colors.dim(pad(label, width, 'left'))}  ${value}`.trimEnd())
    .join('\n');
}
