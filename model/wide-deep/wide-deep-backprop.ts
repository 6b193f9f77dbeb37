import type { Tf } from '../backend/select-backend.ts';
import { nativeGather } from './native-ops.ts';
import type { Hidden, WideDeepParts } from './wide-deep-graph.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor2D = import('@tensorflow/tfjs').Tensor2D;

/**
 * One training step's forward pass and its gradient, differentiated by hand. tf.variableGrads
 * records a tape and clones every tensor a gradient needs (an Identity kernel each), and the
 * generic gradients of broadcasting ops add reshapes and casts: 578 kernels per step for this
 * model, each ~20-100 µs on the native backend whatever its size. By hand it is the same maths
 * in about a third of the kernels: no tape, BatchNorm's gradient in its closed form, ReLU and
 * dropout as one mask, the wide part's gradient as one segment sum.
 *
 * Same loss as train-step.ts's graph step: soft-target cross-entropy of softmax(logits) + the
 * layers' L2 penalties, BatchNorm on the batch's (biased) moments, dropout scaled by 1/keep.
 * wide-deep-backprop.unit.test.ts checks the gradients against tf.variableGrads of the same forward.
 *
 * Shapes: numeric [B, F], wide [B, W] int32, deep [B, D] int32, y [B, K]; masks[i] [B, units_i]
 * holds 0 or 1/keep (null: no dropout on that layer).
 */
export interface Backprop {
  /** Mean loss over the batch, penalties included (a scalar). */
  loss: Tensor;
  /** In the order of WideDeepGraph.vars. */
  grads: Tensor[];
  /** Per BatchNorm layer, in order: the batch mean and variance (for the moving averages). */
  moments: { mean: Tensor; variance: Tensor }[];
}

interface LayerCache {
  x: Tensor2D;
  a: Tensor2D;
  xhat?: Tensor2D;
  inv?: Tensor;
  mean?: Tensor;
  variance?: Tensor;
}

function forwardLayer(tf: Tf, h: Hidden, x: Tensor2D, mask: Tensor | null, invB: number): LayerCache {
  const z = tf.matMul(x, h.kernel as Tensor2D);
  if (!h.bn) {
    const a = tf.relu(tf.add(z, h.bias!)) as Tensor2D;
    return { x, a: mask ? tf.mul(a, mask) : a };
  }
  const mean = tf.mul(tf.sum(z, 0), invB);
  const centred = tf.sub(z, mean);
  const variance = tf.mul(tf.sum(tf.square(centred), 0), invB);
  const inv = tf.rsqrt(tf.add(variance, h.bn.epsilon));
  const xhat = tf.mul(centred, inv) as Tensor2D;
  const a = tf.relu(tf.add(tf.mul(xhat, h.bn.gamma), h.bn.beta)) as Tensor2D;
  return { x, a: mask ? tf.mul(a, mask) : a, xhat, inv, mean, variance };
}

/** Gradients of one hidden layer: [kernel, (gamma, beta) | bias] and d(input). */
function backwardLayer(tf: Tf, h: Hidden, c: LayerCache, da: Tensor, invB: number): { grads: Tensor[]; dx: Tensor2D } {
  // ReLU's derivative times the dropout mask: a > 0 exactly where both pass, and the mask is 1/keep there.
  const keep = 1 - h.rate;
  const gate = h.rate > 0 ? tf.mul(tf.sign(c.a), 1 / keep) : tf.sign(c.a);
  const dy = tf.mul(da, gate);
  let dz: Tensor, rest: Tensor[];
  if (!h.bn) {
    dz = dy;
    rest = [tf.sum(dy, 0)];
  } else {
    const dbeta = tf.sum(dy, 0);
    const dgamma = tf.sum(tf.mul(dy, c.xhat!), 0);
    // BatchNorm's input gradient: gamma * inv * (dy - mean(dy) - xhat * mean(dy * xhat)).
    const centred = tf.sub(tf.sub(dy, tf.mul(dbeta, invB)), tf.mul(c.xhat!, tf.mul(dgamma, invB)));
    dz = tf.mul(centred, tf.mul(c.inv!, h.bn.gamma));
    rest = [dgamma, dbeta];
  }
  const dkernel = tf.matMul(c.x, dz as Tensor2D, true, false);
  return { grads: [dkernel, ...rest], dx: tf.matMul(dz as Tensor2D, h.kernel as Tensor2D, false, true) };
}

