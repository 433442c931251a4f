import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { revealSecret, type Secret } from '@brokerkit/core';
import type { Command } from 'commander';
import { CliError, usageError } from '../cli-error.js';
import { commandAction, type ProgramState } from '../command-action.js';
import type { CommandContext } from '../command-context.js';
import { buildBrokerConfig } from '../config/load-config.js';
import { formatTime } from '../output/format-values.js';
import { importOptionalPackage } from '../plugins/installed-package.js';

/** How long `--listen` waits for the browser to come back from Kite. */
const LISTEN_TIMEOUT_MS = 5 * 60_000;

/**
 * What `brokerkit zerodha login` uses from `@brokerkit/broker-zerodha` besides its plugin. Kite's
 * flow: open the login URL, log in, Kite redirects to the app's redirect URL with `request_token`;
 * that token buys the day's access token, which the plugin's `TokenStore` keeps encrypted
 * (AES-256-GCM, key from BROKERKIT_TOKEN_KEY) until the daily expiry (06:00 IST).
 */
export interface ZerodhaLoginModule {
  createLoginUrl(options: { apiKey: string }): string;
  parseRequestToken(input: string): string;
  exchangeRequestToken(options: {
    apiKey: string;
    apiSecret: Secret | string;
    requestToken: string;
    root?: string;
  }): Promise<{ accessToken: Secret; userId: string; apiKey: string; userName?: string; loginTime: number }>;
  parseTokenKey(value: string | undefined): unknown;
  TokenStore: new (options: {
    path?: string;
    env?: Readonly<Record<string, string | undefined>>;
  }) => {
    readonly path: string;
    save(session: { accessToken: Secret; userId: string; apiKey: string; loginTime?: number }): Promise<{
      expiresAt: number;
    }>;
  };
}

interface LoginFlags {
  requestToken?: string;
  listen?: string;
  tokenFile?: string;
}

/**
 * `brokerkit zerodha login`: the daily Kite token flow. Prints the login URL, takes the request
 * token (pasted, from `--request-token`, or caught on a loopback redirect with `--listen`),
 * exchanges it and stores the access token encrypted at rest with the plugin's `TokenStore`, where
 * `--broker zerodha` finds it for the rest of the day. The token is never printed.
 *
 * JSON: `{ "broker": "zerodha", "userId", "savedTo", "expiresAt" }`.
 */
export function registerZerodhaCommands(program: Command, state: ProgramState): void {
  const zerodha = program.command('zerodha').description('Zerodha (Kite Connect) account tasks');
  zerodha
    .command('login')
    .description(
      "log in to Kite and store the day's access token encrypted (needs @brokerkit/broker-zerodha)",
    )
    .option('--request-token <token>', 'the request_token from the redirect URL, if you already have it')
    .option(
      '--listen <port>',
      "catch the redirect on http://127.0.0.1:<port>/ (set that as the Kite app's redirect URL)",
    )
    .option(
      '--token-file <path>',
      'where to store the encrypted token (default: ZERODHA_TOKEN_FILE, else ~/.brokerkit/zerodha-session.json)',
    )
    .addHelpText(
      'after',
      `
Needs ZERODHA_API_KEY and ZERODHA_API_SECRET (environment, .env, or the "zerodha" section of
brokerkit.config.json) and BROKERKIT_TOKEN_KEY, the 32-byte key the token is encrypted with
(64 hex characters). Without --request-token or --listen, paste the URL Kite redirected you to (or
just its request_token) when asked. Kite access tokens expire every morning (about 06:00 IST).`,
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

        // Refuse before the one-time request token is spent: the store needs its key.
        module.parseTokenKey(env.BROKERKIT_TOKEN_KEY);
        const tokenFile =
          flags.tokenFile ?? (typeof config.tokenFile === 'string' ? config.tokenFile : undefined);
        const store = new module.TokenStore({
          ...(tokenFile === undefined ? {} : { path: resolve(context.io.cwd, tokenFile) }),
          env,
        });
        const url = module.createLoginUrl({ apiKey: apiKey! });
        const requestToken = await obtainRequestToken(context, flags, url, module);
        output.redactor.addValue(requestToken);
        const root = typeof config.root === 'string' ? config.root : undefined;
        const session = await context.waitFor('creating the Kite session', () =>
          module.exchangeRequestToken({
            apiKey: apiKey!,
            apiSecret: apiSecret!,
            requestToken,
            ...(root === undefined ? {} : { root }),
          }),
        );
        output.redactor.addValue(session.accessToken.reveal());
        const saved = await store.save(session);

        output.printJson({
          broker: plugin.id,
          userId: session.userId,
          savedTo: store.path,
          expiresAt: saved.expiresAt,
        });
        const who = session.userName ? `${session.userId} (${session.userName})` : session.userId;
        output.print(`${output.colors.green('Logged in')} to Zerodha as ${who}.`);
        output.print(`The access token is stored encrypted in ${store.path} (mode 600).`);
        output.print(`It works until ${formatTime(saved.expiresAt)}; --broker zerodha uses it until then.`);
        if (context.io.env.ZERODHA_ACCESS_TOKEN !== undefined) {
          output.note(
            'note: ZERODHA_ACCESS_TOKEN is set in your environment and wins over the stored token; unset it to use the new one',
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
  const needed = [
    'createLoginUrl',
    'parseRequestToken',
    'exchangeRequestToken',
    'parseTokenKey',
    'TokenStore',
  ];
  const missing = needed.filter((name) => typeof module[name] !== 'function');
  if (missing.length > 0) {
    throw new CliError('PACKAGE_INCOMPATIBLE', {
      message: `@brokerkit/broker-zerodha does not export ${missing.join(', ')}`,
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

async function obtainRequestToken(
  context: CommandContext,
  flags: LoginFlags,
  url: string,
  module: ZerodhaLoginModule,
): Promise<string> {
  const parseRequestToken = (input: string) => parsePasted(input, module);
  if (flags.requestToken !== undefined) return parseRequestToken(flags.requestToken);
  const { output } = context;
  if (flags.listen !== undefined) {
    const port = Number(flags.listen);
    if (!/^\d+$/.test(flags.listen) || port < 1 || port > 65_535) {
      throw usageError(`--listen must be a port (1-65535), got "${flags.listen}"`);
    }
    return catchRedirect(context, port, url, module);
  }
  output.error(`Open this URL, log in, and copy the address Kite sends you to:\n\n  ${url}\n`);
  return readRequestTokenFromStdin(context, module);
}

/** Accepts the whole redirect URL or a bare request token (the plugin's parser), as a usage error if neither. */
function parsePasted(input: string, module: ZerodhaLoginModule): string {
  try {
    return module.parseRequestToken(input);
  } catch (error) {
    throw usageError(
      error instanceof Error ? error.message : String(error),
      'paste the whole URL Kite redirected you to',
    );
  }
}

function readRequestTokenFromStdin(context: CommandContext, module: ZerodhaLoginModule): Promise<string> {
  const { stdin, stderr } = context.io;
  if (stdin.isTTY) stderr.write('Redirect URL or request_token: ');
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: stdin });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      try {
        resolvePromise(parsePasted(line, module));
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

function catchRedirect(
  context: CommandContext,
  port: number,
  url: string,
  module: ZerodhaLoginModule,
): Promise<string> {
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
        token = parsePasted(`http://127.0.0.1:${port}/?${query.toString()}`, module);
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
