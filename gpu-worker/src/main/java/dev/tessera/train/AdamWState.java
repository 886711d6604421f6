package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.HashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, β = 0.9/0.95 as in LlamaGen) whose moments can be checkpointed and
 * restored, so that a resumed run continues exactly. Weight decay applies to matrices (ndim ≥ 2),
 * not to norm weights. Plugs into DJL's Trainer as its optimizer; updates run with grad mode off
 * ({@link NoGrad}), on whatever thread trains.
 */
public final class AdamWState extends Optimizer {

  private final ParameterTracker learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float decay;
  private final Map<String, NDArray[]> moments = new HashMap<>(); // id -> {m, v}
  private final Map<String, Integer> steps = new HashMap<>();
  private float gradScale = 1f;

  public AdamWState(ParameterTracker learningRate, float weightDecay) {
    super(new Builder());
    this.learningRate = learningRate;
    this.beta1 = 0.9f;
    this.beta2 = 0.95f;
    this.epsilon = 1e-8f;
    this.decay = weightDecay;
  }

  /** Multiplies the next step's gradients (global-norm clipping). */
  public void setGradScale(float scale) {
    this.gradScale = scale;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int t = steps.merge(parameterId, 1, Integer::sum);
    float lr = learningRate.getNewValue(parameterId, t - 1);
    NDArray[] mv = moments.computeIfAbsent(parameterId, id -> new NDArray[] {
      weight.zerosLike(), weight.zerosLike()
    });
    float c1 = (float) (1 - Math.pow(beta1, t));
    float c2 = (float) (1 - Math.pow(beta2, t));
    try (NoGrad off = NoGrad.enter();
        ai.djl.ndarray.NDManager scope = weight.getManager().newSubManager()) {
      NDArray g = grad.mul(gradScale);
      g.attach(scope);
      NDArray g1 = g.mul(1 - beta1);
      g1.attach(scope);
      mv[0].muli(beta1).addi(g1);
      NDArray g2 = g.square().muli(1 - beta2);
      g2.attach(scope);
      mv[1].muli(beta2).addi(g2);
      NDArray denom = mv[1].div(c2);
      denom.attach(scope);
      NDArray root = denom.sqrt().addi(epsilon);
      root.attach(scope);
      NDArray stepDir = mv[0].div(c1);
      stepDir.attach(scope);
      stepDir.divi(root).muli(lr);
      if (weight.getShape().dimension() >= 2 && decay > 0) {
        weight.muli(1 - lr * decay);
      }
      weight.subi(stepDir);
    }
  }

  /** Moments and step counts by parameter id, named "{id}.m", "{id}.v" ("{id}.t" as a scalar). */
  public NDList export() {
    NDList out = new NDList();
    for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
      NDArray m = e.getValue()[0].duplicate();
      m.setName(e.getKey() + ".m");
      NDArray v = e.getValue()[1].duplicate();
      v.setName(e.getKey() + ".v");
      NDArray t = m.getManager().create(new int[] {steps.get(e.getKey())});
      t.setName(e.getKey() + ".t");
      out.add(m);
      out.add(v);
      out.add(t);
    }
    return out;
  }

  /** Restores what {@link #export()} wrote; arrays are copied into {@code like}'s manager. */
  public void restore(NDList saved, NDArray like) {
    Map<String, NDArray> byName = new HashMap<>();
    for (NDArray a : saved) {
      byName.put(a.getName(), a);
    }
    for (String name : byName.keySet()) {
      if (!name.endsWith(".m")) {
        continue;
      }
      String id = name.substring(0, name.length() - 2);
      NDArray m = byName.get(id + ".m").duplicate();
      NDArray v = byName.get(id + ".v").duplicate();
      m.attach(like.getManager());
      v.attach(like.getManager());
      moments.put(id, new NDArray[] {m, v});
      steps.put(id, byName.get(id + ".t").toIntArray()[0]);
    }
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
