import { createServer } from 'node:net';

/** The contract `brokerkit sim tws` expects: start listening, report where, and stop on close(). */
export async function startServer(options = {}) {
  const server = createServer((socket) => socket.end());
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7497, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    host: address.address,
    port: address.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
