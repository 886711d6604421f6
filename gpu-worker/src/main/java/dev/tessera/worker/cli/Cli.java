package dev.tessera.worker.cli;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The command line of {@code ./tessera}, built with picocli. This module registers the offline
 * commands (generate, eval, train, bench step|decode|submit, tokenizer, import, ...); the infra
 * launcher adds {@code serve} and the benchmarks of the whole system to the same tree.
 */
public final class Cli {

  private Cli() {}

  /** The root command: {@code ./tessera} alone is a usage error listing the commands. */
  @Command(name = "tessera", mixinStandardHelpOptions = true, version = "tessera 0.1",
      description = "Tessera: a queued generation service for visual autoregressive image models.",
      footer = {"", "Also: ./tessera gateway|scheduler|worker [--name=value ...]",
          "      one service alone, from its deployable jar.",
          "Help on a command: ./tessera <command> --help",
          "Shell completion:  source <(./tessera completion)"})
  public static final class Root extends CommandGroup {}

  /** {@code ./tessera bench ...}: every benchmark is a subcommand of this one. */
  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = {"Benchmarks (reports to a run folder; docs/ only with --publish).",
        "Benchmarks. Each writes its report to a folder of the run (--out) and to"
          + " docs/ only with --publish."})
  static final class Bench extends CommandGroup {}

  /** The root with nothing registered yet (the launcher adds its commands, then the offline ones). */
  public static CommandLine root() {
    return new CommandLine(new Root());
  }

  /**
   * Registers the offline commands under {@code root}.
   *
   * @param checkout the checkout's root: {@code runs/} and {@code docs/} are resolved against it
   */
  public static CommandLine addOfflineCommands(CommandLine root, Path checkout) {
    root.addSubcommand(new GenerateCommand());
    root.addSubcommand(new EvalCommand(checkout));
    root.addSubcommand(TrainCommand.commandLine());
    CommandLine bench = new CommandLine(new Bench());
    bench.addSubcommand(new BenchStepCommand());
    bench.addSubcommand(new BenchDecodeCommand(checkout));
    bench.addSubcommand(new BenchSubmitCommand());
    root.addSubcommand(bench);
    root.addSubcommand(TokenizerCommand.commandLine());
    root.addSubcommand(new TrainClassifierCommand());
    root.addSubcommand(new EvalReferencesCommand());
    root.addSubcommand(new CommandLine(new ImportCommand()).addSubcommand(new ImportCommand.LlamaGen()));
    root.addSubcommand(new CompletionCommand());
    root.addSubcommand(new HelpCommand());
    return root;
  }

  /** The {@code bench} group of a tree built by {@link #addOfflineCommands}. */
  public static CommandLine bench(CommandLine root) {
    return root.getSubcommands().get("bench");
  }

  /**
   * Settings for the whole tree; call once every command is registered. Usage errors (picocli's,
   * and {@link UsageException}s found while running) exit with 2 and name the flag; a missing
   * prerequisite (dataset, model, port) exits with 1 in one line, before any work.
   */
  public static CommandLine configure(CommandLine root) {
    root.setUsageHelpAutoWidth(true);
    showDefaults(root);
    root.setExecutionExceptionHandler((e, cmd, parsed) -> {
      String name = "./" + cmd.getCommandSpec().qualifiedName();
      if (e instanceof UsageException) {
        cmd.getErr().println(name + ": " + e.getMessage());
        cmd.getErr().println("Try '" + name + " --help' for more information.");
        return CommandLine.ExitCode.USAGE;
      }
      if (e instanceof MissingPrerequisiteException || e instanceof FileNotFoundException) {
        cmd.getErr().println(name + ": " + e.getMessage());
        return CommandLine.ExitCode.SOFTWARE;
      }
      throw e;
    });
    return root;
  }

  private static void showDefaults(CommandLine cmd) {
    cmd.getCommandSpec().usageMessage().showDefaultValues(true);
    cmd.getSubcommands().values().forEach(Cli::showDefaults);
  }

  /** The offline commands alone (what the worker module can run without the launcher). */
  public static CommandLine commandLine(Path checkout) {
    return configure(addOfflineCommands(root(), checkout).setOut(new PrintWriter(System.out, true))
        .setErr(new PrintWriter(System.err, true)));
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line of the offline commands in the current directory; the exit code. */
  public static int run(String[] args) {
    return commandLine(Path.of("")).execute(args);
  }
}
