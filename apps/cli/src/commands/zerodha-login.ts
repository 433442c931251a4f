import { createServer } from 'node:http';
import { isAbsolute, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { revealSecret, type Secret } from '@brokerkit/core';
import type { Command } from 'commander';
import { CliError, usageError } from '../cli-error.js';
import { commandAction, type ProgramState } from '../command-action.js';
import type { CommandContext } from '../command-context.js';
import { upsertEnvFile } from '../config/env-file.js';
import { buildBrokerConfig } from '../config/load-config.js';
import { formatTime } from '../output/format-values.js';
import { importOptionalPackage } from '../plugins/installed-package.js';

/** How long `--listen` waits for the browser to come back from Kite. */
const LISTEN_TIMEOUT_MS = 5 * 60_000;

/**
 * What `brokerkit zerodha login` needs from `@brokerkit/broker-zerodha` (named exports), besides
 * its plugin. Kite's flow: open the login URL, log in, Kite redirects to the app's redirect URL
 * with `request_token`; the token plus the checksum sha256(api_key + request_token + api_secret)
 * buys an access token (POST /session/token) that is valid until about 06:00 IST the next day.
 */
export interface ZerodhaLoginModule {
  /** `https://kite.zerodha.com/connect/login?v=3&api_key=...`. */
  loginUrl(options: { apiKey: string }): string;
  /** Exchanges a request token for a session. */
  createSession(options: {
    apiKey: string;
    apiSecret: string;
    requestToken: string;
  }): Promise<ZerodhaSession>;
}

/** What `createSession` resolves with. */
export interface ZerodhaSession {
  accessToken: Secret | string;
  userId: string;
  userName?: string;
  /** Epoch ms when the token stops working, if the plugin knows. */
  expiresAt?: number;
}

interface LoginFlags {
  requestToken?: string;
  listen?: string;
  saveTo: string;
}

/**
 * `brokerkit zerodha login`: the daily Kite token flow. Prints the login URL, takes the request
 * token (pasted, from `--request-token`, or caught on a loopback redirect with `--listen`),
 * exchanges it and saves `ZERODHA_ACCESS_TOKEN` (and `ZERODHA_USER_ID`) to `.env`. The token is
 * never printed.
 *
 * JSON: `{ "broker": "zerodha", "userId", "savedTo", "expiresAt"? }`.
 */
export function registerZerodhaCommands(program: Command, state: ProgramState): void {
  const zerodha = program.command('zerodha').description('Zerodha (Kite Connect) account tasks');
  zerodha
    .command('login')
    .description("log in to Kite and save the day's access token to .env (needs @brokerkit/broker-zerodha)")
    .option('--request-token <token>', 'the request_token from the redirect URL, if you already have it')
    .option(
      '--listen <port>',
      "catch the redirect on http://127.0.0.1:<port>/ (set that as the Kite app's redirect URL)",
    )
    .option('--save-to <path>', 'dotenv file to write ZERODHA_ACCESS_TOKEN to', '.env')
    .addHelpText(
      'after',
      `
Needs ZERODHA_API_KEY and ZERODHA_API_SECRET (environment, .env, or the "zerodha" section of
brokerkit.config.json). Without --request-token or --listen, paste the URL Kite redirected you
to (or just its request_token) when asked. Kite access tokens expire every morning (about 06:00 IST).`,
    )
    .action(
      commandAction<LoginFlags>(state, async (context, _args, flags) => {
        const plugin = await context.resolver.resolve('zerodha');
        context.errorContext.brokerId = plugin.id;
        const module = await loadLoginModule(context);
        const config = await buildBrokerConfig(await context.sources(), plugin, context.resolver.registry);
        const env = (await context.sources()).env;
        const apiKey = revealSecret(asCredential(config.apiKey)) ?? env.ZERODHA_API_KEY;
        const apiSecret = revealSecret(asCredential(config.apiSecret)) ?? env.ZERODHA_API_SECRET;
        const missing = [apiKey ? '' : 'ZERODHA_API_KEY', apiSecret ? '' : 'ZERODHA_API_SECRET'].filter(
          Boolean,
        );
        if (missing.length > 0) {
          throw usageError(
            `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`,
            'set them in .env, the environment, or the "zerodha" section of brokerkit.config.json',
          );
        }
        const { output } = context;
        // Kite's API key is public by design (it is in the login page's address bar); the secret is not.
        output.redactor.allow(apiKey!);
        output.redactor.addValue(apiSecret);

        const url = module.loginUrl({ apiKey: apiKey! });
        const requestToken = await obtainRequestToken(context, flags, url);
        output.redactor.addValue(requestToken);
        const session = await context.waitFor('creating the Kite session', () =>
          module.createSession({ apiKey: apiKey!, apiSecret: apiSecret!, requestToken }),
        );
        const accessToken = revealSecret(session.accessToken);
        if (!accessToken) {
          throw new CliError('PACKAGE_INCOMPATIBLE', {
            message: '@brokerkit/broker-zerodha returned a session without an access token',
          });
        }
        output.redactor.addValue(accessToken);
        const savedTo = isAbsolute(flags.saveTo) ? flags.saveTo : resolve(context.io.cwd, flags.saveTo);
        const update = await upsertEnvFile(savedTo, {
          ZERODHA_ACCESS_TOKEN: accessToken,
          ...(session.userId ? { ZERODHA_USER_ID: session.userId } : {}),
        });

        output.printJson({
          broker: plugin.id,
          userId: session.userId,
          savedTo,
          ...(session.expiresAt === undefined ? {} : { expiresAt: session.expiresAt }),
        });
        const who = session.userName ? `${session.userId} (${session.userName})` : session.userId;
        output.print(`${output.colors.green('Logged in')} to Zerodha as ${who}.`);
        output.print(
          `ZERODHA_ACCESS_TOKEN saved to ${savedTo}${update.created ? ' (created, mode 600)' : ''}.`,
        );
        if (update.tightenedPermissions)
          output.note(`note: ${savedTo} was readable by other users; it is now mode 600`);
        if (session.expiresAt !== undefined)
          output.print(`The token works until ${formatTime(session.expiresAt)}.`);
        if (context.io.env.ZERODHA_ACCESS_TOKEN !== undefined) {
          output.note(
            'note: ZERODHA_ACCESS_TOKEN is also set in your environment, which wins over .env; unset it to use the new token',
          );
        }
      }),
    );
}

async function loadLoginModule(context: CommandContext): Promise<ZerodhaLoginModule> {
  const module = await importOptionalPackage('@brokerkit/broker-zerodha', {
    searchFrom: context.resolver.searchDirs,
    neededBy: '"brokerkit zerodha login"',
  });
  if (typeof module.loginUrl !== 'function' || typeof module.createSession !== 'function') {
    throw new CliError('PACKAGE_INCOMPATIBLE', {
      message: '@brokerkit/broker-zerodha does not export loginUrl() and createSession()',
      hint: 'install a version of @brokerkit/broker-zerodha that supports "brokerkit zerodha login"',
    });
  }
  return module as unknown as ZerodhaLoginModule;
}

function asCredential(value: unknown): Secret | string | undefined {
  return typeof value === 'string' || (typeof value === 'object' && value !== null)
    ? (value as Secret | string)
    : undefined;
}

async function obtainRequestToken(context: CommandContext, flags: LoginFlags, url: string): Promise<string> {
  if (flags.requestToken !== undefined) return parseRequestToken(flags.requestToken);
  const { output } = context;
  if (flags.listen !== undefined) {
    const port = Number(flags.listen);
    if (!/^\d+$/.test(flags.listen) || port < 1 || port > 65_535) {
      throw usageError(`--listen must be a port (1-65535), got "${flags.listen}"`);
    }
    return catchRedirect(context, port, url);
  }
  output.error(`Open this URL, log in, and copy the address Kite sends you to:\n\n  ${url}\n`);
  return readRequestTokenFromStdin(context);
}

/** Accepts the whole redirect URL or a bare request token. */
function parseRequestToken(input: string): string {
  const text = input.trim();
  if (text.includes('request_token=')) {
    const query = text.slice(text.indexOf('?') + 1);
    const params = new URLSearchParams(query);
    if (params.get('status') !== null && params.get('status') !== 'success') {
      throw usageError(`Kite reported status "${params.get('status')}" instead of success`, 'log in again');
    }
    const token = params.get('request_token');
    if (token) return token;
  }
  if (/^[A-Za-z0-9]+$/.test(text)) return text;
  throw usageError(
    'that is neither a redirect URL with request_token nor a request token',
    'paste the whole URL',
  );
}

function readRequestTokenFromStdin(context: CommandContext): Promise<string> {
  const { stdin, stderr } = context.io;
  if (stdin.isTTY) stderr.write('Redirect URL or request_token: ');
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: stdin });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      try {
        resolvePromise(parseRequestToken(line));
      } catch (error) {
        reject(error);
      }
    });
    lines.once('close', () => {
      if (!answered)
        reject(usageError('no request token given', 'paste the redirect URL, or pass --request-token'));
    });
  });
}

