import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../streams/models/model-event.ts';
import { createShadowState } from './shadow.ts';

const ev = (version: string, event: ModelEvent['event'], status: ModelEvent['status']): ModelEvent => ({
  version,
  event,
  status,
  reason: '',
  comparedWith: null,
  metrics: [],
  differences: [],
  dataFrom: null,
  dataTo: null,
  backend: 'wasm',
  runId: null,
  at: '2026-11-29T00:00:00.000Z',
});

describe('which version is in shadow', () => {
  it('follows shadow-started and ends on any later non-shadow event about that version', () => {
    const s = createShadowState();
    expect(s.current()).toBeNull();
    s.apply(ev('wd-2', 'shadow-started', 'shadow'));
    s.apply(ev('wd-1', 'promoted', 'champion'));
    expect(s.current()).toBe('wd-2');
    s.apply(ev('wd-2', 'shadow-stopped', 'candidate'));
    expect(s.current()).toBeNull();
    s.apply(ev('wd-3', 'shadow-started', 'shadow'));
    s.apply(ev('wd-3', 'promoted', 'champion'));
    expect(s.current()).toBeNull();
  });

  it('keeps one shadow: the newest shadow-started wins', () => {
    const s = createShadowState();
    s.apply(ev('wd-2', 'shadow-started', 'shadow'));
    s.apply(ev('wd-3', 'shadow-started', 'shadow'));
    expect(s.current()).toBe('wd-3');
    s.apply(ev('wd-2', 'shadow-stopped', 'candidate'));
    expect(s.current()).toBe('wd-3');
  });
});
