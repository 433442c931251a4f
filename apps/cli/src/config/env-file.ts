import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What `upsertEnvFile` did. */
export interface EnvFileUpdate {
  path: string;
  created: boolean;
  /** True when the file was readable by other users and is now 0600. */
  tightenedPermissions: boolean;
}

/**
 * Sets variables in a dotenv file, replacing existing assignments in place and appending new
 * ones, keeping every other line (comments, order) as it was. The file is written to a temporary
 * file and renamed over the old one, so a crash never leaves half a file; it ends up readable by
 * its owner only (0600), because it now holds a credential.
 */
export async function upsertEnvFile(
  path: string,
  values: Readonly<Record<string, string>>,
): Promise<EnvFileUpdate> {
  let text = '';
  let created = false;
  let mode = 0o600;
  try {
    text = await readFile(path, 'utf8');
    mode = (await stat(path)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    created = true;
  }
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  for (const [name, value] of Object.entries(values)) {
    const assignment = `${name}=${quote(value)}`;
    const pattern = new RegExp(`^\\s*(export\\s+)?${name}\\s*=`);
    const index = lines.findIndex((line) => pattern.test(line));
    if (index === -1) lines.push(assignment);
    else lines[index] = assignment;
  }
  const tightenedPermissions = !created && (mode & 0o077) !== 0 && process.platform !== 'win32';
  const finalMode = created || tightenedPermissions ? 0o600 : mode;
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temporary, `${lines.join('\n')}\n`, { mode: finalMode });
  await chmod(temporary, finalMode);
  await rename(temporary, path);
  return { path, created, tightenedPermissions };
}

function quote(value: string): string {
  return /^[A-Za-z0-9_./:@+-]*$/.test(value) ? value : JSON.stringify(value);
}
