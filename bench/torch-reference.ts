import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Layout } from '../model/data/feature-layout.ts';

/**
 * Runs bench/torch-reference.py (the same W&D layer sizes in PyTorch) when `torch` imports:
 * with $TORCH_PYTHON, else python3. Resolves null with the reason when it cannot run.
 */
export interface TorchFigures {
  torch: string;
  threads: number;
  parameters: number;
  /** Keyed by batch size. */
  trainSamplesPerSec: Record<string, number>;
  predictRowsPerSec: Record<string, number>;
}

export interface TorchRun {
  layout: Layout;
  K: number;
  batchSizes: number[];
  predictBatches: number[];
  seconds: number;
  threads: number;
}

export function runTorchReference(
  root: string,
  r: TorchRun,
): Promise<{ figures: TorchFigures | null; reason?: string }> {
  const python = process.env.TORCH_PYTHON ?? 'python3';
  const spec = {
    F: r.layout.numeric,
    W: r.layout.wide,
    D: r.layout.deep,
    wideVocab: r.layout.wideVocab,
    deepVocab: r.layout.deepVocab,
    K: r.K,
    E: 8,
    hidden: [256, 128, 64],
    batchSizes: r.batchSizes,
    predictBatches: r.predictBatches,
    trainSeconds: r.seconds,
    threads: r.threads,
  };
  return new Promise((resolve) => {
    const child = spawn(python, [join(root, 'bench/torch-reference.py'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', (e) => resolve({ figures: null, reason: `${python} could not start: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 3)
        return resolve({
          figures: null,
          reason: `torch is not importable by ${python} (pip install torch numpy, or set TORCH_PYTHON)`,
        });
      const line = out.trim().split('\n').at(-1);
      if (code !== 0 || !line)
        return resolve({
          figures: null,
          reason: `torch reference failed (${code}): ${err.trim().split('\n').at(-1) ?? ''}`,
        });
      resolve({ figures: JSON.parse(line) as TorchFigures });
    });
  });
}
