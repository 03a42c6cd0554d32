import {
  CentralError,
  connectCentral,
  crossBranchReport,
  formatReport,
  formatStatus,
  type Lang,
  migrate,
  type ReportFormat,
  redactUrl,
  storeStatus,
} from '@nextup/central';
import { type CliArea, parseArgs, usageError } from '../lib/cli.ts';

const USAGE = `usage:
  pnpm nextup central migrate --url postgres://user:pass@host:5432/db [--months-ahead 3]
      建立或升级中央库结构（可重复运行）并预建月分区
      create or upgrade the central store's schema (re-runnable) and the month partitions ahead
  pnpm nextup central report --date 2026-11-23 [--to 2026-11-30] [--url …] [--branch SH-001,SH-002]
                             [--format table|csv|json] [--lang zh|en]
      跨网点日报：取号数、平均与 P90 等候、过号率（按网点、业务）
      cross-branch daily report: tickets, average and p90 wait, no-show rate (per branch, per service)
  pnpm nextup central status --url … [--lang zh|en] [--json]
      各网点已入库的序号、待传事件、上次联系；月分区大小
      each branch's high-water mark, events behind, last contact; month partition sizes

--url defaults to $NEXTUP_CENTRAL_URL.`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function urlOf(v: string | undefined): string {
  const url = v ?? process.env.NEXTUP_CENTRAL_URL;
  if (!url)
    throw new TypeError(
      '--url is required (or set NEXTUP_CENTRAL_URL), e.g. --url postgres://nextup@central:5432/nextup',
    );
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new TypeError(`--url must be a postgres:// URL, got "${redactUrl(url)}"`);
  return url;
}

function langOf(v: string | undefined): Lang {
  if (v === undefined) return 'zh';
  if (v !== 'zh' && v !== 'en') throw new TypeError(`--lang must be zh or en, got "${v}"`);
  return v;
}

const ERROR_WORDS: Record<CentralError['code'], [string, string]> = {
  UNREACHABLE: ['无法连接中央库', 'cannot reach the central store'],
  AUTH: ['中央库登录失败', 'the central store refused the login'],
  SCHEMA_MISSING: [
    '中央库尚未初始化（请先运行 central migrate）',
    'the central store is not set up (run central migrate first)',
  ],
  SCHEMA_OUTDATED: [
    '中央库结构过旧（请运行 central migrate）',
    'the central store schema is old (run central migrate)',
  ],
  SCHEMA_NEWER: [
    '中央库结构比本程序新，请升级 Nextup',
    'the central store is newer than this Nextup: upgrade',
  ],
  MIGRATION_CHANGED: ['已执行的迁移被修改过', 'an applied migration was edited'],
  MIGRATION_FAILED: ['迁移失败', 'a migration failed'],
  BRANCH_CLAIMED: ['网点编号已被另一台枢纽使用', 'the branch id belongs to another hub'],
  GAP: ['事件序号不连续', 'the events leave a gap'],
  DIVERGED: ['中央库与枢纽日志不一致', 'the store differs from the hub’s log'],
  QUERY: ['查询失败', 'the query failed'],
};

function failure(e: unknown): number {
  if (e instanceof CentralError) {
    const [zh, en] = ERROR_WORDS[e.code];
    process.stderr.write(`✗ ${zh}\n✗ ${en}: ${e.message}\n`);
    return 1;
  }
  if (e instanceof TypeError) return usageError(`参数错误 / bad option: ${e.message}`, USAGE);
  throw e;
}

async function withStore<T>(url: string, fn: (c: Awaited<ReturnType<typeof connectCentral>>) => Promise<T>) {
  const c = await connectCentral(url, { applicationName: 'nextup central cli' });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function migrateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { url: { type: 'string' }, 'months-ahead': { type: 'string' } },
  });
  const url = urlOf(values.url);
  const ahead = values['months-ahead'] === undefined ? 3 : Number(values['months-ahead']);
  if (!Number.isInteger(ahead) || ahead < 0 || ahead > 36)
    throw new TypeError(`--months-ahead must be a whole number 0–36, got "${values['months-ahead']}"`);
  const r = await withStore(url, (c) => migrate(c, { monthsAhead: ahead }));
  process.stdout.write(
    r.applied.length > 0
      ? `✓ 已升级到结构版本 ${r.version}（执行了 ${r.applied.join(', ')}）\n✓ schema at version ${r.version} (applied ${r.applied.join(', ')})\n`
      : `✓ 结构已是最新（版本 ${r.version}）\n✓ schema already current (version ${r.version})\n`,
  );
  process.stdout.write(`  partitions: ${r.partitions.join(' ')}\n`);
  return 0;
}

async function reportCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      date: { type: 'string' },
      to: { type: 'string' },
      branch: { type: 'string' },
      format: { type: 'string' },
      lang: { type: 'string' },
    },
  });
  if (!values.date || !DAY.test(values.date))
    throw new TypeError('--date YYYY-MM-DD is required, e.g. --date 2026-11-23');
  if (values.to !== undefined && !DAY.test(values.to))
    throw new TypeError(`--to must be YYYY-MM-DD, got "${values.to}"`);
  const format = (values.format ?? 'table') as ReportFormat;
  if (!['table', 'csv', 'json'].includes(format))
    throw new TypeError(`--format must be table, csv or json, got "${values.format}"`);
  const lang = langOf(values.lang);
  const branchIds = values.branch
    ? values.branch
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  const rows = await withStore(urlOf(values.url), (c) =>
    crossBranchReport(c, {
      from: values.date!,
      ...(values.to ? { to: values.to } : {}),
      ...(branchIds ? { branchIds } : {}),
    }),
  );
  process.stdout.write(formatReport(rows, format, lang));
  return 0;
}

async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { url: { type: 'string' }, lang: { type: 'string' }, json: { type: 'boolean' } },
  });
  const lang = langOf(values.lang);
  const s = await withStore(urlOf(values.url), (c) => storeStatus(c));
  process.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s, lang));
  return 0;
}

/** `pnpm nextup central …`: the bank's central store. */
export default {
  name: 'central',
  summary:
    'central store: migrate, cross-branch report, shipping status / 中央库：迁移、跨网点报表、同步状态',
  async run(args) {
    const [command, ...rest] = args;
    try {
      switch (command) {
        case 'migrate':
          return await migrateCommand(rest);
        case 'report':
          return await reportCommand(rest);
        case 'status':
          return await statusCommand(rest);
        case undefined:
        case '--help':
        case 'help':
          process.stdout.write(`${USAGE}\n`);
          return 0;
        default:
          return usageError(`unknown command "${command}"`, USAGE);
      }
    } catch (e) {
      if (e instanceof Error && (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
        return usageError(e.message, USAGE);
      return failure(e);
    }
  },
} satisfies CliArea;
