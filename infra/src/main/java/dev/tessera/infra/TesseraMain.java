package dev.tessera.infra;

import java.nio.file.Path;

/**
 * The launcher behind {@code ./tessera}: runs one command of {@link TesseraCommands}. {@code serve}
 * returns once the system is up; this thread then waits until Ctrl-C or SIGTERM, whose hooks stop
 * it all.
 */
public final class TesseraMain {

  private TesseraMain() {}

  public static void main(String[] args) throws Exception {
    int code = TesseraCommands.commandLine(Path.of("")).execute(args);
    if (code != ServeCommand.RUNNING) {
      System.exit(code);
    }
    Thread.currentThread().join(); // serving until Ctrl-C or SIGTERM, whose hooks stop it all
  }
}
