package dev.tessera.worker.cli;

/** Bad command-line usage (unknown flag, missing or malformed value): exit code 2. */
public final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message names the flag and what is wrong with it */
  public UsageException(String message) {
    super(message);
  }
}
