// Command-line entry point: `npm run mock -- --port 4010`. Bad configuration is reported line by
// line on stderr with exit code 2, and nothing starts.

import type { AddressInfo } from 'node:net';
import { parseMockOptions, USAGE } from './cli-options.ts';
import { faultLayers, formatFaultList } from './faults/index.ts';
import { buildMockServer } from './server.ts';

async function main(): Promise<void> {
  const parsed = parseMockOptions(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    for (const error of parsed.errors) process.stderr.write(`${error}\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (parsed.listFaults) {
    process.stdout.write(formatFaultList());
    return;
  }
  const { options, faults } = parsed;
  // The neutral mock with the named variants as layers on top.
  const app = buildMockServer({ ...options, layers: faultLayers(faults) });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    process.stderr.write(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(
    `Emporix customer mock listening on http://${host}:${address.port} (tenants: ${options.tenants.join(', ')})` +
      `${faults.length > 0 ? ` with faults: ${faults.join(', ')}` : ''}\n`,
  );

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
