package dev.tessera.contract;

/**
 * A message that cannot be decoded into a valid contract record: malformed JSON, a missing or
 * mistyped field, or a value its record rejects. Never retryable: the same bytes fail the same way.
 */
public class ContractException extends RuntimeException {

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
