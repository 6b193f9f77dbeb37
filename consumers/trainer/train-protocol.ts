import type { DbConfig } from '../../core/config/db-config.ts';

/** What the parent sends the training child: everything it needs, as plain JSON. */
export interface TrainJob {
  shop: DbConfig;
  modelsDir: string;
  categoryMapFile?: string;
  range: { from: number; to: number };
  stepDays: number;
  maxEpochs: number;
}

/** What the challenger was compared with, as the child saw it. */
export interface TrainOutcome {
  version: string;
  /** The champion when training started, or null; its score on the same rows is in the artifact. */
  champion: string | null;
  /** Whether the champion could score the same held-out rows. */
  compared: boolean;
  lines: string[];
}

export type ChildMessage =
  | { type: 'progress'; label: string; epoch: number; line: string }
  | { type: 'done'; outcome: TrainOutcome }
  | { type: 'failed'; message: string; name: string };
