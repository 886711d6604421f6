package dev.tessera.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tessera.model.GptConfig;
import dev.tessera.sampling.SamplingParams;
import java.util.Objects;

/**
 * A model directory's {@code config.json}.
 *
 * @param name model name (API and CLI)
 * @param gpt transformer sizes
 * @param tokenizer path of the tokenizer directory, relative to the model directory
 * @param drafter name of the drafter model directory next to this one, or null
 * @param defaultSampling documented default sampling settings, or null for Tessera's defaults
 * @param target for a drafter: its target's directory next to this one; null for a served model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
    @JsonProperty("name") String name,
    @JsonProperty("gpt") GptConfig gpt,
    @JsonProperty("tokenizer") String tokenizer,
    @JsonProperty("drafter") String drafter,
    @JsonProperty("default_sampling") SamplingParams defaultSampling,
    @JsonProperty("target") String target) {

  public ModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gpt, "gpt");
  }

  /** A served model's spec (no target). */
  public static ModelSpec served(String name, dev.tessera.model.GptConfig gpt, String tokenizer,
      String drafter) {
    return new ModelSpec(name, gpt, tokenizer, drafter, null, null);
  }

  /** Whether this directory holds a drafter (served through its target). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isDrafter() {
    return target != null;
  }
}
