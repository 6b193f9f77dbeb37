import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../core/errors.ts';
import { FLAVOURS, TFJS_NODE_VERSION, nativeCacheDir, type NativeFlavour } from './native-config.ts';

/**
 * The steps that turn PyPI's libtensorflow into a working tfjs-node addon, offline from Google's
 * storage. Each throws an AppError naming what failed; install-native.ts records it and goes on.
 */
export interface StepContext {
  flavour: NativeFlavour;
  /** flavourDir(): holds package.json, node_modules, site/ (the library) and status.json. */
  dir: string;
  /** Every child's stdout/stderr is appended here, so the one-line reason can point at details. */
  logFile: string;
}

const PY_TAGS = ['--only-binary=:all:', '--python-version', '311', '--platform', 'manylinux_2_27_x86_64'];

function run(
  ctx: StepContext,
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  appendFileSync(ctx.logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ctx.dir,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  appendFileSync(ctx.logFile, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.error) throw new AppError(`${cmd} could not start: ${r.error.message}`, { cause: r.error });
  if (r.status !== 0) {
    const last = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? '';
    const what = [cmd, ...args.slice(0, 3)].map((a) => (a.startsWith('/') ? basename(a) : a.split('\n')[0]!)).join(' ');
    throw new AppError(`${what} exited ${r.status}: ${last.slice(0, 300)}`);
  }
  return r.stdout ?? '';
}

const pkgDir = (ctx: StepContext) => join(ctx.dir, 'node_modules', FLAVOURS[ctx.flavour].pkg);
const site = (ctx: StepContext) => join(ctx.dir, 'site');

/** The CPU wheel is 274 MB; downloaded once into the shared cache and reused by every worktree. */
export function fetchWheel(ctx: StepContext): string {
  const spec = FLAVOURS[ctx.flavour];
  const wheels = join(nativeCacheDir(), 'wheels');
  mkdirSync(wheels, { recursive: true });
  const prefix = `${spec.wheel.replace(/-/g, '_')}-${spec.wheelVersion}-`;
  const have = () => readdirSync(wheels).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
  if (!have())
    run(ctx, 'python3', [
      '-m',
      'pip',
      'download',
      `${spec.wheel}==${spec.wheelVersion}`,
      '--no-deps',
      ...PY_TAGS,
      '-d',
      wheels,
      '--quiet',
    ]);
  const found = have();
  if (!found) throw new AppError(`pip reported success but no ${prefix}*.whl is in ${wheels}`);
  return join(wheels, found);
}

/** Only the two libraries and the C API headers leave the wheel (~850 MB of its ~1.1 GB). */
export function extractLibrary(ctx: StepContext, wheel: string): void {
  rmSync(site(ctx), { recursive: true, force: true });
  const script = [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'want = ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")',
    'heads = ("tensorflow/include/tensorflow/c/", "tensorflow/include/xla/tsl/c/", "tensorflow/include/tsl/platform/ctstring", "tensorflow/include/tensorflow/core/platform/ctstring")',
    'for n in z.namelist():',
    '    if n in want or n.startswith(heads): z.extract(n, sys.argv[2])',
  ].join('\n');
  run(ctx, 'python3', ['-c', script, wheel, site(ctx)]);
}

/**
 * GPU: the CUDA build needs NVIDIA's CUDA/cuDNN wheels next to it (site/nvidia/...), where the
 * library's RPATH ($ORIGIN/../nvidia/...) looks for them. Untested: no GPU machine was lent.
 */
export function installGpuLibrary(ctx: StepContext): void {
  const spec = FLAVOURS[ctx.flavour];
  rmSync(site(ctx), { recursive: true, force: true });
  run(ctx, 'python3', [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--target',
    site(ctx),
    ...PY_TAGS,
    `${spec.wheel}[and-cuda]==${spec.wheelVersion}`,
  ]);
}

/** `--ignore-scripts`: the package's own install script would download libtensorflow from Google. */
export function installPackage(ctx: StepContext): void {
  const spec = FLAVOURS[ctx.flavour];
  writeFileSync(
    join(ctx.dir, 'package.json'),
    JSON.stringify(
      { private: true, name: `shop-reco-native-${ctx.flavour}`, dependencies: { [spec.pkg]: TFJS_NODE_VERSION } },
      null,
      2,
    ),
  );
  run(ctx, 'npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
}

/**
 * Lays the library out as the package expects: headers in deps/include, libraries in deps/lib
 * under their link names and sonames. `libtensorflow.so.2.9.1` is the marker whose presence
 * makes the package's scripts skip their download. Symlinks, not copies: 850 MB stays once.
 */
export function linkLibrary(ctx: StepContext): void {
  const deps = join(pkgDir(ctx), 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  cpSync(join(site(ctx), 'tensorflow/include'), join(deps, 'include'), { recursive: true });
  const tfDir = join(site(ctx), 'tensorflow');
  const links: Record<string, string> = {
    'libtensorflow.so': 'libtensorflow_cc.so.2',
    'libtensorflow_cc.so.2': 'libtensorflow_cc.so.2',
    'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
    'libtensorflow_framework.so.2': 'libtensorflow_framework.so.2',
  };
  for (const [name, target] of Object.entries(links)) {
    if (!existsSync(join(tfDir, target))) throw new AppError(`${target} is missing from ${tfDir}`);
    symlinkSync(join(tfDir, target), join(deps, 'lib', name));
  }
  writeFileSync(
    join(deps, 'lib', 'libtensorflow.so.2.9.1'),
    'marker: libtensorflow comes from PyPI, see model/native/\n',
  );
  // If $ORIGIN resolves to deps/lib rather than the link target, ../nvidia must still be there.
  if (existsSync(join(site(ctx), 'nvidia'))) symlinkSync(join(site(ctx), 'nvidia'), join(deps, 'nvidia'));
}

/** node-gyp from npm's own install; --nodedir avoids node-gyp's download of Node's headers. */
function nodeGyp(ctx: StepContext): string {
  const root = run(ctx, 'npm', ['root', '-g']).trim();
  const gyp = join(root, 'npm/node_modules/node-gyp/bin/node-gyp.js');
  if (!existsSync(gyp)) throw new AppError(`node-gyp not found at ${gyp}`);
  return gyp;
}

export function buildAddon(ctx: StepContext): void {
  const nodedir = dirname(dirname(process.execPath));
  if (!existsSync(join(nodedir, 'include/node/node_api.h')))
    throw new AppError(`Node's headers are not in ${nodedir}/include/node (Debian: apt-get install libnode-dev)`);
  const preGyp = join(ctx.dir, 'node_modules/@mapbox/node-pre-gyp/bin/node-pre-gyp');
  run(ctx, process.execPath, [preGyp, 'install', '--build-from-source', `--nodedir=${nodedir}`], {
    cwd: pkgDir(ctx),
    env: { npm_config_node_gyp: nodeGyp(ctx), JOBS: 'max' },
  });
}

/** Loads the addon in a child (a crash here must not take the installer down) and runs one op. */
export function verifyAddon(ctx: StepContext): string {
  const script = `
    const tf = require('module').createRequire(process.argv[1])('${FLAVOURS[ctx.flavour].pkg}');
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1], [1]])).dataSync();
    if (tf.getBackend() !== 'tensorflow' || y[0] !== 3 || y[1] !== 7) throw new Error('wrong result ' + tf.getBackend() + ' ' + y);
    process.stdout.write(tf.backend().binding.TF_Version);`;
  return run(ctx, process.execPath, ['-e', script, join(ctx.dir, 'package.json')], {
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
  }).trim();
}
