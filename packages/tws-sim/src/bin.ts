import { runCli } from './cli-options.js';

runCli(process.argv.slice(2), process.stdout, process.stderr).then(
  (result) => {
    if (typeof result === 'number') {
      process.exitCode = result;
      return;
    }
    const stop = () => {
      result.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (error: unknown) => {
    process.stderr.write(`tws-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
