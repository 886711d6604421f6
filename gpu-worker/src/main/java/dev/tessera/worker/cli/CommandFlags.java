package dev.tessera.worker.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --switch} flags of one command, checked against the names it accepts.
 * Every error is a {@link UsageException} that names the flag.
 */
public final class CommandFlags {

  private final Map<String, String> values = new HashMap<>();
  private final List<String> positional = new java.util.ArrayList<>();

  private CommandFlags() {}

  /**
   * Parses {@code args}.
   *
   * @param valued flags that take a value (without {@code --})
   * @param switches flags without a value
   */
  public static CommandFlags parse(String[] args, Set<String> valued, Set<String> switches) {
    CommandFlags f = new CommandFlags();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        f.positional.add(a);
        continue;
      }
      String name = a.substring(2);
      String inline = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        inline = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name) && inline == null) {
        f.values.put(name, "true");
      } else if (valued.contains(name)) {
        if (inline == null && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
          throw new UsageException("flag --" + name + " needs a value");
        }
        f.values.put(name, inline != null ? inline : args[++i]);
      } else {
        throw new UsageException("unknown flag --" + name);
      }
    }
    return f;
  }

  /** Arguments that are not flags, in order. */
  public List<String> positional() {
    return List.copyOf(positional);
  }

  /** Whether a switch or flag was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** A string flag. */
  public String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** An integer flag within [min, max]. */
  public int integer(String name, int fallback, int min, int max) {
    if (!values.containsKey(name)) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(values.get(name));
      if (v < min || v > max) {
        throw new UsageException("flag --" + name + " must be in [" + min + ", " + max + "], got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("flag --" + name + " expects an integer, got '" + values.get(name) + "'");
    }
  }

  /** A long flag. */
  public long longValue(String name, long fallback) {
    try {
      return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    } catch (NumberFormatException e) {
      throw new UsageException("flag --" + name + " expects an integer, got '" + values.get(name) + "'");
    }
  }

  /** A double flag. */
  public double decimal(String name, double fallback) {
    try {
      return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    } catch (NumberFormatException e) {
      throw new UsageException("flag --" + name + " expects a number, got '" + values.get(name) + "'");
    }
  }

  /** A path flag. */
  public Path path(String name, Path fallback) {
    return values.containsKey(name) ? Path.of(values.get(name)) : fallback;
  }

  /** A comma-separated integer list flag, e.g. {@code --sizes 256,512}. */
  public int[] integers(String name, int[] fallback) {
    if (!values.containsKey(name)) {
      return fallback;
    }
    try {
      return java.util.Arrays.stream(values.get(name).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new UsageException("flag --" + name + " expects comma-separated integers, got '" + values.get(name) + "'");
    }
  }
}
