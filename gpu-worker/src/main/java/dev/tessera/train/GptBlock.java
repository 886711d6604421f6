package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.GptWeights;
import dev.tessera.model.KvAccess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GPT as a DJL training block: one {@link Parameter} per LlamaGen tensor, and a forward that is
 * the model core's {@link Gpt#forward} (no second implementation). Inputs: embed ids [B, T], RoPE rows
 * [B, T], additive mask [1, 1, T, T]. Outputs: logits [B, T, V], hidden [B, T, D].
 */
public final class GptBlock extends AbstractBlock implements NamedParameters {

  private final GptConfig config;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private Gpt gpt;

  public GptBlock(GptConfig config) {
    this.config = config;
    for (Map.Entry<String, Shape> e : GptWeights.expectedShapes(config).entrySet()) {
      Parameter p = addParameter(NamedParameters.weight(e.getKey(), e.getValue()));
      byName.put(e.getKey(), p);
    }
  }

  public GptConfig config() {
    return config;
  }

  @Override
  public Map<String, Parameter> parametersByName() {
    return byName;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    if (gpt == null) {
      NDManager owner = byName.values().iterator().next().getArray().getManager();
      gpt = new Gpt(GptWeights.of(config, n -> byName.get(n).getArray()), owner, false);
    }
    NDManager scope = ids.getManager();
    Gpt.Output out = gpt.forward(scope, ids, inputs.get(1), inputs.get(2), KvAccess.NONE);
    return new NDList(out.logits(), out.hidden());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {
      new Shape(ids.get(0), ids.get(1), config.vocabSize()),
      new Shape(ids.get(0), ids.get(1), config.dim())
    };
  }
}
