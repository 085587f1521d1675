// The mock figure: requests per second and latency of the mock CLI (its own process, port 0) under
// autocannon (this process), for the tutorial's first steps, against a bare node:http server in its
// own process answering a JSON body as large as the mock's GET /me answer.
import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, stopProcess, waitForLine } from './processes.ts';
import { round } from './suite.ts';

export const TENANT = 'mocktenant';
export const STOREFRONT_CLIENT_ID = 'mock-storefront-client';
export const SEED = { email: 'seed.customer@example.com', password: 'Seed-Passw0rd!' } as const;
export const MOCK_GOAL = { minRatioToBare: 0.5 } as const;

export interface LoadOptions {
  /** Seconds measured per endpoint. */
  duration: number;
  /** Seconds of unmeasured load before each measurement. */
  warmup: number;
  connections: number;
}

export interface EndpointFigures {
  name: string;
  request: string;
  requestsPerSecond: number;
  /** autocannon records whole milliseconds: the mean shows what a p50 of 0 or 1 hides. */
  latencyMeanMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  completed: number;
  /** Responses other than 2xx, errors and timeouts: any of them makes the figure invalid. */
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  valid: boolean;
  /** CPU the server process used while measured, in % of one core (Linux only). */
  serverCpuPercent: number | null;
  /** CPU this process (autocannon) used while measured, in % of one core. */
  clientCpuPercent: number;
}

export interface MockFigures {
  command: string;
  load: LoadOptions;
  /** Bytes of the mock's GET /me answer; the bare server answers as many. */
  meBodyBytes: number;
  endpoints: EndpointFigures[];
  bare: EndpointFigures;
  /** GET /me req/s over the bare server's req/s. */
  ratioToBare: number;
  /** Anonymous login req/s over the bare server's req/s. */
  anonymousRatioToBare: number;
  /** Resident memory of the mock after all runs, in MiB (Linux only). */
  mockRssMiB: number | null;
  goal: { minRatioToBare: number };
  goalMet: boolean;
}

