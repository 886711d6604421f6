package dev.tessera.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Redis is, under {@code tessera.redis.*}.
 *
 * @param address Redis URL, {@code redis://host:port} (or {@code rediss://} for TLS)
 * @param timeout connect and command timeout (one retry follows a failure): Redis holds a cache and
 *     the limits, which fail open, so fail fast and fall back rather than hold a request
 * @param keyPrefix prefix of every key Tessera writes
 */
@ConfigurationProperties("tessera.redis")
public record RedisProperties(
    @DefaultValue("redis://127.0.0.1:6379") String address,
    @DefaultValue("400ms") Duration timeout,
    @DefaultValue("tessera:") String keyPrefix) {}
