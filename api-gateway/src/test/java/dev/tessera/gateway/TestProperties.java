package dev.tessera.gateway;

import java.time.Duration;

/** The gateway's settings at their defaults, for tests that build its parts by hand. */
public final class TestProperties {

  private TestProperties() {}

  /** The defaults of {@code tessera.gateway.*}: 3 attempts, backoff 1 s doubling up to 30 s. */
  public static GatewayProperties gateway() {
    return new GatewayProperties(Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Duration.ofMinutes(10), true, null, Duration.ofSeconds(5),
        new GatewayProperties.Retry(3, Duration.ofSeconds(1), Duration.ofSeconds(30)),
        Duration.ofMinutes(10), Duration.ofSeconds(15), Duration.ofSeconds(1), 100);
  }

  /** Redis at {@code address}, with the default timeout and key prefix. */
  public static RedisProperties redis(String address) {
    return new RedisProperties(address, Duration.ofMillis(400), "tessera-test:");
  }
}
