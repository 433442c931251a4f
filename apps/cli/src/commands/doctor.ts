import { stat } from 'node:fs/promises';
import {
  AuthenticationError,
  type Broker,
  type BrokerPlugin,
  createBroker,
  isSecretKey,
} from '@brokerkit/core';
import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import type { CommandContext } from '../command-context.js';
import {
  type BrokerSelection,
  type ConfigSources,
  secretKeysInConfigFile,
  selectBroker,
} from '../config/load-config.js';
import { ExitCode } from '../exit-codes.js';
import { describeError } from '../output/error-report.js';
import { renderTable } from '../output/table.js';

/** How a check came out. `skip`: not run because an earlier check failed. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of `brokerkit doctor`. */
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do about a warning or failure. */
  fix?: string;
  /** Exit code a failure maps to (not printed). */
  exitCode?: ExitCode;
}

const LATENCY_SAMPLES = 5;
const LATENCY_WARN_MS = 1_000;
const CLOCK_WARN_MS = 2_000;
const CLOCK_FAIL_MS = 30_000;

/**
 * `brokerkit doctor`: checks the setup end to end (Node, config file, .env, broker choice, plugin,
 * config, connection, session, latency, clock) and says what to fix. Never places an order: the
 * broker is created read-only.
 *
 * JSON: `{ "broker": "mock", "ok": true, "checks": [{ "name", "status": "ok"|"warn"|"fail"|"skip",
 * "message", "fix"? }] }`. Exit code: 0 unless a check failed; then the code of the first failure.
 */
export function registerDoctorCommand(program: Command, state: ProgramState): void {
  program
    .command('doctor')
    .description('check config, connectivity, session, latency and clock, and say what to fix')
    .action(
      commandAction(state, async (context) => {
        const checks = await runChecks(context);
        const { output } = context;
        const failed = checks.find((check) => check.status === 'fail');
        output.printJson({
          broker: context.errorContext.brokerId ?? context.errorContext.requestedBroker ?? null,
          ok: failed === undefined,
          checks: checks.map(({ exitCode: _exitCode, ...check }) => check),
        });
        const colors = output.colors;
        const paint = { ok: colors.green, warn: colors.yellow, fail: colors.red, skip: colors.dim } as const;
        const rows = checks.flatMap((check) => {
          const line = [paint[check.status](check.status), check.name, check.message];
          return check.fix === undefined ? [line] : [line, ['', '', colors.dim(`fix: ${check.fix}`)]];
        });
        output.print(
          renderTable([{ header: 'STATUS' }, { header: 'CHECK' }, { header: 'RESULT' }], rows, colors),
        );
        const counts = (['ok', 'warn', 'fail', 'skip'] as const)
          .map((status) => [status, checks.filter((check) => check.status === status).length] as const)
          .filter(([, count]) => count > 0)
          .map(([status, count]) => `${count} ${status}`);
        output.print(
          `\n${failed === undefined ? colors.green('ready') : colors.red('not ready')}: ${counts.join(', ')}`,
        );
        return failed?.exitCode ?? ExitCode.OK;
      }),
    );
}

async function runChecks(context: CommandContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [checkNode()];
  const skipRest = (names: string[], reason: string) => {
    for (const name of names) checks.push({ name, status: 'skip', message: reason });
  };
  const later = ['broker', 'plugin', 'config', 'connection', 'session', 'latency', 'clock'];

  let sources: ConfigSources;
  try {
    sources = await context.sources();
  } catch (error) {
    checks.push(failure('config file', error));
    skipRest(['.env', ...later], 'needs a readable config');
    return checks;
  }
  checks.push(await checkConfigFile(sources), await checkEnvFile(sources));

  let selection: BrokerSelection;
  try {
    selection = selectBroker(sources, context.globals.broker);
    context.errorContext.requestedBroker = selection.name;
    const source = selection.source === 'default' ? 'the default' : `from ${selection.source}`;
    checks.push({ name: 'broker', status: 'ok', message: `${selection.name} (${source})` });
  } catch (error) {
    checks.push(failure('broker', error));
    skipRest(later.slice(1), 'needs a broker');
    return checks;
  }

  let plugin: BrokerPlugin;
  try {
    plugin = await context.resolver.resolve(selection.name);
    checks.push({
      name: 'plugin',
      status: 'ok',
      message: `${plugin.displayName} (id ${plugin.id}, contract v${plugin.contractVersion})`,
    });
  } catch (error) {
    checks.push(failure('plugin', error));
    skipRest(later.slice(2), 'needs the plugin');
    return checks;
  }

  let broker: Broker;
  try {
    const { config } = await context.brokerConfig();
    broker = await createBroker(config, {
      registry: context.resolver.registry,
      cwd: context.io.cwd,
      readonly: true,
      timeouts: context.timeouts(),
    });
    const keys = Object.keys(config).filter((key) => key !== 'broker');
    checks.push({
      name: 'config',
      status: 'ok',
      // Key names only: values may be secrets.
      message: keys.length === 0 ? 'valid (all defaults)' : `valid (${keys.sort().join(', ')})`,
    });
  } catch (error) {
    checks.push(failure('config', error, plugin.id));
    skipRest(later.slice(3), 'needs a valid config');
    return checks;
  }

  try {
    const started = performance.now();
    await context.waitFor(`connecting to ${plugin.displayName}`, () => broker.connect());
    checks.push({ name: 'connection', status: 'ok', message: `connected in ${elapsed(started)} ms` });
  } catch (error) {
    checks.push(failure('connection', error, plugin.id));
    skipRest(['session', 'latency', 'clock'], 'needs a connection');
    return checks;
  }

  try {
    try {
      await context.waitFor('checking the session', () => broker.getAccountBalance());
      checks.push({ name: 'session', status: 'ok', message: 'authenticated; the account answers' });
    } catch (error) {
      checks.push(failure('session', error, plugin.id));
      skipRest(['latency', 'clock'], 'needs a valid session');
      return checks;
    }
    checks.push(await checkLatency(context, broker), await checkClock(broker, plugin.id));
  } finally {
    await broker.disconnect().catch(() => {});
  }
  return checks;
}

