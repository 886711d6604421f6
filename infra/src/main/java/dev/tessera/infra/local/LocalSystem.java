package dev.tessera.infra.local;

import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.infra.local.EmbeddedServers;
import dev.tessera.infra.local.LocalState;
import dev.tessera.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The whole system in this JVM, as {@code ./tessera serve} and {@code ./tessera bench load} start
 * it: the embedded servers (unless external), then gateway, scheduler and worker in one context,
 * ready once the gateway has heard of every model the worker serves; the development tenant exists
 * and the admin token is known. The servers are the context's first disposable bean, so closing the
 * context (here, or Spring's shutdown hook on Ctrl-C/SIGTERM) stops the services first and the
 * servers last.
 */
public final class LocalSystem implements AutoCloseable {

  /** Name of the tenant the local system creates for local use. */
  public static final String DEV_TENANT = "development";

  private static final Duration MODELS_TIMEOUT = Duration.ofSeconds(60);

  private final ConfigurableApplicationContext context;
  private final String apiKey;

  private LocalSystem(ConfigurableApplicationContext context, String apiKey) {
    this.context = context;
    this.apiKey = apiKey;
  }

  /**
   * Starts the system and waits until it can take requests.
   *
   * @param home local state: PostgreSQL data, {@code admin-token}, {@code dev-api-key}
   * @param port HTTP port, 0 for any free one
   * @param external use the Kafka, PostgreSQL and Redis in the configuration
   * @param defaults Spring properties applied as defaults (arguments and environment win)
   * @param springArgs {@code --name=value} Spring arguments
   * @throws IllegalStateException "Tessera did not start" or "Tessera started but is not usable",
   *     with the cause; nothing is left running
   */
  public static LocalSystem start(Path home, int port, boolean external,
      Map<String, Object> defaults, List<String> springArgs) throws IOException {
    Files.createDirectories(home);
    String adminToken = LocalState.adminToken(home);
    EmbeddedServers servers = external ? null : EmbeddedServers.start(home, false);
    ConfigurableApplicationContext context;
    try {
      context = context(home, port, servers, adminToken, defaults, springArgs);
    } catch (RuntimeException e) {
      if (servers != null) {
        servers.close();
      }
      throw new IllegalStateException("Tessera did not start", e);
    }
    try {
      awaitModels(context, MODELS_TIMEOUT);
      return new LocalSystem(context, LocalState.devKey(home));
    } catch (RuntimeException e) {
      context.close();
      throw new IllegalStateException("Tessera started but is not usable", e);
    }
  }

  /** The base URL, {@code http://localhost:PORT}. */
  public String url() {
    return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
  }

  /** The development tenant's API key. */
  public String apiKey() {
    return apiKey;
  }

  /** The admin token of {@code /admin/**}. */
  public String adminToken() {
    return context.getEnvironment().getProperty("tessera.gateway.admin-token");
  }

  /** The running context (gateway, scheduler and worker). */
  public ConfigurableApplicationContext context() {
    return context;
  }

  /** Stops the services, then the servers; idempotent. */
  @Override
  public void close() {
    context.close();
  }

  private static ConfigurableApplicationContext context(Path home, int port,
      EmbeddedServers servers,
      String adminToken, Map<String, Object> extraDefaults, List<String> springArgs) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("server.port", port);
    // a default only: --tessera.gateway.admin-token=... or the environment take precedence
    defaults.put("tessera.gateway.admin-token", adminToken);
    defaults.put("tessera.gateway.dev-key-file", LocalState.devKeyFile(home).toString());
    defaults.putAll(extraDefaults);
    if (servers != null) {
      defaults.putAll(servers.springProperties());
    }
    SpringApplicationBuilder builder = new SpringApplicationBuilder(TesseraApplication.class)
        .properties(defaults)
        .registerShutdownHook(true);
    if (servers != null) {
      builder.initializers(ctx -> ((GenericApplicationContext) ctx).getDefaultListableBeanFactory()
          .registerDisposableBean("tesseraEmbeddedServers", servers::close));
    }
    return builder.run(springArgs.toArray(String[]::new));
  }

  /** Waits until the gateway has heard of every model the local worker serves. */
  private static void awaitModels(ConfigurableApplicationContext context, Duration timeout) {
    List<String> expected = context.getBean(WorkerProperties.class).models();
    ModelCatalog catalog = context.getBean(ModelCatalog.class);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var known = new HashSet<String>();
      catalog.all().forEach(m -> known.add(m.name()));
      if (known.containsAll(expected)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("the gateway did not see models " + expected + " in " + timeout);
  }
}
