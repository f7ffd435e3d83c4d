/**
 * Multinomial logistic regression trained by full-batch Adam on binary features weighted 1/√n
 * (as model.ts reads them), with L2 regularisation. Full batch and zero initialisation make it
 * deterministic: the same corpus gives the same model on every machine.
 */
export interface Example {
  features: readonly string[];
  label: number;
}

export interface TrainOptions {
  classes: number;
  /** L2 penalty on the weights (not the biases). */
  l2: number;
  epochs: number;
  learningRate: number;
  /** Features seen in fewer training texts than this are left out (noise, and model size). */
  minCount: number;
}

export const DEFAULT_TRAINING: Omit<TrainOptions, 'classes'> = { l2: 3e-5, epochs: 250, learningRate: 0.1, minCount: 2 };

export interface TrainedWeights {
  features: string[];
  /** features.length × classes, row-major. */
  weights: Float64Array;
  bias: Float64Array;
  classes: number;
}

export function train(examples: readonly Example[], options: TrainOptions): TrainedWeights {
  const K = options.classes;
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const features = [...counts].filter(([, n]) => n >= options.minCount).map(([f]) => f).sort();
  const index = new Map(features.map((f, i) => [f, i]));
  const docs = examples.map((e) => {
    const ids = Int32Array.from(e.features.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
    return { ids, x: e.features.length ? 1 / Math.sqrt(e.features.length) : 0, label: e.label };
  });

  const W = new Float64Array(features.length * K);
  const b = new Float64Array(K);
  const adam = (size: number) => ({ m: new Float64Array(size), v: new Float64Array(size) });
  const aw = adam(W.length);
  const ab = adam(K);
  const gW = new Float64Array(W.length);
  const gb = new Float64Array(K);
  const z = new Float64Array(K);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const n = docs.length;

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    gW.fill(0);
    gb.fill(0);
    for (const doc of docs) {
      z.set(b);
      // Stryker disable next-line EqualityOperator: equivalent — a Float64Array ignores a write past its end, and z[K] is never read
      for (const id of doc.ids) for (let k = 0; k < K; k++) z[k]! += W[id * K + k]! * doc.x;
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, z[k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
      for (let k = 0; k < K; k++) {
        const g = ((z[k]! / sum - (k === doc.label ? 1 : 0)) / n);
        gb[k]! += g;
        for (const id of doc.ids) gW[id * K + k]! += g * doc.x;
      }
    }
    // Stryker disable next-line EqualityOperator: equivalent — a Float64Array ignores a write past its end
    for (let i = 0; i < W.length; i++) gW[i]! += options.l2 * W[i]!;
    step(W, gW, aw, epoch);
    step(b, gb, ab, epoch);
  }
  return { features, weights: W, bias: b, classes: K };

  function step(params: Float64Array, grad: Float64Array, state: { m: Float64Array; v: Float64Array }, t: number) {
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    // Stryker disable next-line EqualityOperator: equivalent — Float64Arrays ignore writes past their end
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      state.m[i] = beta1 * state.m[i]! + (1 - beta1) * g;
      state.v[i] = beta2 * state.v[i]! + (1 - beta2) * g * g;
      params[i]! -= (options.learningRate * (state.m[i]! / correction1)) / (Math.sqrt(state.v[i]! / correction2) + eps);
    }
  }
}
