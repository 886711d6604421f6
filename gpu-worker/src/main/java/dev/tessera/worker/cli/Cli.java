package dev.tessera.worker.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of the offline commands; {@code ./tessera serve} is handled by the infra launcher. */
public final class Cli {

  private Cli() {}

  /** Every offline command, in usage order. Add a command here and nowhere else. */
  static List<Command> commands() {
    return List.of(new GenerateCommand(), new EvalCommand(), new TrainCommand(), new BenchCommand(),
        new TokenizerCommand(), new TrainClassifierCommand(), new EvalReferencesCommand(),
        new ImportCommand());
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  /** Dispatches {@code args[0]} to its command; returns the exit code. */
  public static int run(String[] args) throws Exception {
    Map<String, Command> byName = new LinkedHashMap<>();
    for (Command c : commands()) {
      byName.put(c.name(), c);
    }
    boolean help = args.length > 0 && List.of("help", "--help", "-h").contains(args[0]);
    if (args.length == 0 || !byName.containsKey(args[0])) {
      java.io.PrintStream out = help ? System.out : System.err;
      if (!help) {
        out.println(args.length == 0 ? "no command given" : "unknown command '" + args[0] + "'");
      }
      out.println("usage: ./tessera <command> [options]");
      out.println("  serve [--port P]  start Kafka, PostgreSQL, Redis and all services in one process");
      out.println("  serve --gateways G --schedulers S --workers W");
      out.println("                    the same with every service instance its own process");
      out.println("  gateway | scheduler | worker");
      out.println("                    one service alone, from its deployable jar");
      out.println("  bench fleet       the control plane with simulated workers (--help)");
      byName.values().forEach(c -> out.printf("  %-17s %s%n", c.name(), c.summary()));
      return help ? 0 : 2;
    }
    try {
      return byName.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    } catch (UsageException e) { // a bad flag value found after parsing: name it, no stack trace
      System.err.println("./tessera " + args[0] + ": " + e.getMessage());
      return 2;
    }
  }
}
