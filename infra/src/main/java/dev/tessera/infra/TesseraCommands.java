package dev.tessera.infra;

import dev.tessera.infra.bench.BenchLoadCommand;
import dev.tessera.infra.bench.chaos.BenchChaosCommand;
import dev.tessera.infra.bench.fleet.BenchFleetCommand;
import dev.tessera.worker.cli.Cli;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Every command of {@code ./tessera}, in one picocli tree: {@code serve} and the benchmarks of the
 * whole system from this module, the offline commands from the worker's {@link Cli}.
 */
public final class TesseraCommands {

  private TesseraCommands() {}

  /**
   * The command tree.
   *
   * @param checkout the checkout's root: benchmarks write {@code runs/} and, with --publish,
   *     {@code docs/} under it
   */
  public static CommandLine commandLine(Path checkout) {
    CommandLine root = Cli.root();
    root.addSubcommand(new ServeCommand());
    Cli.addOfflineCommands(root, checkout);
    // Benchmarks of the whole system: register a new `./tessera bench NAME` here, and nowhere else.
    CommandLine bench = Cli.bench(root);
    bench.addSubcommand(new BenchLoadCommand(System.out, System.err, checkout));
    bench.addSubcommand(new BenchFleetCommand(System.out, System.err, checkout));
    bench.addSubcommand(new BenchChaosCommand(System.out, System.err, checkout));
    root.setOut(new PrintWriter(System.out, true)).setErr(new PrintWriter(System.err, true));
    return Cli.configure(root);
  }
}
