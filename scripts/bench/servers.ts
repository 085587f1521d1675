// The benchmark's servers. Run as a process of its own (its CPU is not the client's):
//   node --import tsx scripts/bench/servers.ts fixed <bytes>   a bare node:http server: one JSON body
//   node --import tsx scripts/bench/servers.ts replay <file>   answers GET /<i> with captured answer i
// Each prints `listening on <port>`. The bench process itself uses `proxy`: the target behind a fixed
// delay per response, capturing every exchange.
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';

export interface Captured {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: string;
}

/** A proxy on loopback to `target`: holds each answer back `delayMs`, keeps every exchange in `captured`. */
export function proxy(target: number, delayMs: () => number, captured: Captured[]): Server {
  return createServer((req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          captured.push({
            method: req.method ?? 'GET',
            path: (req.url ?? '/').split('?')[0] ?? '/',
            status: answer.statusCode ?? 0,
            contentType: String(answer.headers['content-type'] ?? ''),
            body: body.toString('utf8'),
          });
          setTimeout(() => res.writeHead(answer.statusCode ?? 502, answer.headers).end(body), delayMs());
        });
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
}

if (process.argv[1]?.endsWith('servers.ts')) {
  const [mode, arg = ''] = process.argv.slice(2);
  const answers: Captured[] = mode === 'replay' ? JSON.parse(readFileSync(arg, 'utf8')) : [];
  const fixed = Buffer.from(JSON.stringify({ data: 'x'.repeat(Math.max(0, Number(arg) - 11)) }));
  const fixedHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': fixed.length };
  const server = createServer((req, res) => {
    // With its length, as the mock sends it: without, node:http would send the body chunked.
    if (mode === 'fixed') return res.writeHead(200, fixedHeaders).end(fixed);
    const answer = answers[Number((req.url ?? '/').slice(1))];
    req.resume().on('end', () => {
      if (!answer) return res.writeHead(404).end();
      const empty = answer.status === 204 || answer.body === '';
      res.writeHead(answer.status, empty ? {} : { 'content-type': answer.contentType });
      res.end(empty ? undefined : answer.body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}
