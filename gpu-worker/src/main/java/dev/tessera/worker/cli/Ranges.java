package dev.tessera.worker.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Bounds of numeric options; a value out of bounds is a usage error (exit 2) naming the flag. */
public final class Ranges {

  private Ranges() {}

  /** {@code value} if it lies in [min, max]. */
  public static int check(CommandSpec spec, String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(), flag + " must be in [" + min + ", " + max
          + "], got " + value);
    }
    return value;
  }

  /** {@code value} if it lies in [min, max]. */
  public static double check(CommandSpec spec, String flag, double value, double min,
      double max) {
    if (!(value >= min && value <= max)) {
      throw new ParameterException(spec.commandLine(), flag + " must be in [" + min + ", " + max
          + "], got " + value);
    }
    return value;
  }

  /** A usage error of the command, naming the flag in {@code message}. */
  public static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
