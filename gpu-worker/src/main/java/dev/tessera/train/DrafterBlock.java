package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.model.KvAccess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The EAGLE drafter as a DJL training block: its own tensors are parameters; the target's embedding
 * and head are used frozen. The forward is {@link Drafter#forward} (the model core's block). Inputs:
 * tokens [B, T], features [B, T, D], RoPE rows [B, T], mask [1, 1, T, T].
 */
public final class DrafterBlock extends AbstractBlock implements NamedParameters {

  private final Gpt target;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private Drafter drafter;

  public DrafterBlock(Gpt target) {
    this.target = target;
    for (Map.Entry<String, Shape> e : Drafter.expectedShapes(target.config()).entrySet()) {
      byName.put(e.getKey(), addParameter(NamedParameters.weight(e.getKey(), e.getValue())));
    }
  }

  public Gpt target() {
    return target;
  }

  @Override
  public Map<String, Parameter> parametersByName() {
    return byName;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    if (drafter == null) {
      drafter = Drafter.of(target, n -> byName.get(n).getArray());
    }
    Gpt.Output out = drafter.forward(inputs.get(0).getManager(), inputs.get(0), inputs.get(1),
        inputs.get(2), inputs.get(3), KvAccess.NONE);
    return new NDList(out.logits(), out.hidden());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape t = inputShapes[0];
    return new Shape[] {
      new Shape(t.get(0), t.get(1), target.config().vocabSize()),
      new Shape(t.get(0), t.get(1), target.config().dim())
    };
  }
}
