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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
    @JsonProperty("name") String name,
    @JsonProperty("gpt") GptConfig gpt,
    @JsonProperty("tokenizer") String tokenizer,
    @JsonProperty("drafter") String drafter,
    @JsonProperty("default_sampling") SamplingParams defaultSampling) {

  public ModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gpt, "gpt");
  }
}
