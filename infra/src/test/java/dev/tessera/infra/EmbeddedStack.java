package dev.tessera.infra;

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
 * and pools have stopped); the servers stop when the last one is released.
 */
public final class EmbeddedStack
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static EmbeddedServers servers;
  private static int users;

  /** The shared servers, started on first use. */
  public static synchronized EmbeddedServers servers() {
    if (servers == null) {
      try {
        servers = EmbeddedServers.start(Files.createTempDirectory("tessera-test-pg"), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
    }
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    acquire();
    Map<String, Object> properties = Map.copyOf(servers().springProperties());
    context.getEnvironment().getPropertySources()
        .addFirst(new MapPropertySource("tesseraEmbeddedServers", properties));
    // registered before any bean exists, so destroyed after all of them
    ((GenericApplicationContext) context).getDefaultListableBeanFactory()
        .registerDisposableBean("tesseraEmbeddedStack", EmbeddedStack::release);
  }
}
