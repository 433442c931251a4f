import { importInstalledPackage } from '@brokerkit/core';
import { CliError } from '../cli-error.js';

/** Options of `importOptionalPackage`. */
export interface ImportOptionalPackageOptions {
  /** Directories to look from, in order: the user's project (cwd), then the CLI's own install. */
  searchFrom: readonly string[];
  /** What needs the package, for the error message: `"brokerkit sim tws"`. */
  neededBy: string;
}

/**
 * Imports a package the CLI does not depend on (a simulator, a broker plugin's extras) as the
 * user installed it: from their project first, then next to the CLI (a global install with the
 * package installed globally too), with core's `importInstalledPackage` (the lookup the plugin
 * registry uses, which sees past pnpm's strict layout).
 *
 * Throws a CliError (exit code 8) naming the package to install when it is found nowhere, and
 * another when it is installed but fails to load.
 */
export async function importOptionalPackage(
  name: string,
  options: ImportOptionalPackageOptions,
): Promise<Record<string, unknown>> {
  for (const from of options.searchFrom) {
    let loaded: Record<string, unknown> | undefined;
    try {
      loaded = await importInstalledPackage(name, from);
    } catch (error) {
      throw new CliError('PACKAGE_INCOMPATIBLE', {
        message: `${name} is installed but failed to load: ${error instanceof Error ? error.message : String(error)}`,
        hint: `reinstall ${name} with a version that matches this brokerkit`,
        cause: error,
      });
    }
    if (loaded !== undefined) return loaded;
  }
  throw new CliError('PACKAGE_NOT_INSTALLED', {
    message: `${options.neededBy} needs ${name}, which is not installed`,
    hint: `install ${name} (npm install ${name} in your project, or npm install -g ${name} next to a global brokerkit)`,
  });
}
