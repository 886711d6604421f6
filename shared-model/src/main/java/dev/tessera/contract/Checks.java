package dev.tessera.contract;

import java.util.UUID;

/** Validation helpers shared by the contract records. */
final class Checks {

  private Checks() {}

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  static String requireText(String value, String field) {
    require(value != null && !value.isBlank(), field + " must not be blank");
    return value;
  }

  /** Ids on the wire are canonical UUID strings. */
  static String requireUuid(String value, String field) {
    requireText(value, field);
    try {
      require(UUID.fromString(value).toString().equals(value), field + " must be a canonical UUID");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " must be a UUID, was '" + value + "'", e);
    }
    return value;
  }
}
