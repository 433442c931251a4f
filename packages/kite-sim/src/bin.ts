import { HELP, optionsFromArgs } from './cli-options.js';
import { type KiteSimOptions, startKiteSim } from './kite-sim.js';

async function main(): Promise<void> {
  let options: KiteSimOptions | 'help';
  try {
    options = optionsFromArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`kite-sim: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const sim = await startKiteSim(options);
  // Secrets (api_secret, access tokens) are never printed.
  process.stdout.write(
    `kite-sim listening: root ${sim.root} ticker ${sim.tickerRoot} api_key ${sim.apiKey}${
      sim.accessToken === undefined ? '' : ' (access token from --access-token accepted)'
    }\n`,
  );
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`kite-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
