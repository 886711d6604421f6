package dev.tessera.infra;

import dev.tessera.infra.cluster.LocalCluster;
import dev.tessera.infra.cluster.ServiceKind;
import dev.tessera.infra.cluster.ServiceProcess;
import dev.tessera.infra.local.FreePorts;
import dev.tessera.infra.local.LocalSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./tessera serve}: starts the {@link LocalSystem} (embedded servers unless
 * {@code --external}, then gateway, scheduler and worker in one context) and prints the URL, the
 * development tenant's key and the admin token (saved in {@code <home>/admin-token} unless
 * configured). Ctrl-C or SIGTERM closes the context through Spring's shutdown hook: the services
 * stop first and the servers last.
 */
final class Serve {

  private static final Logger log = LoggerFactory.getLogger(Serve.class);

  private Serve() {}

  /** Starts the system; {@link ServeCommand#RUNNING} once it is up, else the exit code. */
  static int run(ServeOptions options) throws IOException {
    if (options.cluster()) {
      return serveCluster(options);
    }
    long t0 = System.nanoTime();
    LocalSystem system;
    try {
      system = LocalSystem.start(options.home(), options.port(), options.external(), Map.of(),
          options.springArgs());
    } catch (IllegalStateException e) {
      log.error(e.getMessage(), e.getCause());
      return 1;
    }
    String url = system.url();
    String key = system.apiKey();
    System.out.printf("%nTessera is up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    System.out.println("URL: " + url);
    System.out.println("Console: " + url + "/   API docs: " + url + "/docs");
    System.out.println("API key: " + key);
    System.out.println("Admin token: " + system.adminToken());
    System.out.println("Try:  curl -s -X POST " + url + "/v1/generations -H 'Authorization: Bearer "
        + key + "' -H 'Content-Type: application/json' -d '{\"model\":\"fm-ar\",\"class_label\":3}'");
    System.out.println("Stop: Ctrl-C");
    System.out.flush();
    return ServeCommand.RUNNING; // keep running; the shutdown hook closes the context
  }

  /** Each service as its own process; this one holds the embedded servers and the children. */
  private static int serveCluster(ServeOptions options) throws IOException {
    long t0 = System.nanoTime();
    Map<String, Object> properties = new LinkedHashMap<>();
    for (String arg : options.springArgs()) {
      int eq = arg.indexOf('=');
      properties.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    LocalCluster cluster;
    try {
      cluster = LocalCluster.start(new LocalCluster.Spec(Path.of("").toAbsolutePath(),
          options.home(), options.gateways(), options.schedulers(), options.workers(),
          options.port(), properties), null, options.external());
    } catch (IllegalStateException e) {
      log.error("the cluster did not start: {}", e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "tessera-cluster-stop"));
    System.out.printf("%nTessera is up in %.1f s: %d gateway(s), %d scheduler(s), %d worker(s),"
        + " each its own process (logs in %s)%n", (System.nanoTime() - t0) / 1e9,
        options.gateways(), options.schedulers(), options.workers(),
        options.home().resolve("logs"));
    for (ServiceKind kind : ServiceKind.values()) {
      for (ServiceProcess p : cluster.running(kind)) {
        System.out.printf("  %-12s pid %-7d %s%n", p.name(), p.pid(), p.url());
      }
    }
    String url = cluster.gateways().get(0).url();
    System.out.println("URL: " + url + "  (every gateway URL above serves the same API)");
    System.out.println("API key: " + cluster.apiKey());
    System.out.println("Admin token: " + cluster.adminToken());
    System.out.println("Stop: Ctrl-C (stops every process)");
    System.out.flush();
    return ServeCommand.RUNNING; // keep running; the shutdown hook stops the children, then the servers
  }
}