function catchRedirect(context: CommandContext, port: number, url: string): Promise<string> {
  const { output } = context;
  return new Promise((resolvePromise, reject) => {
    const server = createServer((request, response) => {
      const query = new URL(request.url ?? '/', `http://127.0.0.1:${port}`).searchParams;
      if (!query.has('request_token') && !query.has('status')) {
        response.writeHead(404).end();
        return;
      }
      let token: string;
      try {
        token = parseRequestToken(`?${query.toString()}`);
      } catch (error) {
        response
          .writeHead(400, { 'content-type': 'text/plain' })
          .end('brokerkit: login failed; see the terminal.\n');
        finish(() => reject(error));
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('brokerkit: logged in. You can close this tab and return to the terminal.\n');
      finish(() => resolvePromise(token));
    });
    const timer = setTimeout(
      () =>
        finish(() => reject(usageError('no redirect from Kite within 5 minutes', 'run the command again'))),
      LISTEN_TIMEOUT_MS,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      server.close();
      settle();
    };
    server.once('error', (error: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          usageError(
            `cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`,
            'choose another port with --listen and set it as the redirect URL of your Kite app',
          ),
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      output.error(
        `Open this URL and log in; the redirect to http://127.0.0.1:${port}/ is caught here:\n\n  ${url}\n`,
      );
    });
  });
}
