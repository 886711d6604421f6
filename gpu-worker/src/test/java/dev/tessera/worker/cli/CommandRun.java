package dev.tessera.worker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One command line run through a picocli tree, with what it printed through picocli. */
public record CommandRun(int code, String out, String err) {

  /** Runs {@code args} on {@code tree} (a fresh tree per run: picocli keeps parsed values). */
  public static CommandRun of(CommandLine tree, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    tree.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int code = tree.execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }
}
