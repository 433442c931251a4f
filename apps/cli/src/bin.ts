import { run } from './program.js';

/** A plugin that leaves a socket or timer open must not keep the CLI alive once it is done. */
const EXIT_GRACE_MS = 500;

const code = await run(process.argv, {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
process.exitCode = code;
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