function checkNode(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { name: 'node', status: 'ok', message: `Node ${process.version}` }
    : {
        name: 'node',
        status: 'fail',
        message: `Node ${process.version} is too old`,
        fix: 'install Node 20 or newer',
        exitCode: ExitCode.UNEXPECTED,
      };
}

async function checkConfigFile(sources: ConfigSources): Promise<DoctorCheck> {
  const { configFile } = sources;
  if (!configFile.found) {
    return { name: 'config file', status: 'ok', message: `none (${configFile.path} is optional)` };
  }
  const sections = Object.keys(configFile.content?.sections ?? {});
  const message = `${configFile.path}${sections.length > 0 ? ` (sections: ${sections.join(', ')})` : ''}`;
  const secrets = secretKeysInConfigFile(configFile.content);
  if (secrets.length > 0 && (await readableByOthers(configFile.path))) {
    return {
      name: 'config file',
      status: 'warn',
      message: `${message} holds secrets (${secrets.join(', ')}) and other users can read it`,
      fix: `chmod 600 ${configFile.path}, or move the secrets to .env or the environment`,
    };
  }
  return { name: 'config file', status: 'ok', message };
}

async function checkEnvFile(sources: ConfigSources): Promise<DoctorCheck> {
  const { envFile } = sources;
  if (!envFile.found) return { name: '.env', status: 'ok', message: 'none (optional)' };
  const names = Object.keys(envFile.values);
  const shadowed = names.filter((name) => sources.processEnv[name] !== undefined);
  const message =
    `${envFile.path} (${names.length} variable${names.length === 1 ? '' : 's'})` +
    (shadowed.length > 0 ? `; the environment overrides ${shadowed.join(', ')}` : '');
  if ((await readableByOthers(envFile.path)) && names.some(isSecretKey)) {
    return {
      name: '.env',
      status: 'warn',
      message: `${message}; holds secrets and other users can read it`,
      fix: `chmod 600 ${envFile.path}`,
    };
  }
  return { name: '.env', status: 'ok', message };
}

async function checkLatency(context: CommandContext, broker: Broker): Promise<DoctorCheck> {
  const samples: number[] = [];
  try {
    await context.waitFor('measuring latency', async () => {
      for (let index = 0; index < LATENCY_SAMPLES; index++) {
        const started = performance.now();
        await broker.getOpenOrders();
        samples.push(performance.now() - started);
      }
    });
  } catch (error) {
    return failure('latency', error, broker.id);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const max = samples[samples.length - 1]!;
  const message = `median ${Math.round(median)} ms, max ${Math.round(max)} ms over ${samples.length} calls`;
  return median < LATENCY_WARN_MS
    ? { name: 'latency', status: 'ok', message }
    : {
        name: 'latency',
        status: 'warn',
        message: `${message} (slow)`,
        fix: 'check the network path to the broker; run brokerkit close to TWS / Gateway',
      };
}

/** Optional plugin method, not (yet) part of core's Broker contract: the broker's clock in epoch ms. */
interface ServerClock {
  serverTime(): Promise<number>;
}

async function checkClock(broker: Broker, brokerId: string): Promise<DoctorCheck> {
  const offsetMinutes = -new Date().getTimezoneOffset();
  const zone = `UTC${offsetMinutes >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`;
  const local = `${new Date().toISOString()} (local zone ${zone})`;
  if (brokerId === 'mock') {
    return { name: 'clock', status: 'ok', message: `${local}; the mock runs on this machine's clock` };
  }
  const clock = broker as Partial<ServerClock>;
  if (typeof clock.serverTime !== 'function') {
    return {
      name: 'clock',
      status: 'warn',
      message: `${local}; the ${brokerId} plugin does not report the broker's time, so the skew is unknown`,
      fix: 'keep this machine synced with NTP (e.g. timedatectl status shows "System clock synchronized: yes")',
    };
  }
  try {
    const before = Date.now();
    const server = await clock.serverTime();
    const after = Date.now();
    const skew = server - (before + after) / 2;
    const text = `${local}; ${Math.abs(Math.round(skew))} ms ${skew >= 0 ? 'behind' : 'ahead of'} the broker`;
    if (Math.abs(skew) < CLOCK_WARN_MS) return { name: 'clock', status: 'ok', message: text };
    const fix = 'sync this machine with NTP: order timestamps, DAY expiry and session checks depend on it';
    return Math.abs(skew) < CLOCK_FAIL_MS
      ? { name: 'clock', status: 'warn', message: text, fix }
      : { name: 'clock', status: 'fail', message: text, fix, exitCode: ExitCode.UNEXPECTED };
  } catch (error) {
    return failure('clock', error, brokerId);
  }
}

function failure(name: string, error: unknown, brokerId?: string): DoctorCheck {
  const report = describeError(error, brokerId === undefined ? {} : { brokerId });
  let fix = report.hint;
  if (AuthenticationError.isInstance(error) && brokerId === 'zerodha') {
    fix = 'run "brokerkit zerodha login" (Kite access tokens expire every day)';
  }
  return {
    name,
    status: 'fail',
    message: report.message,
    ...(fix === undefined ? {} : { fix }),
    exitCode: report.exitCode,
  };
}

async function readableByOthers(path: string): Promise<boolean> {
  if (process.platform === 'win32') return false;
  try {
    return ((await stat(path)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
