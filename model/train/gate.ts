import { formatDifference, type Comparison } from '../evaluate/compare.ts';

/** The rule a challenger must pass to replace the champion automatically. */
export interface GateRule {
  /** The least NDCG@3 lead over the champion, on the same held-out rows (0: any lead). */
  minGain: number;
}

export interface GateDecision {
  promote: boolean;
  /** One sentence, for the log and models.v1. */
  reason: string;
  /** Null when there was no champion to compare with on the same rows. */
  head: Pick<Comparison, 'metric' | 'diff' | 'lo' | 'hi'> | null;
}

/**
 * Promote only on evidence: the point lead must exceed the margin AND the paired-bootstrap 95%
 * interval must lie above zero, because at demo scale two runs on the same data differ by more
 * than most margins. With no champion the first model is promoted; with a champion that could
 * not score the same rows nothing is compared, so a person decides (`model -- promote V --force`).
 */
export function decideGate(
  rule: GateRule,
  input: { championVersion: string | null; head: Pick<Comparison, 'metric' | 'diff' | 'lo' | 'hi'> | null },
): GateDecision {
  const { championVersion, head } = input;
  if (!championVersion) return { promote: true, reason: 'no champion yet: first champion', head: null };
  if (!head) {
    return {
      promote: false,
      reason: `champion ${championVersion} could not score the same held-out rows (other feature code or categories); promote by hand`,
      head: null,
    };
  }
  const diff = formatDifference(head);
  if (!(head.diff > rule.minGain)) {
    return {
      promote: false,
      reason: `lead over champion ${championVersion} is not above the margin ${rule.minGain}: ${diff}`,
      head,
    };
  }
  if (!(head.lo > 0)) {
    return {
      promote: false,
      reason: `lead over champion ${championVersion} is within noise (95% interval reaches 0): ${diff}`,
      head,
    };
  }
  return { promote: true, reason: `beats champion ${championVersion} by more than ${rule.minGain}: ${diff}`, head };
}
