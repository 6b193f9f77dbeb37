/**
 * The wide part's logit contribution of each active wide slot, per category: the wide part is a
 * linear model over one-hot ids (mean-pooled), so slot s of row i adds weights[id(i, s)] / W to
 * the K logits. Row-major [n, W, K]. Pure, so scoring can explain without touching tensors.
 */
export function wideContributions(
  weights: Float32Array,
  K: number,
  wideIds: Int32Array,
  W: number,
  n: number,
): Float32Array {
  const out = new Float32Array(n * W * K);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < W; s++) {
      const id = wideIds[i * W + s]!;
      const at = (i * W + s) * K;
      for (let c = 0; c < K; c++) out[at + c] = weights[id * K + c]! / W;
    }
  }
  return out;
}
