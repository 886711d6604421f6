package dev.tessera.contract;

import static dev.tessera.contract.Checks.requireText;

/**
 * Why a request failed, as the result carries it and the API shows it.
 *
 * @param code machine-readable reason, e.g. {@code invalid_request}, {@code decode_error}
 * @param message human-readable detail
 * @param retryable whether another attempt may succeed (a worker fault, not the request itself)
 */
public record Failure(String code, String message, boolean retryable) {

  public Failure {
    requireText(code, "error.code");
    message = message == null ? "" : message;
  }

  /** A failure caused by the request itself; retrying cannot help. */
  public static Failure permanent(String code, String message) {
    return new Failure(code, message, false);
  }

  /** A failure of the worker or its environment; another attempt may succeed. */
  public static Failure transientFault(String code, String message) {
    return new Failure(code, message, true);
  }
}
