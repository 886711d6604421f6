package dev.tessera.serving;

import ai.djl.ndarray.NDManager;
import dev.tessera.decoding.ArDecoder;
import dev.tessera.decoding.ParDecoder;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.decoding.Strategy;
import dev.tessera.model.Gpt;
import java.util.EnumSet;
import java.util.Set;
import dev.tessera.tokenizer.VqTokenizer;

/** A served LlamaGen GPT: its weights on the engine, the strategies it supports, its tokenizer. */
public final class GptServedModel implements ServedModel {

  private final NDManager manager;
  private final Gpt gpt;
  private final ModelInfo info;
  private final VqTokenizer tokenizer; // null: this model cannot render images

  GptServedModel(String name, NDManager manager, Gpt gpt, VqTokenizer tokenizer) {
    this.manager = manager;
    this.gpt = gpt;
    this.tokenizer = tokenizer;
    Set<Strategy> strategies = gpt.config().parallelTokens() > 1
        ? EnumSet.of(Strategy.PAR) : EnumSet.of(Strategy.AR);
    this.info = new ModelInfo(name, gpt.config().gridSide(), gpt.config().numClasses(),
        gpt.config().vocabSize(), strategies, 0);
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** The tokenizer, or null when the grid has none. */
  public VqTokenizer tokenizer() {
    return tokenizer;
  }

  /** The transformer (for benchmarks and offline tools). */
  public Gpt gpt() {
    return gpt;
  }

  @Override
  public StepDecoder newDecoder(Strategy strategy, int maxImages) {
    if (!info.strategies().contains(strategy)) {
      throw new IllegalArgumentException("model " + info.name() + " does not support strategy '"
          + strategy.apiName() + "'; it supports " + info.strategies());
    }
    return switch (strategy) {
      case AR -> new ArDecoder(gpt, manager, maxImages);
      case PAR -> new ParDecoder(gpt, manager, maxImages);
      default -> throw new IllegalArgumentException("strategy " + strategy.apiName()
          + " is not implemented yet");
    };
  }

  @Override
  public byte[] toPng(int[] tokens) {
    if (tokens.length != info.tokensPerImage()) {
      throw new IllegalArgumentException("expected " + info.tokensPerImage() + " tokens, got "
          + tokens.length);
    }
    if (tokenizer == null) {
      throw new IllegalStateException("model " + info.name() + " has no tokenizer for its grid");
    }
    return tokenizer.toPng(tokens);
  }

  @Override
  public void close() {
    gpt.close();
    manager.close();
  }
}
