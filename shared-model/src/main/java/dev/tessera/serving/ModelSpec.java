package dev.tessera.serving;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tessera.contract.SamplingParams;
import dev.tessera.model.GptConfig;
import dev.tessera.tokenizer.llamagen.VqModelConfig;
import java.util.List;
import java.util.Objects;

/**
 * A model directory's {@code config.json}.
 *
 * @param name model name (API and CLI)
 * @param gpt transformer sizes
 * @param tokenizer family {@code tessera}: path of the tokenizer directory, relative to the model
 *     directory
 * @param drafter name of the drafter model directory next to this one, or null
 * @param defaultSampling documented default sampling settings, or null for Tessera's defaults
 * @param target for a drafter: its target's directory next to this one; null for a served model
 * @param family which tokenizer renders the tokens (absent: {@code tessera})
 * @param vq family {@code llamagen-c2i}: the VQ model's sizes
 * @param vqWeights family {@code llamagen-c2i}: the VQ weights file relative to the model directory
 *     (default {@code vq.safetensors}; a sharded index next to it works too)
 * @param classNames one name per class label, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
    @JsonProperty("name") String name,
    @JsonProperty("gpt") GptConfig gpt,
    @JsonProperty("tokenizer") String tokenizer,
    @JsonProperty("drafter") String drafter,
    @JsonProperty("default_sampling") SamplingParams defaultSampling,
    @JsonProperty("target") String target,
    @JsonProperty("family") ModelFamily family,
    @JsonProperty("vq") VqModelConfig vq,
    @JsonProperty("vq_weights") String vqWeights,
    @JsonProperty("class_names") List<String> classNames) {

  /** The VQ weights file name when config.json names none. */
  public static final String DEFAULT_VQ_WEIGHTS = "vq.safetensors";

  @JsonCreator
  public ModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gpt, "gpt");
    family = family == null ? ModelFamily.TESSERA : family;
    if (classNames != null) {
      classNames = List.copyOf(classNames);
      if (classNames.size() != gpt.numClasses()) {
        throw new IllegalArgumentException("class_names has " + classNames.size()
            + " names but gpt.num_classes is " + gpt.numClasses());
      }
    }
    if (family == ModelFamily.LLAMAGEN_C2I && target == null) {
      if (vq == null) {
        throw new IllegalArgumentException("family llamagen-c2i needs a 'vq' section (the VQ sizes)");
      }
      if (vq.codebookSize() != gpt.vocabSize()) {
        throw new IllegalArgumentException("vq.codebook_size " + vq.codebookSize()
            + " differs from gpt.vocab_size " + gpt.vocabSize());
      }
    }
  }

  /** A Tessera-family spec without the later fields (as before families). */
  public ModelSpec(String name, GptConfig gpt, String tokenizer, String drafter,
      SamplingParams defaultSampling, String target) {
    this(name, gpt, tokenizer, drafter, defaultSampling, target, ModelFamily.TESSERA, null, null,
        null);
  }

  /** A served Tessera-family model's spec (no target). */
  public static ModelSpec served(String name, GptConfig gpt, String tokenizer, String drafter) {
    return new ModelSpec(name, gpt, tokenizer, drafter, null, null);
  }

  /** A served LlamaGen c2i model's spec. */
  public static ModelSpec llamaGen(String name, GptConfig gpt, VqModelConfig vq,
      List<String> classNames) {
    return new ModelSpec(name, gpt, null, null, null, null, ModelFamily.LLAMAGEN_C2I, vq,
        DEFAULT_VQ_WEIGHTS, classNames);
  }

  /** The VQ weights file name (family llamagen-c2i). */
  @JsonIgnore
  public String vqWeightsOrDefault() {
    return vqWeights == null ? DEFAULT_VQ_WEIGHTS : vqWeights;
  }

  /** Whether this directory holds a drafter (served through its target). */
  @JsonIgnore
  public boolean isDrafter() {
    return target != null;
  }
}
