package dev.tessera.contract;

import java.util.Arrays;

/** The decoding strategies a request may ask for, by their API names. */
public enum Strategy {
  /** Plain autoregressive decoding: one target forward per token. */
  AR("ar"),
  /** Drafter proposes, target verifies; exact rejection sampling (output = target distribution). */
  SPECULATIVE("speculative"),
  /** Speculative decoding with LANTERN's relaxed acceptance over latent neighbours (lossy, TV budget). */
  LANTERN("lantern"),
  /** PAR region-parallel decoding; needs a model trained in PAR order. */
  PAR("par");

  private final String apiName;

  Strategy(String apiName) {
    this.apiName = apiName;
  }

  /** The name used by the HTTP API, the CLI and on the wire. */
  public String apiName() {
    return apiName;
  }

  /** Parses an API name; throws {@link IllegalArgumentException} naming the allowed values. */
  public static Strategy fromApiName(String name) {
    for (Strategy s : values()) {
      if (s.apiName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown strategy '" + name + "'; expected one of "
            + Arrays.stream(values()).map(Strategy::apiName).toList());
  }
}
