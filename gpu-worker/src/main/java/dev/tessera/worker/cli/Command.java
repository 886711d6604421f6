package dev.tessera.worker.cli;

/** One offline subcommand of {@code ./tessera} (generate, train, eval, bench ...). */
public interface Command {

  /** The subcommand's name as typed after {@code ./tessera}. */
  String name();

  /** One line for the usage text. */
  String summary();

  /**
   * Runs the command.
   *
   * @param args the arguments after the subcommand name
   * @return the process exit code (0 ok, 2 bad usage, 1 failure)
   */
  int run(String[] args) throws Exception;
}
