package dev.tessera.serving;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which tokenizer turns a model's tokens into pixels, as a model's {@code config.json} names it.
 * Both families share LlamaGen's c2i transformer.
 */
public enum ModelFamily {
  /** Tessera's own: a k-means VQ over 2×2 patches, 16×16 tokens → a 32×32 grey image. */
  TESSERA("tessera"),
  /** LlamaGen class-to-image: the VQ-16 convolutional decoder, 16 pixels per token side, RGB. */
  LLAMAGEN_C2I("llamagen-c2i");

  private final String configName;

  ModelFamily(String configName) {
    this.configName = configName;
  }

  /** The name in config.json and in the API. */
  @JsonValue
  public String configName() {
    return configName;
  }

  /** The family a config names; {@code null} (absent) is {@link #TESSERA}, as before families. */
  @JsonCreator
  public static ModelFamily fromConfigName(String name) {
    if (name == null) {
      return TESSERA;
    }
    for (ModelFamily f : values()) {
      if (f.configName.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown model family '" + name + "'; known: tessera, "
        + "llamagen-c2i");
  }
}
