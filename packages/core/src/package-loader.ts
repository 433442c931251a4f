import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type ExportsField = string | null | { [key: string]: ExportsField } | ExportsField[];

const CONDITIONS = ['import', 'node', 'module', 'default'];

/**
 * Imports an installed package as the application sees it: looks for
 * `node_modules/<name>` from `fromDir` upwards (as Node and ESLint's plugin loader do), so a
 * package the application installed is found even though core itself does not depend on it
 * (pnpm's strict layout would hide it from a plain `import()` inside core). Resolves `undefined`
 * when the package is not installed; rejects when it is installed but fails to load.
 */
export async function importInstalledPackage(
  name: string,
  fromDir: string,
): Promise<Record<string, unknown> | undefined> {
  let dir = resolve(fromDir);
  for (;;) {
    const packageDir = join(dir, 'node_modules', ...name.split('/'));
    const manifest = await readManifest(packageDir);
    if (manifest !== undefined) {
      const entry = entryPoint(manifest);
      return (await import(pathToFileURL(join(packageDir, entry)).href)) as Record<string, unknown>;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function readManifest(packageDir: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      return undefined;
    }
    throw error;
  }
}

function entryPoint(manifest: Record<string, unknown>): string {
  const exportsField = manifest.exports as ExportsField | undefined;
  if (exportsField !== undefined) {
    const root =
      typeof exportsField === 'object' &&
      exportsField !== null &&
      !Array.isArray(exportsField) &&
      '.' in exportsField
        ? exportsField['.']
        : exportsField;
    const target = pickCondition(root ?? null);
    if (target !== undefined) return target;
  }
  if (typeof manifest.module === 'string') return manifest.module;
  if (typeof manifest.main === 'string') return manifest.main;
  return 'index.js';
}

function pickCondition(field: ExportsField): string | undefined {
  if (typeof field === 'string') return field;
  if (field === null) return undefined;
  if (Array.isArray(field)) {
    for (const item of field) {
      const target = pickCondition(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  for (const condition of CONDITIONS) {
    const value = field[condition];
    if (value !== undefined) {
      const target = pickCondition(value);
      if (target !== undefined) return target;
    }
  }
  return undefined;
}
