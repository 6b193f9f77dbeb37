import { inject } from 'vitest';
import { startScratchCdc, type TestCdc } from './scratch-cdc.ts';

export type { TestCdc } from './scratch-cdc.ts';

/** The project's connector pointed at one test database with fresh topic names; stop it in afterAll. */
export function startTestCdc(database: string): Promise<TestCdc> {
  return startScratchCdc(inject('stack'), database);
}
