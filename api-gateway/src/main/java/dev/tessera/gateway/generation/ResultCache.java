package dev.tessera.gateway.generation;

import dev.tessera.contract.Json;
import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.RedisProperties;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Finished generations in Redis, with a TTL: {@code <prefix>gen:<id>} holds the JSON of a
 * {@link Entry}, {@code <prefix>gen:<id>:png} the image. Only terminal states are cached: they never
 * change, so the cache needs invalidating only when an admin replays a dead letter ({@link
 * #evict}). Redis is a cache here: every failure is logged and the caller falls back to PostgreSQL.
 */
@Component
public class ResultCache {

  /** What is cached for one generation: its owner (for the tenant check) and its view. */
  public record Entry(String tenantId, GenerationView view) {}

  private static final Logger log = LoggerFactory.getLogger(ResultCache.class);

  private final RedissonClient redis;
  private final String keyPrefix;
  private final Duration ttl;

  ResultCache(RedissonClient redis, RedisProperties redisProperties, GatewayProperties gateway) {
    this.redis = redis;
    this.keyPrefix = redisProperties.keyPrefix();
    this.ttl = gateway.resultCacheTtl();
  }

  /** The key of a generation's entry. */
  public String key(UUID id) {
    return key(keyPrefix, id);
  }

  /**
   * The key of a generation's entry under a key prefix ({@code tessera.redis.key-prefix}), for
   * tools that read the cache without a gateway.
   */
  public static String key(String keyPrefix, UUID id) {
    return keyPrefix + "gen:" + id;
  }

  /** The key of a generation's image. */
  public String imageKey(UUID id) {
    return key(id) + ":png";
  }

  /** Caches a finished generation (and its image, if any). */
  public void put(Entry entry, byte[] png) {
    if (!entry.view().status().isTerminal()) {
      throw new IllegalArgumentException("only terminal states are cached");
    }
    UUID id = UUID.fromString(entry.view().id());
    try {
      if (png != null) {
        redis.getBucket(imageKey(id), ByteArrayCodec.INSTANCE).set(png, ttl);
      }
      redis.getBucket(key(id), StringCodec.INSTANCE).set(Json.toText(entry), ttl);
    } catch (RuntimeException e) {
      log.warn("could not cache generation {} in Redis: {}", id, e.toString());
    }
  }

  /**
   * Drops a generation's entry and image: only for a terminal generation that is made active again
   * (an admin's replay of a dead letter), the one exception to "terminal never changes".
   */
  public void evict(UUID id) {
    try {
      redis.getBucket(key(id), StringCodec.INSTANCE).delete();
      redis.getBucket(imageKey(id), ByteArrayCodec.INSTANCE).delete();
    } catch (RuntimeException e) {
      log.warn("could not evict generation {} from Redis: {}", id, e.toString());
    }
  }

  /** The cached entry, or empty on a miss or when Redis is unreachable. */
  public Optional<Entry> get(UUID id) {
    try {
      Object text = redis.getBucket(key(id), StringCodec.INSTANCE).get();
      return text == null ? Optional.empty() : Optional.of(Json.fromText((String) text, Entry.class));
    } catch (RuntimeException e) {
      log.warn("could not read generation {} from Redis: {}", id, e.toString());
      return Optional.empty();
    }
  }

  /** The cached image, or empty. */
  public Optional<byte[]> image(UUID id) {
    try {
      return Optional.ofNullable((byte[]) redis.getBucket(imageKey(id), ByteArrayCodec.INSTANCE).get());
    } catch (RuntimeException e) {
      log.warn("could not read the image of {} from Redis: {}", id, e.toString());
      return Optional.empty();
    }
  }
}
