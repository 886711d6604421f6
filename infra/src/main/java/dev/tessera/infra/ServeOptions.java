package dev.tessera.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code ./tessera serve}.
 *
 * @param port HTTP port
 * @param external use the Kafka, PostgreSQL and Redis in the configuration instead of embedded ones
 * @param home directory for local state (PostgreSQL data, the development key)
 * @param springArgs remaining {@code --name=value} arguments, passed to Spring as properties
 * @param gateways gateway processes (all three 1: everything in this one process)
 * @param schedulers scheduler processes
 * @param workers worker processes
 */
record ServeOptions(int port, boolean external, Path home, List<String> springArgs, int gateways,
    int schedulers, int workers) {

  /** Whether each service runs as its own process (any count above 1). */
  boolean cluster() {
    return gateways > 1 || schedulers > 1 || workers > 1;
  }

  static final String USAGE = """
      usage: ./tessera serve [--port P] [--external] [--home DIR] [--spring.property=value ...]
        --port P      HTTP port (default 8080)
        --external    use the Kafka, PostgreSQL and Redis in the configuration
                      (spring.kafka.bootstrap-servers, spring.datasource.url, tessera.redis.address)
                      instead of starting embedded ones
        --home DIR    local state directory (default .tessera)
        --gateways G, --schedulers S, --workers W
                      run each service instance as its own process (default 1 each: the whole
                      system in this one process); logs in DIR/logs""";

  /** Parses the arguments after {@code serve}. */
  static ServeOptions parse(String[] args) {
    int port = 8080;
    boolean external = false;
    Path home = Path.of(".tessera");
    List<String> spring = new ArrayList<>();
    int[] counts = {1, 1, 1};
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--port" -> port = parsePort(value(args, ++i, a));
        case "--external" -> external = true;
        case "--home" -> home = Path.of(value(args, ++i, a));
        case "--gateways" -> counts[0] = parseCount(value(args, ++i, a), a);
        case "--schedulers" -> counts[1] = parseCount(value(args, ++i, a), a);
        case "--workers" -> counts[2] = parseCount(value(args, ++i, a), a);
        case "-h", "--help" -> throw new IllegalArgumentException("");
        default -> {
          if (a.startsWith("--port=")) {
            port = parsePort(a.substring("--port=".length()));
          } else if (a.startsWith("--") && a.contains("=")) {
            spring.add(a);
          } else {
            throw new IllegalArgumentException("unknown option '" + a + "'");
          }
        }
      }
    }
    return new ServeOptions(port, external, home, List.copyOf(spring), counts[0], counts[1],
        counts[2]);
  }

  private static int parseCount(String text, String option) {
    try {
      int n = Integer.parseInt(text);
      if (n < 1 || n > 64) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number from 1 to 64, was '" + text
          + "'");
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int parsePort(String text) {
    try {
      int p = Integer.parseInt(text);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a TCP port, was '" + text + "'");
    }
  }
}
