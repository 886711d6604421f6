package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tensors of a LlamaGen c2i GPT under LlamaGen's parameter names. Linear weights are stored
 * [out, in] as in PyTorch.
 */
public final class GptWeights {

  /** One transformer block. */
  public record Layer(
      NDArray attentionNorm, // [dim]
      NDArray wqkv, // [3*dim, dim], rows q | k | v
      NDArray wo, // [dim, dim]
      NDArray ffnNorm, // [dim]
      NDArray w1, // [ffn, dim] gate
      NDArray w3, // [ffn, dim] up
      NDArray w2) {} // [dim, ffn] down

  private final GptConfig config;
  private final NDArray classTable; // [numClasses + 1, dim], last row = null class
  private final NDArray tokenTable; // [vocab, dim]
  private final NDArray transitionTable; // [n - 1, dim] or null for raster models
  private final Layer[] layers;
  private final NDArray norm; // [dim]
  private final NDArray output; // [vocab, dim]

  private GptWeights(GptConfig config, Function<String, NDArray> byName) {
    this.config = config;
    this.classTable = byName.apply("cls_embedding.embedding_table.weight");
    this.tokenTable = byName.apply("tok_embeddings.weight");
    this.transitionTable = config.transitionTokens() > 0
        ? byName.apply("spe_tok_embeddings.special_embeddings.weight") : null;
    this.layers = new Layer[config.nLayer()];
    for (int i = 0; i < layers.length; i++) {
      String p = "layers." + i + ".";
      layers[i] = new Layer(
          byName.apply(p + "attention_norm.weight"),
          byName.apply(p + "attention.wqkv.weight"),
          byName.apply(p + "attention.wo.weight"),
          byName.apply(p + "ffn_norm.weight"),
          byName.apply(p + "feed_forward.w1.weight"),
          byName.apply(p + "feed_forward.w3.weight"),
          byName.apply(p + "feed_forward.w2.weight"));
    }
    this.norm = byName.apply("norm.weight");
    this.output = byName.apply("output.weight");
  }

  /** Binds weights looked up by LlamaGen name (the lookup must have checked names and shapes). */
  public static GptWeights of(GptConfig config, Function<String, NDArray> byName) {
    return new GptWeights(config, byName);
  }

  /** Every tensor this config needs, by LlamaGen name, in a stable order. */
  public static Map<String, Shape> expectedShapes(GptConfig c) {
    Map<String, Shape> m = new LinkedHashMap<>();
    long d = c.dim();
    m.put("cls_embedding.embedding_table.weight", new Shape(c.numClasses() + 1, d));
    m.put("tok_embeddings.weight", new Shape(c.vocabSize(), d));
    if (c.transitionTokens() > 0) {
      m.put("spe_tok_embeddings.special_embeddings.weight", new Shape(c.transitionTokens(), d));
    }
    for (int i = 0; i < c.nLayer(); i++) {
      String p = "layers." + i + ".";
      m.put(p + "attention_norm.weight", new Shape(d));
      m.put(p + "attention.wqkv.weight", new Shape(3 * d, d));
      m.put(p + "attention.wo.weight", new Shape(d, d));
      m.put(p + "ffn_norm.weight", new Shape(d));
      m.put(p + "feed_forward.w1.weight", new Shape(c.ffnHidden(), d));
      m.put(p + "feed_forward.w3.weight", new Shape(c.ffnHidden(), d));
      m.put(p + "feed_forward.w2.weight", new Shape(d, c.ffnHidden()));
    }
    m.put("norm.weight", new Shape(d));
    m.put("output.weight", new Shape(c.vocabSize(), d));
    return m;
  }

  /** Whether a name is a norm weight (initialised to ones). */
  public static boolean isNormWeight(String name) {
    return name.endsWith("norm.weight");
  }

  public GptConfig config() {
    return config;
  }

  public NDArray classTable() {
    return classTable;
  }

  public NDArray tokenTable() {
    return tokenTable;
  }

  /** PAR transition embeddings, or null for raster models. */
  public NDArray transitionTable() {
    return transitionTable;
  }

  public Layer layer(int i) {
    return layers[i];
  }

  public NDArray norm() {
    return norm;
  }

  public NDArray output() {
    return output;
  }

  /** All tensors in {@link #expectedShapes} order, named. */
  public List<NDArray> named() {
    List<NDArray> all = new ArrayList<>();
    all.add(named(classTable, "cls_embedding.embedding_table.weight"));
    all.add(named(tokenTable, "tok_embeddings.weight"));
    if (transitionTable != null) {
      all.add(named(transitionTable, "spe_tok_embeddings.special_embeddings.weight"));
    }
    for (int i = 0; i < layers.length; i++) {
      String p = "layers." + i + ".";
      Layer l = layers[i];
      all.add(named(l.attentionNorm(), p + "attention_norm.weight"));
      all.add(named(l.wqkv(), p + "attention.wqkv.weight"));
      all.add(named(l.wo(), p + "attention.wo.weight"));
      all.add(named(l.ffnNorm(), p + "ffn_norm.weight"));
      all.add(named(l.w1(), p + "feed_forward.w1.weight"));
      all.add(named(l.w3(), p + "feed_forward.w3.weight"));
      all.add(named(l.w2(), p + "feed_forward.w2.weight"));
    }
    all.add(named(norm, "norm.weight"));
    all.add(named(output, "output.weight"));
    return all;
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
