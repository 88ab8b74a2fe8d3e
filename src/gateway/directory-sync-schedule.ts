import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isTokenwardError } from '../core/errors.js';
import { warningCatalog } from '../core/warnings.js';
import type { GatewayContext } from './context.js';
import { type SyncReport, syncDirectory } from './directory-sync.js';

/** When the last sync of any node began: the nodes of a cluster take turns through it. */
const LAST_SYNC_KEY = 'directory.sync.last';
/** How often a node looks whether a sync is due (`directory-sync-interval` is in minutes). */
export const SYNC_CHECK_MS = 60_000;

/**
 * Runs the directory sync when `directory-sync-interval` has passed since the last one of any
 * node; the node that moves the last-sync row from what it read wins, the others skip (one
 * sync per interval in a cluster). Undefined when nothing was due.
 */
export async function syncDirectoryIfDue(
  ctx: GatewayContext,
  now: number,
): Promise<SyncReport | undefined> {
  const { intervalMinutes } = (await ctx.settings.policy()).directorySync;
  if (intervalMinutes === 0) return undefined;
  if (!(await ctx.store.userGroups.list()).some((group) => group.autoEnrol)) return undefined;
  const last = (await ctx.store.settings.get(LAST_SYNC_KEY)) as { at: number } | undefined;
  if (last !== undefined && now - last.at < intervalMinutes * 60_000) return undefined;
  if (!(await ctx.store.settings.replaceIf(LAST_SYNC_KEY, last, { at: now }, now))) {
    return undefined;
  }
  return syncDirectory(ctx, now, { actor: 'directory-sync' });
}

/** A sync asked for by an admin (`gateway ldap sync`): it also restarts the interval. */
export async function syncDirectoryNow(
  ctx: GatewayContext,
  now: number,
  confirmRemovals: boolean,
): Promise<SyncReport> {
  await ctx.store.settings.set(LAST_SYNC_KEY, { at: now }, now);
  return syncDirectory(ctx, now, { actor: 'admin', confirmRemovals });
}

/**
 * The background sync: every SYNC_CHECK_MS, a sync if one is due. A failed round (directory or
 * database away) is logged and the next check tries again, so the loop outlives its
 * dependencies; a held sync is logged as a coded warning.
 */
export function startDirectorySyncLoop(deps: {
  readonly syncIfDue: () => Promise<SyncReport | undefined>;
  readonly log: Logger;
  readonly checkEveryMs?: number;
}) {
  const stop = new AbortController();
  const running = (async () => {
    while (!stop.signal.aborted) {
      try {
        const report = await deps.syncIfDue();
        if (report !== undefined) logReport(deps.log, report);
      } catch (error) {
        deps.log.warn(
          { code: isTokenwardError(error) ? error.code : 'TW_INTERNAL' },
          `directory sync failed: ${(error as Error).message}`,
        );
      }
      await sleep(deps.checkEveryMs ?? SYNC_CHECK_MS, undefined, { signal: stop.signal }).catch(
        () => undefined,
      );
    }
  })();
  return {
    async stop(): Promise<void> {
      stop.abort();
      await running;
    },
  };
}

function logReport(log: Logger, report: SyncReport): void {
  const counts = {
    added: report.added.length,
    kept: report.kept,
    leaving: report.leaving.length,
    removed: report.removed.length,
    failed: report.failed.map(({ subject, code }) => ({ subject, code })),
  };
  if (report.held !== undefined) {
    log.warn(
      { code: 'TW_WARN_DIRECTORY_REMOVALS_HELD', ...counts, held: report.held },
      warningCatalog.TW_WARN_DIRECTORY_REMOVALS_HELD,
    );
  } else log.info(counts, 'directory sync done');
}
