import { createRequire } from 'node:module';
import { AppError, NotFoundError } from '../../core/errors.ts';
import { packageRoot, readStatus, type NativeFlavour } from '../native/native-config.ts';

/**
 * Loads a tfjs-node package built by model/native/install-native.ts from the cache, outside the
 * repository's node_modules. The package brings its own @tensorflow/tfjs (the umbrella, same
 * version as ours) and registers the 'tensorflow' backend on *that* copy's tfjs-core; so the
 * `tf` it exports is the one the whole model must use, and the root @tensorflow/tfjs must not
 * be loaded in the same process (two tfjs-core copies share one global engine but not their
 * Tensor classes and op handlers). selectBackend returns this `tf` and everything takes it from there.
 */
export async function loadNative(flavour: NativeFlavour, pkg: string): Promise<unknown> {
  const status = readStatus(flavour);
  if (!status) {
    throw new NotFoundError(
      flavour === 'gpu'
        ? 'not built here (bash .ci/install builds it where nvidia-smi lists a GPU)'
        : 'not built here (bash .ci/install builds it on linux x64)',
    );
  }
  if (!status.ok) throw new AppError(`build failed at "${status.step}": ${status.reason} (log ${status.log})`);
  // TF prints its start-up chatter to stderr unless told otherwise; it reads these when loaded.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // One step of this small model is ~1k tiny ops: TF's thread pools cost more than they give.
  // Issue 13's probe on 2 cores: 1 intra-op + 1 inter-op thread trained ~30% faster than TF's defaults.
  process.env.TF_NUM_INTRAOP_THREADS ??= '1';
  process.env.TF_NUM_INTEROP_THREADS ??= '1';
  try {
    return createRequire(packageRoot(flavour))(pkg);
  } catch (cause) {
    throw new AppError(`${pkg} is built but does not load: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
}

/** Versions recorded with each model version: what computed it, down to the native library. */
export function nativeVersions(
  flavour: NativeFlavour,
  binding: { TF_Version?: string } | undefined,
): Record<string, string> {
  const status = readStatus(flavour);
  return {
    ...(status ? { 'tfjs-node': status.tfjsNode, libtensorflowFrom: status.libtensorflow } : {}),
    ...(binding?.TF_Version ? { libtensorflow: binding.TF_Version } : {}),
  };
}

/**
 * Paths of every tfjs-core loaded through CommonJS in this process. More than one means two
 * engines' worth of classes: tensors from one copy handed to the other's ops. Tests assert one.
 */
export function loadedTfjsCores(): string[] {
  const cache = createRequire(import.meta.url).cache;
  return Object.keys(cache).filter((p) => /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/]tf-core\.node\.js$/.test(p));
}
