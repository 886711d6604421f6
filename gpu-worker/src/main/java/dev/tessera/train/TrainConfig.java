package dev.tessera.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Optimisation settings of one training run.
 *
 * @param steps total optimizer steps
 * @param batch images per step
 * @param peakLr learning rate after warm-up
 * @param warmupSteps linear warm-up steps
 * @param finalLrFraction cosine decay ends at peakLr × this
 * @param weightDecay AdamW decoupled weight decay on matrices
 * @param classDropout probability of replacing the label by the null class (CFG)
 * @param clipNorm global gradient-norm clip
 * @param seed seed of initialisation, data order and label dropout
 * @param checkpointEvery steps between checkpoints
 */
public record TrainConfig(
    @JsonProperty("steps") int steps,
    @JsonProperty("batch") int batch,
    @JsonProperty("peak_lr") double peakLr,
    @JsonProperty("warmup_steps") int warmupSteps,
    @JsonProperty("final_lr_fraction") double finalLrFraction,
    @JsonProperty("weight_decay") double weightDecay,
    @JsonProperty("class_dropout") double classDropout,
    @JsonProperty("clip_norm") double clipNorm,
    @JsonProperty("seed") long seed,
    @JsonProperty("checkpoint_every") int checkpointEvery) {

  public TrainConfig {
    if (steps <= 0 || batch <= 0 || checkpointEvery <= 0) {
      throw new IllegalArgumentException("steps, batch and checkpoint_every must be positive");
    }
    if (!(peakLr > 0) || warmupSteps < 0 || classDropout < 0 || classDropout >= 1) {
      throw new IllegalArgumentException("bad learning rate, warm-up or class dropout");
    }
  }

  /** Warm-up then cosine decay. */
  public float learningRate(int step) {
    if (step < warmupSteps) {
      return (float) (peakLr * (step + 1) / warmupSteps);
    }
    double progress = Math.min(1.0, (step - warmupSteps) / (double) Math.max(1, steps - warmupSteps));
    double floor = peakLr * finalLrFraction;
    return (float) (floor + (peakLr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
