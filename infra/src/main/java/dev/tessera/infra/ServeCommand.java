package dev.tessera.infra;

import dev.tessera.infra.local.FreePorts;
import dev.tessera.worker.cli.MissingPrerequisiteException;
import dev.tessera.worker.cli.Ranges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./tessera serve}: the whole system in this process, or with {@code --gateways},
 * {@code --schedulers} or {@code --workers} above 1 every service instance its own process. The
 * port is checked before anything starts. Returns {@link #RUNNING} once the system is up: the
 * launcher then waits for Ctrl-C or SIGTERM, whose hooks stop it all.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The whole system in one process (or one per service): Kafka, PostgreSQL, Redis, the services.",
        "Starts Kafka, PostgreSQL and Redis (embedded) and the gateway, scheduler and"
        + " worker; prints the URL, an API key and the admin token. Ctrl-C stops it all.",
        "Any Spring or Tessera property can follow as --name=value (e.g."
            + " --tessera.worker.max-images=8)."})
final class ServeCommand implements Callable<Integer> {

  /** The exit code that means "up and serving": the launcher keeps the JVM alive. */
  static final int RUNNING = -1;

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "P", description = "HTTP port (1..65535)")
  int port = 8080;

  @Option(names = "--external", description = "use the Kafka, PostgreSQL and Redis in the"
      + " configuration (spring.kafka.bootstrap-servers, spring.datasource.url,"
      + " tessera.redis.address) instead of starting embedded ones")
  boolean external;

  @Option(names = "--home", paramLabel = "DIR",
      description = "local state: PostgreSQL data, the development key, logs")
  Path home = Path.of(".tessera");

  @Option(names = "--gateways", paramLabel = "G",
      description = "gateway processes (1..64; above 1: each service instance its own process)")
  int gateways = 1;

  @Option(names = "--schedulers", paramLabel = "S", description = "scheduler processes (1..64)")
  int schedulers = 1;

  @Option(names = "--workers", paramLabel = "W", description = "worker processes (1..64)")
  int workers = 1;

  @Unmatched
  List<String> properties = new ArrayList<>();

  /** The options, checked: a bad value is a usage error naming its flag. */
  ServeOptions options() {
    Ranges.check(spec, "--port", port, 1, 65535);
    Ranges.check(spec, "--gateways", gateways, 1, 64);
    Ranges.check(spec, "--schedulers", schedulers, 1, 64);
    Ranges.check(spec, "--workers", workers, 1, 64);
    for (String p : properties) {
      if (!p.startsWith("--") || p.indexOf('=') < 3) {
        throw Ranges.usage(spec, "unknown option '" + p + "' (Spring properties go as"
            + " --name=value)");
      }
    }
    return new ServeOptions(port, external, home, List.copyOf(properties), gateways, schedulers,
        workers);
  }

  @Override
  public Integer call() throws Exception {
    ServeOptions options = options();
    if (!FreePorts.isFree(options.port())) {
      throw new MissingPrerequisiteException("port " + options.port()
          + " is in use; choose another with --port P");
    }
    return Serve.run(options);
  }
}
