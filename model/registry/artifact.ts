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
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const META_FILE = 'artifact.json';

function concatWeights(data: ArrayBuffer | ArrayBuffer[]): Buffer {
  return Buffer.concat((Array.isArray(data) ? data : [data]).map((b) => Buffer.from(b)));
}

/** Writes topology, weights and metadata; the pure-JS tfjs has no file:// handler, so this is one. */
export async function saveArtifact(tf: Tf, dir: string, model: LayersModel, meta: ArtifactMeta): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a: ModelArtifacts) => {
      await writeFile(join(dir, WEIGHTS_FILE), concatWeights(a.weightData as ArrayBuffer | ArrayBuffer[]));
      const manifest = [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs ?? [] }];
      await writeFile(
        join(dir, MODEL_FILE),
        JSON.stringify({
          modelTopology: a.modelTopology,
          format: a.format,
          generatedBy: a.generatedBy,
          weightsManifest: manifest,
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  await writeFile(join(dir, META_FILE), JSON.stringify(meta, null, 2));
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
  const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: ModelArtifacts['weightSpecs'] }[];
  };
  const weights = await readFile(join(dir, WEIGHTS_FILE));
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
