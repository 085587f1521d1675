// `npm run bench`: the figures that matter, as ratios measured in one run on one machine (absolute
// times on a shared machine vary two- to threefold between runs; ratios of figures taken minutes
// apart vary far less). docs/benchmarks.md says what each one means. Writes reports/bench.json.
//   suite   the full suite against the mock, through a capturing proxy on MOCK_PORT: wall time, tests,
//           CPU of the runner and its workers per exchange, against a bare client (Node's fetch and
//           the same Ajv validation) replaying the run's exchanges from a bare server;
//   requests  sent per run (reports/records) against the fewest the checks need;
//   mock    GET /me throughput against a bare node:http server answering a body of the same size;
//   remote  the suite as against a real tenant, every answer held back 100 ms: wall time against
//           max(critical path, requests ÷ EMPORIX_MAX_RPS).
// Arguments are passed on to both Playwright runs (`npm run bench -- --grep @smoke`).
import type { JSONReport, JSONReportSuite, JSONReportTest } from '@playwright/test/reporter';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogDocument, listOperations } from '../helpers/catalog.ts';
import { MOCK_DEFAULTS as M } from '../helpers/config.ts';
import { maxRpsFrom } from '../helpers/rate-limit.ts';
import { readRecords, type ExchangeRecord } from '../helpers/records.ts';
import { validateSchema } from '../helpers/schemas.ts';
import { proxy, type Captured } from './bench/servers.ts';

