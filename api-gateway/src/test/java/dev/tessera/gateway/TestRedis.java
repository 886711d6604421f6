package dev.tessera.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.embedded.RedisServer;

/**
 * One embedded Redis (the binary of com.github.codemonstur:embedded-redis) for the gateway's tests in
 * a JVM, and Redisson clients configured as the gateway configures its own.
 */
public final class TestRedis {

  private static RedisServer server;
  private static String address;

  private TestRedis() {}

  /** The address of the running server, started on first use. */
  public static synchronized String address() {
    if (server == null) {
      int port = freePort();
      try {
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
            .setting("save \"\"").setting("appendonly no").build();
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded Redis did not start", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.stop();
        } catch (IOException e) {
          // the JVM is ending; the process goes with it
        }
      }));
      address = "redis://127.0.0.1:" + port;
    }
    return address;
  }

  /** A client of the test server. */
  public static RedissonClient client() {
    return client(address());
  }

  /** A client of {@code redisAddress}, with the gateway's short timeouts. */
  public static RedissonClient client(String redisAddress) {
    Config config = new Config();
    config.setLazyInitialization(true);
    config.useSingleServer().setAddress(redisAddress).setConnectTimeout(400).setTimeout(400)
        .setRetryAttempts(1).setRetryInterval(100).setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(4);
    return Redisson.create(config);
  }

  /** A local port nothing listens on now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
