import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError, NotFoundError } from '../../core/errors.ts';
import type { Tf } from '../backend/select-backend.ts';
import { loadEncoder, type Encoder, type EncoderState } from '../data/encoder.ts';
import type { EvaluationTable } from '../evaluate/evaluation-table.ts';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type ModelArtifacts = import('@tensorflow/tfjs').io.ModelArtifacts;

/** Everything about one trained version except the weights; artifact.json in its directory. */
export interface ArtifactMeta {
  version: string;
  createdAt: string;
  schemaHash: string;
  /** The tfjs backend that trained it (BackendName) and its engine. */
  backend: string;
  /** Library versions behind that backend: tfjs, and tfjs-node + libtensorflow when native. */
  libraries?: Record<string, string>;
  encoder: EncoderState;
  /** Where the data came from (generator seed, or database and its high-water marks). */
  source: Record<string, string | number | null>;
  /** Snapshot range (ISO) and the split boundaries. */
  data: { from: string; to: string; trainEnd: string; validationEnd: string; stepDays: number; horizonDays: number };
  counts: { shoppers: number; train: number; validation: number; test: number };
  training: { epochs: number; bestEpoch: number; stoppedEarly: boolean; parameters: number };
  evaluation: EvaluationTable;
  /** sha256 (hex) of model.json and weights.bin, checked on load: a truncated or swapped file is refused. */
  sha256?: Record<string, string>;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const META_FILE = 'artifact.json';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function concatWeights(data: ArrayBuffer | ArrayBuffer[]): Buffer {
  return Buffer.concat((Array.isArray(data) ? data : [data]).map((b) => Buffer.from(b)));
}

/** Writes topology, weights and metadata; the pure-JS tfjs has no file:// handler, so this is one. */
export async function saveArtifact(tf: Tf, dir: string, model: LayersModel, meta: ArtifactMeta): Promise<void> {
  await mkdir(dir, { recursive: true });
  let sums: Record<string, string> = {};
  await model.save(
    tf.io.withSaveHandler(async (a: ModelArtifacts) => {
      const weights = concatWeights(a.weightData as ArrayBuffer | ArrayBuffer[]);
      const manifest = [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs ?? [] }];
      const topology = JSON.stringify({
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        weightsManifest: manifest,
      });
      await writeFile(join(dir, WEIGHTS_FILE), weights);
      await writeFile(join(dir, MODEL_FILE), topology);
      sums = { [MODEL_FILE]: sha256(topology), [WEIGHTS_FILE]: sha256(weights) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  await writeFile(join(dir, META_FILE), JSON.stringify({ ...meta, sha256: sums }, null, 2));
}

/** Reads an artifact file and refuses it unless its sha256 is the one recorded at save. */
async function readChecked(dir: string, file: string, meta: ArtifactMeta): Promise<Buffer> {
  const expected = meta.sha256?.[file];
  if (!expected)
    throw new ValidationError(`artifact ${meta.version} records no sha256 for ${file}: retrain it to load it`);
  const bytes = await readFile(join(dir, file));
  if (sha256(bytes) !== expected)
    throw new ValidationError(
      `artifact ${meta.version}: ${file} does not match its recorded sha256 (corrupt or replaced)`,
    );
  return bytes;
}

export async function readMeta(dir: string): Promise<ArtifactMeta> {
  try {
    return JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as ArtifactMeta;
  } catch (cause) {
    throw new NotFoundError(`no model artifact in ${dir}`, { cause });
  }
}

export interface LoadedModel {
  meta: ArtifactMeta;
  model: LayersModel;
  encoder: Encoder;
}

/** Loads a version for serving; the encoder check refuses a model built for another feature schema. */
export async function loadArtifact(tf: Tf, dir: string): Promise<LoadedModel> {
  const meta = await readMeta(dir);
  const encoder = loadEncoder(meta.encoder);
  if (meta.schemaHash !== meta.encoder.schemaHash)
    throw new ValidationError(`artifact ${meta.version} is inconsistent: schema hash differs from its encoder's`);
  const json = JSON.parse((await readChecked(dir, MODEL_FILE, meta)).toString('utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: ModelArtifacts['weightSpecs'] }[];
  };
  const weights = await readChecked(dir, WEIGHTS_FILE, meta);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0]!.weights,
      weightData,
    }),
  );
  return { meta, model, encoder };
}
