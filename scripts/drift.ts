// `npm run drift -- FILE [--json OUT] [--md OUT]`: compares the suite's catalog and schemas, for the
// contract EMPORIX_CONTRACT selects, with a vendor OpenAPI document (YAML or JSON) and lists what
// differs: operations, statuses, parameters and fields added, removed, retyped or newly required,
// each with the tests it touches. Markdown goes to stdout and to a file (default reports/drift.md),
// JSON to reports/drift.json. Exit 0: nothing unchecked; 1: the file documents something the suite
// does not check; 2: bad input (docs/contract-versions.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, loadContract } from '../helpers/config.ts';
import { buildDriftReport, driftMarkdown, DriftInputError } from './drift/report.ts';

const USAGE =
  'usage: npm run drift -- FILE [--json OUT] [--md OUT]   (EMPORIX_CONTRACT selects the contract)';

interface Args {
  file: string;
  json: string;
  md: string;
}

export function parseArgs(argv: string[]): Args {
  const files: string[] = [];
  let json = 'reports/drift.json';
  let md = 'reports/drift.md';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--json' || arg === '--md') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new DriftInputError(`${arg} needs a file name`);
      if (arg === '--json') json = value;
      else md = value;
    } else if (arg.startsWith('--')) {
      throw new DriftInputError(`unknown option ${arg}`);
    } else files.push(arg);
  }
  if (files.length !== 1) {
    throw new DriftInputError(
      files.length === 0 ? 'no OpenAPI file given' : `one file at a time, got ${files.length}`,
    );
  }
  return { file: files[0] ?? '', json, md };
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function main(): number {
  try {
    const args = parseArgs(process.argv.slice(2));
    const report = buildDriftReport(args.file, loadContract());
    const markdown = driftMarkdown(report);
    process.stdout.write(`${markdown}\n`);
    write(args.md, `${markdown}\n`);
    write(args.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`drift: wrote ${args.md} and ${args.json}\n`);
    return report.unchecked > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof DriftInputError || error instanceof ConfigError) {
      process.stderr.write(`drift: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
