import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.ts';
import type { ScoringModel } from './scoring-model.ts';

export interface ModelHolderDeps {
  /** The registry directory; its index file's mtime says when to look again. */
  registryDir: string;
  /** The champion's version in the registry now, or null. */
  championVersion: () => Promise<string | null>;
  /** Loads the current champion (loadChampion + the predict function scoring should use). */
  load: () => Promise<ScoringModel>;
  pollMs: number;
  logger: Logger;
  onChange?: (version: string | null) => void;
}

export interface ModelHolder {
  current(): ScoringModel | null;
  /** Reads the registry now and switches if the champion changed; returns the version in use. */
  check(): Promise<string | null>;
  start(): Promise<void>;
  stop(): void;
}

/**
 * Holds the champion a running scorer uses and swaps it when the registry says so (a promotion or
 * a rollback), without a restart. Polling costs one stat() every pollMs; the index is read only
 * when its mtime moves. Predict calls are synchronous between awaits, so a swap never cuts one.
 */
export function createModelHolder(deps: ModelHolderDeps): ModelHolder {
  let model: ScoringModel | null = null;
  let seenMtime = -1;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<string | null> | null = null;

  const switchTo = async (version: string | null) => {
    if ((model?.version ?? null) === version) return;
    const next = version === null ? null : await deps.load();
    const old = model;
    model = next;
    old?.dispose();
    deps.logger.info('champion switched', { from: old?.version ?? null, to: next?.version ?? null });
    deps.onChange?.(next?.version ?? null);
  };
  const check = async (): Promise<string | null> => {
    const mtime = await stat(join(deps.registryDir, 'registry.json')).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (mtime === seenMtime) return model?.version ?? null;
    await switchTo(await deps.championVersion());
    seenMtime = mtime;
    return model?.version ?? null;
  };
  const guarded = () => (checking ??= check().finally(() => (checking = null)));
  return {
    current: () => model,
    check: guarded,
    async start() {
      await guarded().catch((err: Error) =>
        deps.logger.error('cannot load the champion; scoring by popularity until it can', { error: err }),
      );
      const tick = () => {
        timer = setTimeout(() => {
          guarded()
            .catch((err: Error) => deps.logger.error('champion check failed; keeping the current one', { error: err }))
            .finally(() => {
              if (timer) tick();
            });
        }, deps.pollMs);
      };
      tick();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      model?.dispose();
      model = null;
    },
  };
}
