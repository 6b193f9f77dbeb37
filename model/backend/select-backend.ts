import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { unsortedSegmentSumWasm } from './unsorted-segment-sum.ts';
import { loadNative, nativeVersions } from './load-native.ts';

export type Tf = typeof import('@tensorflow/tfjs');

/** In order of preference; `tfjs-node*` exist where model/native/install-native.ts built them (linux x64). */
export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  tf: Tf;
  /** What ran: one of BACKENDS. Recorded with each model version. */
  name: BackendName;
  /** tf.getBackend() after selection ('tensorflow', 'wasm', 'cpu'). */
  engine: string;
  /** Library versions recorded with each model version (tfjs, and tfjs-node + libtensorflow when native). */
  versions: Record<string, string>;
}

export interface BackendDeps {
  /** Only try these, in this order (bench runs each backend in turn); default BACKENDS. */
  only?: readonly BackendName[];
  /** Human-readable line saying what was chosen and why others were skipped. */
  out?: (line: string) => void;
  /** Injected for tests; defaults to loading the natively built package from the cache. */
  importModule?: (specifier: string) => Promise<unknown>;
}

const NATIVE_PACKAGES: Partial<Record<BackendName, string>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

const fromCache = (specifier: string): Promise<unknown> =>
  loadNative(specifier === NATIVE_PACKAGES['tfjs-node-gpu'] ? 'gpu' : 'cpu', specifier);

/**
 * Picks the fastest backend that works here. tfjs keeps one engine per process, so selecting
 * a backend is process-wide: call this once at start-up and pass `tf` down.
 */
export async function selectBackend(deps: BackendDeps = {}): Promise<BackendChoice> {
  const out = deps.out ?? (() => {});
  const importModule = deps.importModule ?? fromCache;
  const skipped: string[] = [];
  for (const name of deps.only ?? BACKENDS) {
    try {
      const choice = await tryBackend(name, importModule);
      out(`tfjs backend: ${name} (engine ${choice.engine})${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`);
      return choice;
    } catch (err) {
      skipped.push(`${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  throw new Error(`no tfjs backend could start: ${skipped.join('; ')}`);
}

async function tryBackend(name: BackendName, importModule: (s: string) => Promise<unknown>): Promise<BackendChoice> {
  const pkg = NATIVE_PACKAGES[name];
  if (pkg) {
    const mod = (await importModule(pkg)) as Tf & { default?: Tf };
    const tf = mod.default?.setBackend ? mod.default : mod;
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its backend did not start`);
    const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
    const flavour = name === 'tfjs-node-gpu' ? 'gpu' : 'cpu';
    return {
      tf,
      name,
      engine: tf.getBackend(),
      versions: { tfjs: tf.version.tfjs, ...nativeVersions(flavour, binding) },
    };
  }
  const tf = (await import('@tensorflow/tfjs')) as Tf;
  const versions: Record<string, string> = { tfjs: tf.version.tfjs };
  if (name === 'wasm') versions['tfjs-backend-wasm'] = await startWasm(tf);
  else if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not start');
  await tf.ready();
  return { tf, name, engine: tf.getBackend(), versions };
}

async function startWasm(tf: Tf): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm files are read from disk: a file path ending in "/" (not a URL) works.
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${dirname(main)}/`);
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) tf.registerKernel(unsortedSegmentSumWasm);
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  return wasm.version_wasm;
}
