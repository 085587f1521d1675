// Probes outside the catalog (helpers/raw.ts) meet a gateway as catalog calls do: the same transport
// and the same retries of a 429. A local node:http server stands in for the gateway.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures/index.ts';
import { rawRequest } from '../helpers/raw.ts';

/** A server that answers each request with the next of `answers` (the last one repeats). */
async function gateway(answers: { status: number; headers?: Record<string, string>; body?: string }[]) {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req);
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)] ?? { status: 500 };
    req.resume().on('end', () => res.writeHead(answer.status, answer.headers).end(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const notFound = {
  status: 404,
  headers: { 'content-type': 'application/json' },
  body: '{"status":404,"message":"no such route"}',
};

type Gateway = Awaited<ReturnType<typeof gateway>>;

/** Runs `use` against a gateway answering `answers`, and closes the gateway however `use` ends. */
async function withGateway(answers: Parameters<typeof gateway>[0], use: (server: Gateway) => Promise<void>) {
  const server = await gateway(answers);
  try {
    await use(server);
  } finally {
    await server.close();
  }
}

/** Probes the gateway, allowing two retries as the suite's default transport does. */
function probe(server: Gateway, req: Parameters<typeof rawRequest>[2]) {
  return rawRequest(null, { baseUrl: server.baseUrl, maxRetries: 2 }, req);
}

test.describe('requests outside the catalog @offline', () => {
  test('retries a probe the gateway turns away with 429, as a catalog call would', () =>
    withGateway([{ status: 429, headers: { 'retry-after': '0' } }, notFound], async (server) => {
      const response = await probe(server, { method: 'GET', path: '/customer/shop1/no-such-resource' });
      expect(response.status, 'the answer after the retry').toBe(404);
      expect(response.body).toEqual({ status: 404, message: 'no such route' });
      expect(server.seen).toHaveLength(2);
      expect(test.info().annotations.map((a) => a.type)).toContain('retry');
    }));

  test('does not repeat a POST after 503: the service may have acted', () =>
    withGateway([{ status: 503 }, notFound], async (server) => {
      const response = await probe(server, {
        method: 'POST',
        path: '/customer/shop1/signup',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(503);
      expect(server.seen).toHaveLength(1);
    }));

  test('names the probe, with its URL masked, when no answer comes', async () => {
    const server = await gateway([notFound]);
    await server.close();
    await expect(
      rawRequest(
        null,
        { baseUrl: server.baseUrl, maxRetries: 0, requestTimeoutMs: 2_000 },
        {
          method: 'GET',
          path: '/customer/shop1/no-such-resource',
        },
      ),
    ).rejects.toThrow(/^GET \/customer\/shop1\/no-such-resource → no response: /);
  });
});
