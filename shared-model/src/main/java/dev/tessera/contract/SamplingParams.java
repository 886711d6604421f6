package dev.tessera.contract;

/**
 * How one request turns logits into tokens, in LlamaGen's order: CFG combine, temperature, top-k,
 * top-p, softmax, multinomial. {@code temperature == 0} means greedy (argmax).
 *
 * @param cfgScale classifier-free guidance scale; {@code <= 1} disables the unconditional stream
 * @param temperature softmax temperature, 0 for greedy
 * @param topK keep the k largest logits (ties kept); 0 disables
 * @param topP nucleus mass in (0, 1]; 1 disables
 */
public record SamplingParams(double cfgScale, double temperature, int topK, double topP) {

  /** The defaults Tessera documents for its shipped models. */
  public static final SamplingParams DEFAULT = new SamplingParams(2.0, 1.0, 0, 1.0);

  public SamplingParams {
    require(Double.isFinite(cfgScale) && cfgScale >= 0 && cfgScale <= 20,
        "cfg_scale must be in [0, 20], was " + cfgScale);
    require(Double.isFinite(temperature) && temperature >= 0 && temperature <= 10,
        "temperature must be in [0, 10], was " + temperature);
    require(topK >= 0, "top_k must be >= 0, was " + topK);
    require(Double.isFinite(topP) && topP > 0 && topP <= 1, "top_p must be in (0, 1], was " + topP);
  }

  /** Whether the unconditional stream runs (and doubles the KV slots and compute). */
  public boolean usesCfg() {
    return cfgScale > 1.0;
  }

  /** Whether sampling is greedy (argmax). */
  public boolean greedy() {
    return temperature < 1e-5;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
