import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the natively built tfjs-node packages live and what they were built from. Shared by the
 * install step (writes status.json) and the backend selector (reads it), so both agree on paths.
 *
 * The cache is outside git (like the Kafka jars): one build is ~1.2 GB and takes minutes.
 */
export const TFJS_NODE_VERSION = '4.22.0';

export type NativeFlavour = 'cpu' | 'gpu';

export interface FlavourSpec {
  /** npm package whose addon is built. */
  pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';
  /** PyPI distribution holding libtensorflow_cc.so.2 (the C and eager C APIs). */
  wheel: string;
  wheelVersion: string;
}

export const FLAVOURS: Record<NativeFlavour, FlavourSpec> = {
  cpu: { pkg: '@tensorflow/tfjs-node', wheel: 'tensorflow-cpu', wheelVersion: '2.21.0' },
  // The CUDA build of the same release; its CUDA/cuDNN come from NVIDIA's PyPI wheels ([and-cuda]).
  gpu: { pkg: '@tensorflow/tfjs-node-gpu', wheel: 'tensorflow', wheelVersion: '2.21.0' },
};

/** What install-native.ts leaves behind for one flavour; absent until it has run once. */
export interface NativeStatus {
  ok: boolean;
  flavour: NativeFlavour;
  pkg: string;
  tfjsNode: string;
  /** Wheel the library came from, e.g. "tensorflow-cpu 2.21.0". */
  libtensorflow: string;
  /** TF_Version() as the loaded library reports it (ok only). */
  tfVersion?: string;
  /** The step that failed and why, in one line (not ok only). */
  step?: string;
  reason?: string;
  log?: string;
  at: string;
}

/** ~/.cache/shop-reco/tfjs-node, or SHOP_RECO_TFJS_NODE_DIR. */
export function nativeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.SHOP_RECO_TFJS_NODE_DIR ?? join(homedir(), '.cache/shop-reco/tfjs-node');
  return resolve(raw.replace(/^~(?=\/|$)/, homedir()));
}

/** One directory per flavour and version pair, so an upgrade never mixes old and new files. */
export function flavourDir(flavour: NativeFlavour, env: NodeJS.ProcessEnv = process.env): string {
  const s = FLAVOURS[flavour];
  return join(nativeCacheDir(env), `${flavour}-tfjs-node-${TFJS_NODE_VERSION}-${s.wheel}-${s.wheelVersion}`);
}

export function statusFile(flavour: NativeFlavour, env: NodeJS.ProcessEnv = process.env): string {
  return join(flavourDir(flavour, env), 'status.json');
}

export function readStatus(flavour: NativeFlavour, env: NodeJS.ProcessEnv = process.env): NativeStatus | null {
  const file = statusFile(flavour, env);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as NativeStatus;
  } catch {
    return null;
  }
}

/** The package.json the build installs into; createRequire from here finds the built package. */
export function packageRoot(flavour: NativeFlavour, env: NodeJS.ProcessEnv = process.env): string {
  return join(flavourDir(flavour, env), 'package.json');
}
