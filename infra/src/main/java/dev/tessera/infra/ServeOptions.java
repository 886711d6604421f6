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
 */
record ServeOptions(int port, boolean external, Path home, List<String> springArgs) {

  static final String USAGE = """
      usage: ./tessera serve [--port P] [--external] [--home DIR] [--spring.property=value ...]
        --port P      HTTP port (default 8080)
        --external    use the Kafka, PostgreSQL and Redis in the configuration
                      (spring.kafka.bootstrap-servers, spring.datasource.url, tessera.redis.address)
                      instead of starting embedded ones
        --home DIR    local state directory (default .tessera)""";

  /** Parses the arguments after {@code serve}. */
  static ServeOptions parse(String[] args) {
    int port = 8080;
    boolean external = false;
    Path home = Path.of(".tessera");
    List<String> spring = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--port" -> port = parsePort(value(args, ++i, a));
        case "--external" -> external = true;
        case "--home" -> home = Path.of(value(args, ++i, a));
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
    return new ServeOptions(port, external, home, List.copyOf(spring));
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
