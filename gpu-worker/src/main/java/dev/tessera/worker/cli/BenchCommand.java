package dev.tessera.worker.cli;

import java.util.Arrays;

/**
 * {@code ./tessera bench KIND}: benchmarks that print numbers. {@code load} needs the whole system, so
 * the infra launcher runs it ({@code dev.tessera.infra.bench.BenchLoadCommand}) before this command.
 */
final class BenchCommand implements Command {

  /** The first line of {@code bench load}'s usage (the command itself lives in infra). */
  static final String LOAD_USAGE = "usage: ./tessera bench load [--scenario steady|priority|fairness]"
      + " [--seconds 60] [--url URL (--admin-token T | --api-key K)] [--json]  (--help for all)";

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "benchmarks: step (decode step vs batch size), decode (strategies side by side), submit (gateway submission load), load (the whole system under load)";
  }

  @Override
  public int run(String[] args) throws Exception {
    String kind = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    return switch (kind) {
      case "step" -> BenchStepCommand.run(rest);
      case "decode" -> BenchDecodeCommand.run(rest);
      case "submit" -> BenchSubmitCommand.run(rest);
      case "help", "--help", "-h" -> {
        System.out.println(usages());
        yield 0;
      }
      case "load" -> {
        System.err.println("bench load starts the whole system: run it as ./tessera bench load");
        yield 2;
      }
      default -> {
        System.err.println((kind.isEmpty() ? "missing benchmark" : "unknown benchmark '" + kind + "'")
            + "\n" + usages());
        yield 2;
      }
    };
  }

  private static String usages() {
    return String.join("\n", BenchStepCommand.USAGE, BenchDecodeCommand.USAGE,
        BenchSubmitCommand.USAGE, LOAD_USAGE);
  }
}
