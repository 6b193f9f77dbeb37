/** What training reports an epoch's progress to; the CLI backs it with core/progress.ts. */
export interface ProgressBar {
  update(fraction: number, detail: string): void;
  finish(line: string): void;
}