/** Call inside tf.tidy; returns tensors the caller keeps or lets tidy dispose. */
export function wideDeepBackprop(
  tf: Tf,
  p: WideDeepParts,
  xs: Tensor[],
  y: Tensor,
  masks: readonly (Tensor | null)[],
): Backprop {
  const [numeric, wide, deep] = xs as [Tensor2D, Tensor2D, Tensor2D];
  const [B, W] = wide.shape;
  const invB = 1 / B;
  const [V, K] = p.wideEmb.shape as [number, number];
  const E = p.deepEmb.shape[1]!;
  const D = deep.shape[1];
  const gather = nativeGather(tf);

  const wideLin = tf.mul(tf.sum(gather(p.wideEmb, wide), 1), 1 / W);
  let x = tf.concat([tf.reshape(gather(p.deepEmb, deep), [B, D * E]), numeric], 1) as Tensor2D;
  const caches: LayerCache[] = [];
  p.hidden.forEach((h, i) => {
    const c = forwardLayer(tf, h, x, masks[i] ?? null, invB);
    caches.push(c);
    x = c.a;
  });
  const logits = tf.add(
    tf.addN([wideLin, tf.matMul(numeric, p.wideK as Tensor2D), tf.matMul(x, p.outK as Tensor2D)]),
    tf.add(p.wideB, p.outB),
  );
  const probs = tf.softmax(logits);
  const dl = tf.mul(tf.sub(probs, y), invB);

  const dbias = tf.sum(dl, 0);
  const doutK = tf.matMul(x, dl as Tensor2D, true, false);
  const dwideK = tf.matMul(numeric, dl as Tensor2D, true, false);
  // Each of a row's W wide ids received logits/W: its K-vector's gradient is the row's dl/W, summed per id.
  const perId = tf.reshape(tf.tile(tf.mul(dl, 1 / W), [1, W]), [B * W, K]);
  let dwideEmb = tf.unsortedSegmentSum(perId, tf.reshape(wide, [B * W]), V);
  let dwideKAll: Tensor = dwideK;
  if (p.wideEmbL2) dwideEmb = tf.add(dwideEmb, tf.mul(p.wideEmb, 2 * p.wideEmbL2));
  if (p.wideKL2) dwideKAll = tf.add(dwideK, tf.mul(p.wideK, 2 * p.wideKL2));

  const hiddenGrads: Tensor[][] = [];
  let da: Tensor = tf.matMul(dl as Tensor2D, p.outK as Tensor2D, false, true);
  for (let i = p.hidden.length - 1; i >= 0; i--) {
    const { grads, dx } = backwardLayer(tf, p.hidden[i]!, caches[i]!, da, invB);
    hiddenGrads[i] = grads;
    da = dx;
  }
  const dEmbRows = tf.reshape(tf.slice(da, [0, 0], [B, D * E]), [B * D, E]);
  const ddeepEmb = tf.unsortedSegmentSum(dEmbRows, tf.reshape(deep, [B * D]), p.deepEmb.shape[0]!);

  return {
    loss: lossOf(tf, p, probs, y, invB),
    grads: [dwideEmb, dwideKAll, dbias, ddeepEmb, ...hiddenGrads.flat(), doutK, dbias],
    moments: caches.filter((c) => c.mean).map((c) => ({ mean: c.mean!, variance: c.variance! })),
  };
}

/** Cross-entropy from the probabilities (a floor keeps log finite where softmax underflows) + L2 penalties. */
function lossOf(tf: Tf, p: WideDeepParts, probs: Tensor, y: Tensor, invB: number): Tensor {
  const terms = [tf.mul(tf.sum(tf.mul(y, tf.log(tf.maximum(probs, 1e-30)))), -invB)];
  if (p.wideEmbL2) terms.push(tf.mul(tf.sum(tf.square(p.wideEmb)), p.wideEmbL2));
  if (p.wideKL2) terms.push(tf.mul(tf.sum(tf.square(p.wideK)), p.wideKL2));
  return terms.length === 1 ? terms[0]! : tf.addN(terms);
}
