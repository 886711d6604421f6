package dev.tessera.infra;

import dev.tessera.infra.local.EmbeddedServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * One set of embedded servers per test JVM, shared by every test context that names this
 * initializer. Each context holds a reference, released when the context closes (after its listeners
 * and pools have stopped), and the JVM holds one until it shuts down; the servers stop when the last
 * reference goes. So a context closed early (@DirtiesContext) does not restart the servers, and at
 * the end the servers outlive every context that uses them.
 */
public final class EmbeddedStack
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static EmbeddedServers servers;
  private static java.nio.file.Path home;
  private static int users;

  /** The shared servers, started on first use. */
  public static synchronized EmbeddedServers servers() {
    if (servers == null) {
      try {
        home = Files.createTempDirectory("tessera-test");
        servers = EmbeddedServers.start(home, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      users++; // the JVM's own reference
      Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedStack::release, "embedded-stack"));
    }
    return servers;
  }

  private static synchronized void acquire() {
    servers();
    users++;
  }

  private static synchronized void release() {
    if (--users == 0 && servers != null) {
      servers.close();
      servers = null;
      try (var files = Files.walk(home)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory; leave it
      }
    }
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    acquire();
    Map<String, Object> properties = Map.copyOf(servers().springProperties());
    // last: a test's own properties (e.g. a dead address on purpose) take precedence
    context.getEnvironment().getPropertySources()
        .addLast(new MapPropertySource("tesseraEmbeddedServers", properties));
    // registered before any bean exists, so destroyed after all of them
    ((GenericApplicationContext) context).getDefaultListableBeanFactory()
        .registerDisposableBean("tesseraEmbeddedStack", EmbeddedStack::release);
  }
}