const DELAY_MS = 100;
const WORKERS = 2; // playwright.config.ts
const children: ChildProcess[] = [];
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
// Playwright's reports, its logs and the captured answers hold unmasked tokens: they stay out of
// reports/ (the redaction check scans it) and are deleted, unless the bench failed (then it says where).
const work = mkdtempSync(join(tmpdir(), 'emporix-bench-'));
let keepWork = false;
process.on('exit', () => {
  children.forEach((c) => c.kill());
  if (!keepWork) rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Starts a server process and resolves with the port it says it listens on. */
function serve(args: string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      const port = /listening on (?:\S*:)?(\d+)/.exec(String(chunk))?.[1];
      if (port) resolve(Number(port));
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** One Playwright run: wall time, the CPU of the runner and its workers (the shell's `times`), its report and records. */
async function runSuite(label: string, env: NodeJS.ProcessEnv) {
  const json = join(work, `${label}.json`);
  const extra = process.argv.slice(2).map((a) => `'${a.replace(/'/g, `'\\''`)}'`); // e.g. --grep @smoke
  const command = `node node_modules/@playwright/test/cli.js test --reporter=json ${extra.join(' ')} >/dev/null 2>'${join(work, `${label}.log`)}'; times`;
  const started = performance.now();
  const times = await new Promise<string>((resolve) => {
    const child = spawn('sh', ['-c', command], {
      env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: json },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (chunk) => (out += String(chunk)));
    child.on('exit', () => resolve(out));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  // `times` prints the shell's own user and system time, then its children's: the last two figures.
  const [user = 0, system = 0] = [...times.matchAll(/(\d+)m([\d.]+)s/g)]
    .slice(-2)
    .map((m) => Number(m[1]) * 60 + Number(m[2]));
  const report = JSON.parse(readFileSync(json, 'utf8')) as JSONReport;
  const tests = (suites: JSONReportSuite[] = []): JSONReportTest[] =>
    suites.flatMap((s) => [...s.specs.flatMap((spec) => spec.tests), ...tests(s.suites)]);
  const exchanges = readRecords().filter((r): r is ExchangeRecord => r.kind === 'exchange');
  return {
    wallSeconds,
    cpuSeconds: user + system,
    tests: tests(report.suites),
    stats: report.stats,
    exchanges,
  };
}

/** Exchanges per test (project, file, title) and the distinct (operation, status) outcomes each observes. */
function perTest(exchanges: ExchangeRecord[]) {
  const tests = new Map<string, { sent: number; outcomes: Set<string> }>();
  for (const r of exchanges) {
    const test = tests.get(`${r.project}|${r.file}|${r.test}`) ?? { sent: 0, outcomes: new Set<string>() };
    test.sent += 1;
    test.outcomes.add(`${r.operationId} ${r.status}`);
    tests.set(`${r.project}|${r.file}|${r.test}`, test);
  }
  return [...tests.values()];
}

/** CPU per exchange of a bare client: fetch each captured answer from a bare server, parse it, validate it. */
async function bareClient(captured: Captured[]): Promise<number> {
  const operations = listOperations(catalogDocument)
    .map((op) => ({ op, pattern: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
    .sort((a, b) => a.op.path.split('{').length - b.op.path.split('{').length);
  const schemas = captured.map(
    (c) => operations.find((o) => o.op.method === c.method && o.pattern.test(c.path))?.op.responses[c.status],
  );
  writeFileSync(join(work, 'captured.json'), JSON.stringify(captured));
  const port = await serve(['scripts/bench/servers.ts', 'replay', join(work, 'captured.json')]);
  const before = process.cpuUsage();
  for (const [i, c] of captured.entries()) {
    const text = await (await fetch(`http://127.0.0.1:${port}/${i}`, { method: c.method })).text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const schema = schemas[i];
    if (schema) validateSchema(schema, body);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / captured.length;
}

/** Mean requests per second autocannon reaches on a URL (3 s after 1 s of warm-up, 10 connections). */
async function load(url: string, headers: Record<string, string> = {}): Promise<number> {
  await autocannon({ url, headers, connections: 10, duration: 1 }); // warm-up, not measured
  const result = await autocannon({ url, headers, connections: 10, duration: 3 });
  if (result.non2xx || result.errors || result.timeouts)
    throw new Error(`${url}: not every answer was a 2xx`);
  return result.requests.average;
}

async function main(): Promise<void> {
  mkdirSync('reports', { recursive: true });
  const loadStart = loadavg().map((l) => round(l));
  const mockPort = await serve([
    ...['mock/src/cli.ts', '--port', '0', '--host', '127.0.0.1', '--tenant', `${M.tenant},${M.otherTenant}`],
    ...[
      '--storefront-client-id',
      M.storefrontClientId,
      '--client-id',
      M.clientId,
      '--client-secret',
      M.clientSecret,
    ],
    ...['--seed-customer', `${M.customerEmail}:${M.customerPassword}`],
  ]);
  let delay = 0;
  const captured: Captured[] = [];
  const front = proxy(mockPort, () => delay, captured).listen(0, '127.0.0.1');
  await new Promise((resolve) => front.once('listening', resolve));
  const frontPort = (front.address() as AddressInfo).port;
  const { CI: _ci, ...env } = process.env; // not CI: Playwright reuses the proxy on MOCK_PORT as its web server

  say('the suite against the mock, through the proxy on MOCK_PORT…');
  const suite = await runSuite('suite', { ...env, EMPORIX_API_URL: '', MOCK_PORT: String(frontPort) });
  const suiteCpuMs = (suite.cpuSeconds * 1000) / suite.exchanges.length;
  say('the bare client replaying the same exchanges…');
  const bareCpuMs = await bareClient(captured);
  const tests = perTest(suite.exchanges);
  const perTestMinimum = tests.reduce((sum, t) => sum + t.outcomes.size, 0);

  say('GET /me on the mock against a bare node:http server…');
  const base = `http://127.0.0.1:${mockPort}`;
  const anonymous = (await (
    await fetch(
      `${base}/customerlogin/auth/anonymous/login?tenant=${M.tenant}&client_id=${M.storefrontClientId}`,
    )
  ).json()) as { access_token: string };
  const login = (await (
    await fetch(`${base}/customer/${M.tenant}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${anonymous.access_token}` },
      body: JSON.stringify({ email: M.customerEmail, password: M.customerPassword }),
    })
  ).json()) as { access_token: string };
  const me = { authorization: `Bearer ${login.access_token}` };
  const bodyBytes = (await (await fetch(`${base}/customer/${M.tenant}/me`, { headers: me })).text()).length;
  const barePort = await serve(['scripts/bench/servers.ts', 'fixed', String(bodyBytes)]);
  // Three rounds in alternating order, the best of each: the first load after a pause and a burst of
  // load from elsewhere on the machine spoil a round, not the ratio.
  let [bareRps, mockRps] = [0, 0];
  for (let round = 0; round < 3; round++) {
    const bare = () =>
      load(`http://127.0.0.1:${barePort}/`).then((rps) => (bareRps = Math.max(bareRps, rps)));
    const mock = () =>
      load(`${base}/customer/${M.tenant}/me`, me).then((rps) => (mockRps = Math.max(mockRps, rps)));
    for (const measure of round % 2 === 0 ? [bare, mock] : [mock, bare]) await measure();
  }

  say(`the suite as against a real tenant, every answer ${DELAY_MS} ms late…`);
  delay = DELAY_MS;
  const maxRps = maxRpsFrom(env) ?? Infinity;
  const remote = await runSuite('remote', {
    ...env,
    EMPORIX_API_URL: `http://127.0.0.1:${frontPort}`,
    ...{
      EMPORIX_TENANT: M.tenant,
      EMPORIX_OTHER_TENANT: M.otherTenant,
      EMPORIX_STOREFRONT_CLIENT_ID: M.storefrontClientId,
    },
    ...{
      EMPORIX_CLIENT_ID: M.clientId,
      EMPORIX_CLIENT_SECRET: M.clientSecret,
      EMPORIX_ALLOW_DESTRUCTIVE: 'true',
    },
    ...{
      EMPORIX_CUSTOMER_EMAIL: M.customerEmail,
      EMPORIX_CUSTOMER_PASSWORD: M.customerPassword,
      MAILBOX: 'mock',
    },
  });
  front.close();
  const criticalPathSeconds = (Math.max(...perTest(remote.exchanges).map((t) => t.sent)) * DELAY_MS) / 1000;
  const rateBoundSeconds = remote.exchanges.length / maxRps;

  const result = {
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverageStart: loadStart,
      loadAverageEnd: loadavg().map((l) => round(l)),
    },
    suite: {
      wallSeconds: round(suite.wallSeconds, 1),
      tests: suite.tests.length,
      stats: suite.stats,
      exchanges: suite.exchanges.length,
      cpuSeconds: round(suite.cpuSeconds, 1),
      cpuMsPerExchange: round(suiteCpuMs),
      bareClientCpuMsPerExchange: round(bareCpuMs, 3),
      ratioToBareClient: round(suiteCpuMs / bareCpuMs, 1),
    },
    requests: {
      sent: suite.exchanges.length,
      perTestMinimum,
      ratioToMinimum: round(suite.exchanges.length / perTestMinimum),
    },
    mock: {
      endpoint: 'GET /customer/{tenant}/me',
      bodyBytes,
      reqPerSecond: Math.round(mockRps),
      bareReqPerSecond: Math.round(bareRps),
      ratioToBare: round(mockRps / bareRps),
    },
    remote: {
      delayMs: DELAY_MS,
      wallSeconds: round(remote.wallSeconds, 1),
      tests: remote.tests.length,
      stats: remote.stats,
      requests: remote.exchanges.length,
      maxRps: Number.isFinite(maxRps) ? maxRps : 'off',
      criticalPathSeconds: round(criticalPathSeconds, 1),
      rateBoundSeconds: round(rateBoundSeconds, 1),
      workerBoundSeconds: round((remote.exchanges.length * DELAY_MS) / 1000 / WORKERS, 1),
      ratioToBound: round(remote.wallSeconds / Math.max(criticalPathSeconds, rateBoundSeconds)),
    },
  };
  writeFileSync('reports/bench.json', `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nWritten: reports/bench.json\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    keepWork = true;
    say(`the runs' reports and logs are kept in ${work}`);
    process.exit(1);
  },
);