/** user + system CPU time of a process in seconds, from /proc (Linux); null elsewhere. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function rssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? round(Number(match[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

function runAutocannon(options: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function measure(
  name: string,
  request: string,
  options: Omit<AutocannonOptions, 'connections' | 'duration'>,
  load: LoadOptions,
  server: ChildProcess,
): Promise<EndpointFigures> {
  const base = { ...options, connections: load.connections, timeout: 10 };
  if (load.warmup > 0) await runAutocannon({ ...base, duration: load.warmup });
  const serverBefore = processCpuSeconds(server.pid);
  const clientBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await runAutocannon({ ...base, duration: load.duration });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const serverAfter = processCpuSeconds(server.pid);
  const client = process.cpuUsage(clientBefore);
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, v]) => [code, v.count]),
  );
  return {
    name,
    request,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMeanMs: round(result.latency.average, 2),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    valid: result.requests.total > 0 && result.non2xx === 0 && result.errors === 0 && result.timeouts === 0,
    serverCpuPercent:
      serverBefore !== null && serverAfter !== null
        ? Math.round(((serverAfter - serverBefore) / elapsed) * 100)
        : null,
    clientCpuPercent: Math.round(((client.user + client.system) / 1e6 / elapsed) * 100),
  };
}

async function startListening(
  what: string,
  script: string,
  args: readonly string[],
  cwd: string,
): Promise<{ child: ChildProcess; url: string }> {
  // node --import tsx: one process per server, no npx or tsx wrapper in between.
  const child = startProcess(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForLine(child, /listening on (http:\/\/[^\s]+)/, what);
  return { child, url: url.replace(/\/$/, '') };
}

async function json(
  url: string,
  init: RequestInit,
  what: string,
): Promise<{ body: Record<string, unknown>; text: string }> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`${what}: expected 200, received ${response.status}: ${text.slice(0, 300)}`);
  return { body: JSON.parse(text) as Record<string, unknown>, text };
}

function token(body: Record<string, unknown>, what: string): string {
  const value = body.access_token;
  if (typeof value !== 'string' || value === '') throw new Error(`${what}: no access_token in the answer`);
  return value;
}

export async function runMockBench(projectDir: string, load: LoadOptions): Promise<MockFigures> {
  const mockArgs = [
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--tenant',
    `${TENANT},othertenant`,
    '--storefront-client-id',
    STOREFRONT_CLIENT_ID,
    '--seed-customer',
    `${SEED.email}:${SEED.password}`,
  ];
  const mock = await startListening('the mock', join('mock', 'src', 'cli.ts'), mockArgs, projectDir);
  let bareChild: ChildProcess | undefined;
  try {
    const base = mock.url;
    const anonymousUrl = `${base}/customerlogin/auth/anonymous/login?tenant=${TENANT}&client_id=${STOREFRONT_CLIENT_ID}`;
    const anonymousToken = token((await json(anonymousUrl, {}, 'anonymous login')).body, 'anonymous login');
    const loginUrl = `${base}/customer/${TENANT}/login`;
    const loginHeaders = { authorization: `Bearer ${anonymousToken}`, 'content-type': 'application/json' };
    const loginBody = JSON.stringify(SEED);
    const customerToken = token(
      (
        await json(
          loginUrl,
          { method: 'POST', headers: loginHeaders, body: loginBody },
          'seed customer login',
        )
      ).body,
      'seed customer login',
    );
    const customerHeaders = { authorization: `Bearer ${customerToken}` };
    const meUrl = `${base}/customer/${TENANT}/me`;
    const addressesUrl = `${base}/customer/${TENANT}/me/addresses`;
    const me = await json(meUrl, { headers: customerHeaders }, 'GET /me');
    await json(addressesUrl, { headers: customerHeaders }, 'GET /me/addresses');
    const meBodyBytes = Buffer.byteLength(me.text);

    const bare = await startListening(
      'the bare server',
      join('scripts', 'bench', 'bare-server.ts'),
      [String(meBodyBytes)],
      projectDir,
    );
    bareChild = bare.child;

    const endpoints: EndpointFigures[] = [];
    endpoints.push(
      await measure(
        'anonymous login',
        `GET /customerlogin/auth/anonymous/login?tenant=${TENANT}&client_id=${STOREFRONT_CLIENT_ID}`,
        { url: anonymousUrl },
        load,
        mock.child,
      ),
    );
    endpoints.push(
      await measure(
        'customer login',
        `POST /customer/${TENANT}/login (seed customer, anonymous token)`,
        { url: loginUrl, method: 'POST', headers: loginHeaders, body: loginBody },
        load,
        mock.child,
      ),
    );
    // The bare server right before GET /me, so the ratio compares two runs under similar load.
    const bareFigures = await measure(
      'bare node:http',
      `GET / (${meBodyBytes}-byte JSON)`,
      { url: `${bare.url}/` },
      load,
      bare.child,
    );
    endpoints.push(
      await measure(
        'profile',
        `GET /customer/${TENANT}/me (customer token)`,
        { url: meUrl, headers: customerHeaders },
        load,
        mock.child,
      ),
    );
    endpoints.push(
      await measure(
        'addresses',
        `GET /customer/${TENANT}/me/addresses (customer token)`,
        { url: addressesUrl, headers: customerHeaders },
        load,
        mock.child,
      ),
    );

    const rps = (name: string): number => endpoints.find((e) => e.name === name)?.requestsPerSecond ?? 0;
    const ratio = (value: number): number =>
      bareFigures.requestsPerSecond > 0 ? round(value / bareFigures.requestsPerSecond, 2) : 0;
    const ratioToBare = ratio(rps('profile'));
    return {
      command: `node --import tsx mock/src/cli.ts ${mockArgs.join(' ').replace(SEED.password, '***')}`,
      load,
      meBodyBytes,
      endpoints,
      bare: bareFigures,
      ratioToBare,
      anonymousRatioToBare: ratio(rps('anonymous login')),
      mockRssMiB: rssMiB(mock.child.pid),
      goal: { ...MOCK_GOAL },
      goalMet: ratioToBare >= MOCK_GOAL.minRatioToBare,
    };
  } finally {
    await Promise.all([stopProcess(mock.child), bareChild ? stopProcess(bareChild) : Promise.resolve()]);
  }
}
