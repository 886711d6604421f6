package dev.tessera.infra;

import dev.tessera.infra.bench.chaos.BenchChaosCommand;
import dev.tessera.infra.bench.fleet.BenchFleetCommand;
import dev.tessera.infra.bench.BenchLoadCommand;
import dev.tessera.worker.cli.Cli;
import java.util.Arrays;

/**
 * The launcher behind {@code ./tessera}: {@code serve} runs the whole system in this JVM;
 * {@code bench load} drives the whole system (started here, or a running one) with a bounded load;
 * any other command is one of the offline commands of {@link Cli} (generate, train, eval, bench, ...).
 */
public final class TesseraMain {

  private TesseraMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      int code = Serve.run(Arrays.copyOfRange(args, 1, args.length));
      if (code >= 0) {
        System.exit(code);
      }
      Thread.currentThread().join(); // serving until Ctrl-C or SIGTERM, whose hooks stop it all
    }
    if (args.length > 1 && args[0].equals("bench") && args[1].equals("chaos")) {
      System.exit(BenchChaosCommand.run(Arrays.copyOfRange(args, 2, args.length)));
    }
    if (args.length > 1 && args[0].equals("bench") && args[1].equals("fleet")) {
      System.exit(BenchFleetCommand.run(Arrays.copyOfRange(args, 2, args.length)));
    }
    if (args.length > 1 && args[0].equals("bench") && args[1].equals("load")) {
      System.exit(BenchLoadCommand.run(Arrays.copyOfRange(args, 2, args.length)));
    }
    System.exit(Cli.run(args));
  }
}
