import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.ts';
import type { ScoringModel } from './scoring-model.ts';

export interface ModelHolderDeps {
  /** The registry directory; its index file's mtime says when to look again. */
  registryDir: string;
  /** The champion's version in the registry now, or null. */
  championVersion: () => Promise<string | null>;
  /** Loads one registered version (the artifact + the predict function scoring should use). */
  load: (version: string) => Promise<ScoringModel>;
  pollMs: number;
  logger: Logger;
  onChange?: (version: string | null) => void;
}

export interface ModelHolder {
  current(): ScoringModel | null;
  /** Reads the registry now and switches if the champion changed; returns the version in use. */
  check(): Promise<string | null>;
  /** Switches to the version models.v1 names as champion (a promotion or a rollback elsewhere). */
  follow(version: string): Promise<string | null>;
  start(): Promise<void>;
  stop(): void;
}

/**
 * Holds the champion a running scorer uses and swaps it without a restart, as soon as models.v1
 * announces a promotion or a rollback (follow), and, as a fallback for a registry changed without
 * an event (`--no-publish`), when the registry's index moves (one stat() every pollMs). Switches
 * run one at a time; predict calls are synchronous between awaits, so a swap never cuts one.
 */
export function createModelHolder(deps: ModelHolderDeps): ModelHolder {
  let model: ScoringModel | null = null;
  let seenMtime = -1;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const switchTo = async (version: string | null, why: string) => {
    if ((model?.version ?? null) === version || stopped) return;
    const next = version === null ? null : await deps.load(version);
    if (stopped) return next?.dispose();
    const old = model;
    model = next;
    old?.dispose();
    deps.logger.info('champion switched', { from: old?.version ?? null, to: next?.version ?? null, why });
    deps.onChange?.(next?.version ?? null);
  };
  const mtime = () =>
    stat(join(deps.registryDir, 'registry.json')).then(
      (s) => s.mtimeMs,
      () => 0,
    );
  const check = async (): Promise<string | null> => {
    const m = await mtime();
    if (m === seenMtime) return model?.version ?? null;
    await switchTo(await deps.championVersion(), 'registry changed');
    seenMtime = m;
    return model?.version ?? null;
  };
  const follow = async (version: string): Promise<string | null> => {
    // Read the mtime first: the registry change that came with this event must not switch again.
    const m = await mtime();
    await switchTo(version, 'models.v1');
    seenMtime = m;
    return model?.version ?? null;
  };
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    current: () => model,
    check: () => serial(check),
    follow: (version) => serial(() => follow(version)),
    async start() {
      await serial(check).catch((err: Error) =>
        deps.logger.error('cannot load the champion; scoring by popularity until it can', { error: err }),
      );
      const tick = () => {
        timer = setTimeout(() => {
          serial(check)
            .catch((err: Error) => deps.logger.error('champion check failed; keeping the current one', { error: err }))
            .finally(() => {
              if (timer) tick();
            });
        }, deps.pollMs);
      };
      tick();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      model?.dispose();
      model = null;
    },
  };
}
