package dev.tessera.infra;

import dev.tessera.worker.cli.Cli;

/**
 * The launcher behind {@code ./tessera}: {@code serve} runs the whole system in this JVM; any other
 * command is one of the offline commands of {@link Cli} (generate, train, eval, bench, ...).
 */
public final class TesseraMain {

  private TesseraMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      int code = Serve.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      if (code >= 0) {
        System.exit(code);
      }
      return; // serving: non-daemon threads keep the JVM alive until Ctrl-C or SIGTERM
    }
    System.exit(Cli.run(args));
  }
}
