import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../core/logger.ts';
import {
  FLAVOURS,
  TFJS_NODE_VERSION,
  flavourDir,
  readStatus,
  statusFile,
  type NativeFlavour,
  type NativeStatus,
} from './native-config.ts';
import {
  buildAddon,
  extractLibrary,
  fetchWheel,
  installGpuLibrary,
  installPackage,
  linkLibrary,
  verifyAddon,
  type StepContext,
} from './native-steps.ts';

/**
 * `npx tsx model/native/install-native.ts`, run by .ci/install: builds @tensorflow/tfjs-node (and
 * -gpu where an NVIDIA GPU answers) against PyPI's libtensorflow, into the cache. It never fails
 * the install: whatever goes wrong is written to status.json and said in one line, and the model
 * keeps running on wasm. SHOP_RECO_NATIVE=off skips it; =retry rebuilds after a failure at once
 * (otherwise a failure is retried after a day, so a broken network does not slow every test run).
 */
const log = createLogger({ base: { area: 'model', step: 'native-install' } });
const RETRY_AFTER_MS = 24 * 3600_000;

function hasNvidiaGpu(): boolean {
  const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' });
  return r.status === 0 && /GPU \d/.test(r.stdout ?? '');
}

function upToDate(flavour: NativeFlavour, retry: boolean): boolean {
  const s = readStatus(flavour);
  if (!s) return false;
  if (s.ok) return true;
  const age = Date.now() - statSync(statusFile(flavour)).mtimeMs;
  if (retry || age > RETRY_AFTER_MS) return false;
  log.warn(
    `native TensorFlow (${FLAVOURS[flavour].pkg}) is unavailable, the model runs on wasm: ${s.step}: ${s.reason}`,
    { log: s.log, retry: 'SHOP_RECO_NATIVE=retry bash .ci/install' },
  );
  return true;
}

function build(ctx: StepContext): string {
  const steps: [string, () => void][] =
    ctx.flavour === 'cpu'
      ? [['download the tensorflow-cpu wheel and extract libtensorflow', () => extractLibrary(ctx, fetchWheel(ctx))]]
      : [['pip install tensorflow[and-cuda]', () => installGpuLibrary(ctx)]];
  steps.push(
    ['npm install --ignore-scripts', () => installPackage(ctx)],
    ['lay out deps/', () => linkLibrary(ctx)],
    ['build the addon (node-pre-gyp)', () => buildAddon(ctx)],
  );
  for (const [name, fn] of steps) {
    const t0 = performance.now();
    try {
      fn();
    } catch (err) {
      throw Object.assign(err as Error, { step: name });
    }
    log.info(`native ${ctx.flavour}: ${name}`, { seconds: Math.round((performance.now() - t0) / 100) / 10 });
  }
  try {
    return verifyAddon(ctx);
  } catch (err) {
    throw Object.assign(err as Error, { step: 'load the addon and run one op' });
  }
}

export function installNative(flavour: NativeFlavour): NativeStatus {
  const spec = FLAVOURS[flavour];
  const dir = flavourDir(flavour);
  mkdirSync(dir, { recursive: true });
  const ctx: StepContext = { flavour, dir, logFile: join(dir, 'install.log') };
  const base = {
    flavour,
    pkg: spec.pkg,
    tfjsNode: TFJS_NODE_VERSION,
    libtensorflow: `${spec.wheel} ${spec.wheelVersion}`,
    log: ctx.logFile,
  };
  log.info(
    `building ${spec.pkg} ${TFJS_NODE_VERSION} against ${spec.wheel} ${spec.wheelVersion} (first run only, a few minutes)`,
    { dir },
  );
  let status: NativeStatus;
  try {
    status = { ...base, ok: true, tfVersion: build(ctx), at: new Date().toISOString() };
    log.info(`native TensorFlow ready: ${spec.pkg} on libtensorflow ${status.tfVersion}`, { dir });
  } catch (err) {
    const e = err as Error & { step?: string };
    status = {
      ...base,
      ok: false,
      step: e.step ?? 'setup',
      reason: e.message.split('\n')[0],
      at: new Date().toISOString(),
    };
    log.warn(
      `native TensorFlow (${spec.pkg}) is unavailable, the model runs on wasm: ${status.step}: ${status.reason}`,
      { log: ctx.logFile, error: e },
    );
  }
  writeFileSync(statusFile(flavour), JSON.stringify(status, null, 2));
  return status;
}

function main(): void {
  const mode = process.env.SHOP_RECO_NATIVE ?? 'auto';
  if (mode === 'off') return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    log.info(
      `native TensorFlow is built on linux x64 only (this is ${process.platform} ${process.arch}): the model runs on wasm`,
    );
    return;
  }
  const flavours: NativeFlavour[] = hasNvidiaGpu() ? ['gpu', 'cpu'] : ['cpu'];
  for (const f of flavours) if (!upToDate(f, mode === 'retry')) installNative(f);
}

if (process.argv[1]?.endsWith('install-native.ts')) {
  try {
    main();
  } catch (err) {
    // The install must go on whatever happens here.
    log.warn('native TensorFlow install step crashed; the model runs on wasm', { error: err as Error });
  }
}
