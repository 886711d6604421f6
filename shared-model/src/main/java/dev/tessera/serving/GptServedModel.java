package dev.tessera.serving;

import ai.djl.ndarray.NDManager;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.decoding.AcceptanceRule;
import dev.tessera.decoding.ArDecoder;
import dev.tessera.decoding.BoundedLanternRule;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.LanternRule;
import dev.tessera.decoding.ParDecoder;
import dev.tessera.decoding.SpeculativeDecoder;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.tokenizer.ImageDecoder;
import dev.tessera.tokenizer.VqTokenizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A served LlamaGen GPT: its weights on the engine, its tokenizer, and where present its drafter and
 * LANTERN neighbour table; it makes one decoder per strategy.
 */
public final class GptServedModel implements ServedModel {

  /** The most drafts per step a speculative decoder admits. */
  public static final int MAX_DRAFT_LEN = dev.tessera.contract.StrategyParams.MAX_DRAFT_LEN;

  private final NDManager manager;
  private final Gpt gpt;
  private final ModelInfo info;
  private final ImageDecoder images; // null: this model cannot render images
  private final Drafter drafter; // null: no speculative strategies
  private final int[][] neighbours; // [V][kmax] or empty

  GptServedModel(String name, NDManager manager, Gpt gpt, ImageDecoder images, Drafter drafter,
      int[][] neighbours, ModelFamily family, List<String> classNames) {
    this.manager = manager;
    this.gpt = gpt;
    this.images = images;
    this.drafter = drafter;
    this.neighbours = neighbours;
    Set<Strategy> strategies = EnumSet.noneOf(Strategy.class);
    if (gpt.config().parallelTokens() > 1) {
      strategies.add(Strategy.PAR);
    } else {
      strategies.add(Strategy.AR);
      if (drafter != null) {
        strategies.add(Strategy.SPECULATIVE);
        strategies.add(Strategy.LANTERN);
      }
    }
    int kmax = neighbours.length == 0 ? 0 : neighbours[0].length;
    int side = gpt.config().gridSide();
    this.info = new ModelInfo(name, side, gpt.config().numClasses(), gpt.config().vocabSize(),
        strategies, strategies.contains(Strategy.LANTERN) ? kmax : 0, family,
        images == null ? 2 * side : side * images.pixelsPerToken(),
        images == null ? 1 : images.channels(), classNames);
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** Tessera's k-means tokenizer, or null for another family or when the grid has none. */
  public VqTokenizer tokenizer() {
    return images instanceof VqTokenizer t ? t : null;
  }

  /** What renders this model's tokens, or null when nothing does. */
  public ImageDecoder images() {
    return images;
  }

  /** The drafter, or null when the model has none. */
  public Drafter drafter() {
    return drafter;
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
      case SPECULATIVE -> new SpeculativeDecoder(drafter, manager, maxImages,
          job -> AcceptanceRule.EXACT, MAX_DRAFT_LEN);
      case LANTERN -> new SpeculativeDecoder(drafter, manager, maxImages, this::lanternRule,
          MAX_DRAFT_LEN);
    };
  }

  private AcceptanceRule lanternRule(DecodeJob job) {
    StrategyParams p = job.strategyParams();
    return p.paperRule() ? new LanternRule(neighbours, p.lanternK(), p.lanternDelta())
        : new BoundedLanternRule(neighbours, p.lanternK(), p.lanternDelta());
  }

  @Override
  public byte[] toPng(int[] tokens) {
    if (tokens.length != info.tokensPerImage()) {
      throw new IllegalArgumentException("expected " + info.tokensPerImage() + " tokens, got "
          + tokens.length);
    }
    if (images == null) {
      throw new IllegalStateException("model " + info.name() + " has no tokenizer for its grid");
    }
    return images.toPng(tokens);
  }

  @Override
  public void close() {
    if (images instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the image decoder of " + info.name(), e);
      }
    }
    gpt.close();
    manager.close();
  }
}
