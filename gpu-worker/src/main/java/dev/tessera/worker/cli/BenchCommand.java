package dev.tessera.worker.cli;

import java.util.Arrays;

/** {@code ./tessera bench KIND}: benchmarks that print numbers (step; decode and load to come). */
final class BenchCommand implements Command {

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "benchmarks: step (decode step vs batch size), decode (strategies side by side), submit (gateway submission load)";
  }

  @Override
  public int run(String[] args) throws Exception {
    String kind = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    return switch (kind) {
      case "step" -> BenchStepCommand.run(rest);
      case "decode" -> BenchDecodeCommand.run(rest);
      case "submit" -> BenchSubmitCommand.run(rest);
      default -> {
        System.err.println((kind.isEmpty() ? "missing benchmark" : "unknown benchmark '" + kind + "'")
            + "\n" + BenchStepCommand.USAGE + "\n" + BenchDecodeCommand.USAGE + "\n" + BenchSubmitCommand.USAGE);
        yield 2;
      }
    };
  }
}
