import { readFile } from 'node:fs/promises';
import type { EncodedBatch } from '../data/encoder.ts';
import { loadArtifact, saveArtifact } from '../registry/artifact.ts';
import { createTrainStep } from '../train/train-step.ts';
import { inputTensors, predictProbabilities } from '../wide-deep/predict.ts';
import { buildWideDeep } from '../wide-deep/wide-deep-model.ts';
import { selectBackend } from './select-backend.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;

/**
 * The native half of backend-parity.unit.test.ts, in its own process (native TF must not share a
 * process with the root tfjs the test uses). Input: a JSON file { artifactDir, trainedDir, batch }.
 * Predicts `batch` with the given artifact, trains a fresh W&D for a few steps on it and saves it
 * to trainedDir; prints { backend, given, trained } (probabilities as plain arrays).
 */
interface ChildInput {
  artifactDir: string;
  trainedDir: string;
  batch: { n: number; numeric: number[]; wide: number[]; deep: number[] };
}

async function main(file: string): Promise<void> {
  const input = JSON.parse(await readFile(file, 'utf8')) as ChildInput;
  const backend = await selectBackend({ only: ['tfjs-node'] });
  const { tf } = backend;
  const { model, encoder, meta } = await loadArtifact(tf, input.artifactDir);
  const K = encoder.state.categories.length;
  const b = input.batch;
  const batch: EncodedBatch = {
    n: b.n,
    numeric: Float32Array.from(b.numeric),
    wide: Int32Array.from(b.wide),
    deep: Int32Array.from(b.deep),
  };
  const given = predictProbabilities(tf, model, encoder.layout, batch, K);
  const fresh = buildWideDeep(tf, { layout: encoder.layout, K, hidden: [16, 8], seed: 11 });
  const step = createTrainStep(tf, fresh, { learningRate: 1e-2 });
  for (let i = 0; i < 5; i++) {
    const xs = inputTensors(tf, encoder.layout, batch, 0, batch.n);
    const y = tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: batch.n }, (_, r) => r % K),
          'int32',
        ),
        K,
      )
      .toFloat();
    await step.run(xs, y);
    tf.dispose([...xs, y] as Tensor[]);
  }
  step.dispose();
  await saveArtifact(tf, input.trainedDir, fresh, {
    ...meta,
    version: 'v-native',
    backend: `${backend.name} (${backend.engine})`,
    libraries: backend.versions,
  });
  const trained = predictProbabilities(tf, fresh, encoder.layout, batch, K);
  process.stdout.write(
    `${JSON.stringify({ backend: backend.name, given: Array.from(given), trained: Array.from(trained) })}\n`,
  );
}

main(process.argv[2]!).catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
