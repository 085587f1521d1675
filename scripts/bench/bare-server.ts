// The baseline for the mock's throughput: a bare node:http server in its own process that answers
// every request with one fixed JSON body, as large as the mock's GET /customer/{tenant}/me answer.
// Usage: node --import tsx scripts/bench/bare-server.ts <bytes>; prints the port it listens on.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const bytes = Number(process.argv[2] ?? '512');
if (!Number.isInteger(bytes) || bytes < 16 || bytes > 1_000_000) {
  process.stderr.write(`body size must be an integer from 16 to 1000000 bytes, got '${process.argv[2]}'\n`);
  process.exit(2);
}

// {"id":"...","padding":"xxx"} padded to exactly `bytes` bytes.
const skeleton = JSON.stringify({ id: 'C000001', padding: '' });
const body = Buffer.from(
  JSON.stringify({ id: 'C000001', padding: 'x'.repeat(Math.max(0, bytes - skeleton.length)) }),
);

const server = createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
  });
  response.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`bare server listening on http://127.0.0.1:${port} (${body.length} bytes)\n`);
});

const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
