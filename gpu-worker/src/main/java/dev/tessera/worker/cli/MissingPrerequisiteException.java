package dev.tessera.worker.cli;

/**
 * Something a command needs before it starts is not there (the dataset, a model, a free port): the
 * command says what and how to get it in one line, and exits with 1 before doing any work.
 */
public final class MissingPrerequisiteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what is missing and how to get it, one line */
  public MissingPrerequisiteException(String message) {
    super(message);
  }
}
