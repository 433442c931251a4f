import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

/**
 * Asks "Send this? [y/N]" before an order-changing command reaches a real broker. Asked only when
 * a person is at the keyboard (stdin and stderr are terminals); scripts, `--yes` and the mock are
 * never asked. Throws CliError ABORTED (exit code 12) unless the answer is yes.
 */
export async function confirmOrderAction(
  context: CommandContext,
  brokerId: string,
  summary: string,
  skip: boolean | undefined,
): Promise<void> {
  const { stdin, stderr } = context.io;
  if (skip || brokerId === 'mock' || stdin.isTTY !== true || stderr.isTTY !== true) return;
  const prompt = createInterface({ input: stdin, output: stderr });
  try {
    const answer = await prompt.question(`${summary} on ${brokerId}. Send it? [y/N] `);
    if (/^y(es)?$/i.test(answer.trim())) return;
  } finally {
    prompt.close();
  }
  throw new CliError('ABORTED', {
    message: 'aborted; nothing was sent',
    hint: 'pass --yes to skip this question',
  });
}
