package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * The LlamaGen c2i transformer forward over weights, shared by inference (with a KV pool) and
 * training (autograd through the same ops). Inputs are "embed ids" in one id space:
 * {@code [0, V)} image tokens, {@code V + c} class c (the null class is {@code V + numClasses}),
 * {@code V + numClasses + 1 + m} PAR transition token m.
 */
public final class Gpt implements AutoCloseable {

  /** Logits [B, T, V] (fp32) and the final hidden states after the last norm [B, T, D]. */
  public record Output(NDArray logits, NDArray hidden) {}

  private final GptConfig config;
  private final GptWeights weights;
  private final NDManager constants;
  private final NDArray ropeCos; // [1 + N, hd]
  private final NDArray ropeSin; // [1 + N, hd]
  private final NDArray swap; // [hd, hd], x·swap pairs (x0, x1) -> (-x1, x0)
  private final NDArray frozenEmbedTable; // [V + C + 1 + n - 1, D], or null while training

  /**
   * @param frozen whether the weights stay fixed (inference): derived tables are then built once
   */
  public Gpt(GptWeights weights, NDManager parent, boolean frozen) {
    this.config = weights.config();
    this.weights = weights;
    this.constants = parent.newSubManager();
    int hd = config.headDim();
    float[][] tables = Rope2d.tables(config.gridSide(), hd, config.ropeBase());
    int rows = tables[0].length / hd;
    this.ropeCos = constants.create(tables[0], new Shape(rows, hd));
    this.ropeSin = constants.create(tables[1], new Shape(rows, hd));
    this.swap = constants.create(Rope2d.swapMatrix(hd), new Shape(hd, hd));
    this.frozenEmbedTable = frozen ? embedTable(constants) : null;
  }

  public GptConfig config() {
    return config;
  }

  public GptWeights weights() {
    return weights;
  }

  /** Embed id of class {@code label} (use {@link GptConfig#nullClass()} for the null class). */
  public static long classId(GptConfig c, int label) {
    return c.vocabSize() + label;
  }

  /** Embed id of PAR transition token m (0-based). */
  public static long transitionId(GptConfig c, int m) {
    return c.vocabSize() + c.numClasses() + 1 + m;
  }

  /**
   * One forward.
   *
   * @param scope manager that owns every intermediate (close it after reading the output)
   * @param embedIds [B, T] int64 embed ids
   * @param ropeIndex [B, T] int64 rows of the RoPE table ({@link Rope2d})
   * @param mask [B, 1, T, S] additive attention mask (0 visible, large negative hidden), or null
   *     when every query sees every key
   * @param kv where keys and values go and come from
   */
  public Output forward(NDManager scope, NDArray embedIds, NDArray ropeIndex, NDArray mask,
      KvAccess kv) {
    NDArray table = frozenEmbedTable != null ? frozenEmbedTable : embedTable(scope);
    NDArray x = attach(scope, table.get(new NDIndex("{}", embedIds))); // [B, T, D]
    NDArray[] cs = rope(scope, ropeIndex);
    NDArray cos = cs[0];
    NDArray sin = cs[1];
    for (int i = 0; i < config.nLayer(); i++) {
      x = block(x, weights.layer(i), i, cos, sin, mask, kv);
    }
    NDArray hidden = rmsNorm(x, weights.norm());
    return new Output(linear(hidden, weights.output()), hidden);
  }

  /**
   * One pre-norm LlamaGen block: {@code h = x + Attn(norm(x))}, {@code out = h + FFN(norm(h))}. A
   * layer without an attention norm (the EAGLE drafter's layer 0) attends over x directly.
   *
   * @param x [B, T, D]
   * @param cos RoPE cosines [B, T, 1, hd]
   * @param sin RoPE sines [B, T, 1, hd]
   */
  public NDArray block(NDArray x, GptWeights.Layer l, int layerIndex, NDArray cos, NDArray sin,
      NDArray mask, KvAccess kv) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int h = config.nHead();
    int hd = config.headDim();
    // attention: fused wqkv split [q | k | v], 2D RoPE on q and k together
    NDArray attnIn = l.attentionNorm() == null ? x : rmsNorm(x, l.attentionNorm());
    NDArray qkv = linear(attnIn, l.wqkv()).reshape(b, t, 3L * h, hd);
    NDArray qk = qkv.get(new NDIndex(":, :, :{}", 2 * h)); // [B, T, 2H, hd]
    NDArray v = qkv.get(new NDIndex(":, :, {}:", 2 * h)); // [B, T, H, hd]
    qk = qk.mul(cos).add(qk.matMul(swap).mul(sin));
    float scale = (float) (1.0 / Math.sqrt(hd));
    NDArray q = qk.get(new NDIndex(":, :, :{}", h)).transpose(0, 2, 1, 3).mul(scale); // [B,H,T,hd]
    NDArray[] keysValues = kv.store(layerIndex, qk.get(new NDIndex(":, :, {}:", h)), v);
    NDArray scores = q.matMul(keysValues[0].transpose(0, 1, 3, 2)); // [B, H, T, S]
    NDArray att = (mask == null ? scores : scores.add(mask)).softmax(-1);
    NDArray o = att.matMul(keysValues[1]).transpose(0, 2, 1, 3).reshape(b, t, config.dim());
    x = x.add(linear(o, l.wo()));
    // SwiGLU feed-forward: w2(silu(w1 h) * w3 h)
    NDArray hn = rmsNorm(x, l.ffnNorm());
    NDArray gate = linear(hn, l.w1());
    NDArray up = linear(hn, l.w3());
    return x.add(linear(gate.mul(Activation.sigmoid(gate)).mul(up), l.w2()));
  }

  /** RoPE cos and sin rows for [B, T] rope indices, each [B, T, 1, hd], owned by scope. */
  public NDArray[] rope(NDManager scope, NDArray ropeIndex) {
    long b = ropeIndex.getShape().get(0);
    long t = ropeIndex.getShape().get(1);
    int hd = config.headDim();
    return new NDArray[] {
      attach(scope, ropeCos.get(new NDIndex("{}", ropeIndex))).reshape(b, t, 1, hd),
      attach(scope, ropeSin.get(new NDIndex("{}", ropeIndex))).reshape(b, t, 1, hd)
    };
  }

  /** RMSNorm: x · (mean(x²) + eps)^−½ · w, statistic in fp32 over the last axis. */
  public NDArray rmsNorm(NDArray x, NDArray w) {
    NDArray inv = x.square().mean(new int[] {-1}, true).add((float) config.normEps()).pow(-0.5f);
    return x.mul(inv).mul(w);
  }

  /** x·Wᵀ for a PyTorch-layout [out, in] weight, in one op. */
  static NDArray linear(NDArray x, NDArray w) {
    return Linear.linear(x, w).head();
  }

  private NDArray embedTable(NDManager scope) {
    NDArray t = weights.transitionTable() == null
        ? NDArrays.concat(new ai.djl.ndarray.NDList(weights.tokenTable(), weights.classTable()))
        : NDArrays.concat(new ai.djl.ndarray.NDList(weights.tokenTable(), weights.classTable(),
            weights.transitionTable()));
    t.attach(scope);
    return t;
  }

  private static NDArray attach(NDManager scope, NDArray a) {
    a.attach(scope);
    return a;
  }

  @Override
  public void close() {
    constants.close();
  }
}
