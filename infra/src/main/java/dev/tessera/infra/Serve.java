package dev.tessera.infra;

import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * {@code ./tessera serve}: starts the embedded servers (unless {@code --external}), then gateway,
 * scheduler and worker in one context; ensures the development tenant and prints its key, the
 * admin token (saved in {@code <home>/admin-token} unless configured) and the URL. The servers are registered in the context as its first disposable bean, so closing the context
 * (Ctrl-C, SIGTERM: Spring's shutdown hook) stops the services first and the servers last.
 */
final class Serve {

  /** Name of the tenant {@code serve} creates for local use. */
  static final String DEV_TENANT = "development";

  private static final Logger log = LoggerFactory.getLogger(Serve.class);

  private Serve() {}

  static int run(String[] args) throws IOException {
    ServeOptions options;
    try {
      options = ServeOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println(e.getMessage());
      }
      System.err.println(ServeOptions.USAGE);
      return 2;
    }
    if (!FreePorts.isFree(options.port())) {
      System.err.println("port " + options.port() + " is in use; choose another with --port P");
      return 1;
    }
    long t0 = System.nanoTime();
    Files.createDirectories(options.home());
    String adminToken = adminToken(options.home().resolve("admin-token"));
    EmbeddedServers servers = options.external() ? null
        : EmbeddedServers.start(options.home(), false);
    ConfigurableApplicationContext context;
    try {
      context = start(options, servers, adminToken);
    } catch (RuntimeException e) {
      if (servers != null) {
        servers.close();
      }
      log.error("Tessera did not start", e);
      return 1;
    }
    try {
      awaitModels(context, Duration.ofSeconds(60));
      String key = devKey(context, options.home().resolve("dev-api-key"));
      String port = context.getEnvironment().getProperty("local.server.port");
      String url = "http://localhost:" + port;
      System.out.printf("%nTessera is up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      System.out.println("URL: " + url);
      System.out.println("API key: " + key);
      System.out.println("Admin token: "
          + context.getEnvironment().getProperty("tessera.gateway.admin-token"));
      System.out.println("Try:  curl -s -X POST " + url + "/v1/generations -H 'Authorization: Bearer "
          + key + "' -H 'Content-Type: application/json' -d '{\"model\":\"fm-ar\",\"class_label\":3}'");
      System.out.println("Stop: Ctrl-C");
      System.out.flush();
    } catch (RuntimeException e) {
      log.error("Tessera started but is not usable", e);
      context.close();
      return 1;
    }
    return -1; // keep running; the shutdown hook closes the context
  }

  private static ConfigurableApplicationContext start(ServeOptions options,
      EmbeddedServers servers, String adminToken) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("server.port", options.port());
    // a default only: --tessera.gateway.admin-token=... or the environment take precedence
    defaults.put("tessera.gateway.admin-token", adminToken);
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
    return builder.run(options.springArgs().toArray(String[]::new));
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

  /** The local admin token: the one saved in {@code file}, else a new random one saved there. */
  private static String adminToken(Path file) throws IOException {
    if (Files.exists(file)) {
      String known = Files.readString(file).trim();
      if (!known.isEmpty()) {
        return known;
      }
    }
    byte[] random = new byte[30];
    new SecureRandom().nextBytes(random);
    String token = "tadm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    writePrivate(file, token);
    return token;
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.writeString(file, text + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  /** The development tenant's key: the one saved in {@code keyFile} if still valid, else a new one. */
  private static String devKey(ConfigurableApplicationContext context, Path keyFile) {
    try {
      String known = Files.exists(keyFile) ? Files.readString(keyFile).trim() : null;
      TenantService.IssuedKey key = context.getBean(TenantService.class)
          .ensureTenantKey(DEV_TENANT, known);
      if (!key.key().equals(known)) {
        Files.writeString(keyFile, key.key() + "\n");
        try {
          Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system
        }
      }
      return key.key();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or write " + keyFile, e);
    }
  }
}
