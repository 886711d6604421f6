package dev.tessera.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Scheduling priority of a request, by its API name ({@code high}, {@code normal}, {@code low}). */
public enum Priority {
  HIGH,
  NORMAL,
  LOW;

  /** The name used by the HTTP API and on the wire. */
  @JsonValue
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an API name; throws {@link IllegalArgumentException} naming the allowed values. */
  @JsonCreator
  public static Priority fromApiName(String name) {
    for (Priority p : values()) {
      if (p.apiName().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown priority '" + name + "'; expected one of "
        + Arrays.stream(values()).map(Priority::apiName).toList());
  }
}
