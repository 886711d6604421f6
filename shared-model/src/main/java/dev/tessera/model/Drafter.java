package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The EAGLE-style drafter LANTERN uses (algorithms.md §2.6): {@code fc} over [token embedding; the
 * target's final hidden state], one LlamaGen decoder layer without its input norm, and the target's
 * frozen embedding and output head. Row p pairs the target feature f_p with the token after it and
 * predicts f_{p+1}, whose head logits are the distribution of the next token.
 */
public final class Drafter {

  private final Gpt target;
  private final NDArray fcWeight; // [D, 2D]
  private final NDArray fcBias; // [D]
  private final GptWeights.Layer layer;

  private Drafter(Gpt target, Function<String, NDArray> byName) {
    this.target = target;
    this.fcWeight = byName.apply("fc.weight");
    this.fcBias = byName.apply("fc.bias");
    this.layer = new GptWeights.Layer(null,
        byName.apply("layers.0.attention.wqkv.weight"),
        byName.apply("layers.0.attention.wo.weight"),
        byName.apply("layers.0.ffn_norm.weight"),
        byName.apply("layers.0.feed_forward.w1.weight"),
        byName.apply("layers.0.feed_forward.w3.weight"),
        byName.apply("layers.0.feed_forward.w2.weight"));
  }

  /** Binds drafter weights (checked names and shapes) to its target. */
  public static Drafter of(Gpt target, Function<String, NDArray> byName) {
    return new Drafter(target, byName);
  }

  /** The drafter's own tensors for a target of config {@code c}. */
  public static Map<String, Shape> expectedShapes(GptConfig c) {
    long d = c.dim();
    Map<String, Shape> m = new LinkedHashMap<>();
    m.put("fc.weight", new Shape(d, 2 * d));
    m.put("fc.bias", new Shape(d));
    m.put("layers.0.attention.wqkv.weight", new Shape(3 * d, d));
    m.put("layers.0.attention.wo.weight", new Shape(d, d));
    m.put("layers.0.ffn_norm.weight", new Shape(d));
    m.put("layers.0.feed_forward.w1.weight", new Shape(c.ffnHidden(), d));
    m.put("layers.0.feed_forward.w3.weight", new Shape(c.ffnHidden(), d));
    m.put("layers.0.feed_forward.w2.weight", new Shape(d, c.ffnHidden()));
    return m;
  }

  /** Config of the drafter's KV pool: the target's sizes with one layer. */
  public GptConfig cacheConfig() {
    return target.config().withLayers(1);
  }

  public Gpt target() {
    return target;
  }

  /**
   * One drafter forward.
   *
   * @param tokens [B, T] image token ids (the token after each feature)
   * @param features [B, T, D] target (or previously drafted) features
   * @param ropeIndex [B, T] RoPE rows
   * @param mask [B, 1, T, S]
   * @param kv the drafter's single-layer cache
   * @return logits [B, T, V] through the target's head, and the predicted features [B, T, D]
   */
  public Gpt.Output forward(NDManager scope, NDArray tokens, NDArray features, NDArray ropeIndex,
      NDArray mask, KvAccess kv) {
    NDArray e = target.weights().tokenTable().get(new NDIndex("{}", tokens));
    e.attach(scope);
    NDArray in = concatLast(e, features);
    NDArray x = Gpt.linear(in, fcWeight).add(fcBias);
    NDArray[] cs = target.rope(scope, ropeIndex);
    x = target.block(x, layer, 0, cs[0], cs[1], mask, kv);
    return new Gpt.Output(Gpt.linear(x, target.weights().output()), x);
  }

  private static NDArray concatLast(NDArray a, NDArray b) {
    return ai.djl.ndarray.NDArrays.concat(new NDList(a, b), -1);
  }
}
