import { classifyError, type Queryable } from './errors.ts';
import { listPartitions, SCHEMA, schemaVersion } from './migrations.ts';
import type { Bilingual, Lang } from './report.ts';
import { displayWidth } from './report.ts';

/** What the central store knows of one branch's shipping. */
export interface BranchStatus {
  branchId: string;
  hubId: string;
  name: Bilingual | null;
  timeZone: string;
  /** Every seq up to this is stored. */
  highWater: number;
  /** The hub's head at its last contact. */
  hubHead: number;
  /** hubHead − highWater: events the hub still had to send at its last contact. */
  lagEvents: number;
  /** `at` of the newest stored event (the hub's clock), epoch ms. */
  newestEventAt: number | null;
  /** Server time of the last batch or heartbeat, epoch ms. */
  lastContactAt: number | null;
  /** Seconds since the last contact (server clock): a silent branch's WAN or hub is down. */
  silentSeconds: number | null;
}

export interface StoreStatus {
  schemaVersion: number;
  branches: BranchStatus[];
  partitions: { name: string; rows: number; bytes: number }[];
  serverTime: number;
}

/** Branches, their high-water marks and lag, and the month partitions with their sizes. */
export async function storeStatus(client: Queryable): Promise<StoreStatus> {
  try {
    const version = await schemaVersion(client);
    if (version === 0) return { schemaVersion: 0, branches: [], partitions: [], serverTime: Date.now() };
    const b = await client.query<{
      branch_id: string;
      hub_id: string;
      name: Bilingual | null;
      time_zone: string;
      high_water: string;
      hub_head: string;
      newest_ms: string | null;
      contact_ms: string | null;
      silent_s: number | null;
      now_ms: string;
    }>(
      `SELECT branch_id, hub_id, name, time_zone, high_water, hub_head,
              (extract(epoch FROM high_water_at) * 1000)::bigint AS newest_ms,
              (extract(epoch FROM last_contact_at) * 1000)::bigint AS contact_ms,
              extract(epoch FROM now() - last_contact_at)::float8 AS silent_s,
              (extract(epoch FROM now()) * 1000)::bigint AS now_ms
         FROM ${SCHEMA}.branches ORDER BY branch_id`,
    );
    const partitions = [];
    for (const name of await listPartitions(client)) {
      // reltuples is the planner's estimate (fresh after autovacuum/analyze): cheap on big months.
      const r = await client.query<{ rows: number; bytes: string }>(
        `SELECT c.reltuples::float8 AS rows, pg_total_relation_size(c.oid) AS bytes
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2`,
        [SCHEMA, name],
      );
      let rows = r.rows[0]?.rows ?? 0;
      // -1: never analysed yet (a new month, a small store): count it, it is small.
      if (rows < 0)
        rows = Number(
          (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${SCHEMA}.${name}`)).rows[0]?.n ?? 0,
        );
      partitions.push({ name, rows: Math.round(rows), bytes: Number(r.rows[0]?.bytes ?? 0) });
    }
    const now = await client.query<{ ms: string }>('SELECT (extract(epoch FROM now()) * 1000)::bigint AS ms');
    return {
      schemaVersion: version,
      serverTime: Number(now.rows[0]!.ms),
      partitions,
      branches: b.rows.map((r) => ({
        branchId: r.branch_id,
        hubId: r.hub_id,
        name: r.name,
        timeZone: r.time_zone,
        highWater: Number(r.high_water),
        hubHead: Number(r.hub_head),
        lagEvents: Math.max(0, Number(r.hub_head) - Number(r.high_water)),
        newestEventAt: r.newest_ms === null ? null : Number(r.newest_ms),
        lastContactAt: r.contact_ms === null ? null : Number(r.contact_ms),
        silentSeconds: r.silent_s,
      })),
    };
  } catch (e) {
    throw classifyError(e);
  }
}

const duration = (s: number | null) =>
  s === null
    ? '—'
    : s < 90
      ? `${Math.round(s)} s`
      : s < 5400
        ? `${Math.round(s / 60)} min`
        : s < 172_800
          ? `${(s / 3600).toFixed(1)} h`
          : `${(s / 86_400).toFixed(1)} d`;

const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

/** `central status` as text. */
export function formatStatus(s: StoreStatus, lang: Lang = 'zh'): string {
  const zh = lang === 'zh';
  if (s.schemaVersion === 0)
    return zh
      ? '中央库尚未初始化：请运行 pnpm nextup central migrate --url …\n'
      : 'The central store is not set up: run pnpm nextup central migrate --url …\n';
  const head = zh
    ? ['网点', '名称', '枢纽', '已入库', '枢纽序号', '待传', '最新事件', '上次联系']
    : ['Branch', 'Name', 'Hub', 'Stored to', 'Hub head', 'Behind', 'Newest event', 'Last contact'];
  const rows = s.branches.map((b) => [
    b.branchId,
    b.name?.[lang] ?? '',
    b.hubId,
    String(b.highWater),
    String(b.hubHead),
    String(b.lagEvents),
    b.newestEventAt === null ? '—' : new Date(b.newestEventAt).toISOString().slice(0, 19).replace('T', ' '),
    b.silentSeconds === null
      ? '—'
      : zh
        ? `${duration(b.silentSeconds)} 前`
        : `${duration(b.silentSeconds)} ago`,
  ]);
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const line = (c: string[]) =>
    c
      .map((x, i) => {
        const fill = ' '.repeat(widths[i]! - displayWidth(x));
        return i >= 3 && i <= 5 ? fill + x : x + fill;
      })
      .join('  ')
      .trimEnd();
  const out = [
    zh
      ? `中央库结构版本 ${s.schemaVersion}，${s.branches.length} 个网点`
      : `Schema version ${s.schemaVersion}, ${s.branches.length} branches`,
    '',
    line(head),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    zh ? '月分区（行数为估计值）：' : 'Month partitions (row counts are estimates):',
    ...s.partitions.map((p) => `  ${p.name}  ${String(p.rows).padStart(12)}  ${mib(p.bytes).padStart(12)}`),
  ];
  return `${out.join('\n')}\n`;
}
