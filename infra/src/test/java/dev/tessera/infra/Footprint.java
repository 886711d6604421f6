package dev.tessera.infra;

import java.util.List;
import java.util.UUID;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a request may have stored or charged, counted: rows in PostgreSQL (tenants, keys,
 * generations and webhook endpoints and subscriptions in all; dead letters, usage events and
 * Idempotency-Keys of one tenant) and, in
 * Redis, the keys naming that tenant, its requests in flight and the images counted against its
 * quota. Two equal footprints around a refused request show that it changed nothing.
 */
record Footprint(long tenants, long apiKeys, long generations, long deadLetters,
    long replayedDeadLetters, long usageEvents, long idempotencyKeys, long webhooks,
    long redisKeys, long inFlight, String quotaCount) {

  /** Counts everything now, for the given tenant. */
  static Footprint of(JdbcClient jdbc, RedissonClient redis, UUID tenant) {
    String prefix = "tessera:limits:";
    List<String> keys = redis.getKeys().getKeysStreamByPattern("*" + tenant + "*", 1000).toList();
    String quotaKey = keys.stream().filter(k -> k.startsWith(prefix + "images:")).findFirst()
        .orElse(null);
    List<Long> rows = jdbc.sql("""
            SELECT (SELECT count(*) FROM tenants), (SELECT count(*) FROM api_keys),
                   (SELECT count(*) FROM generations),
                   (SELECT count(*) FROM dead_letters WHERE tenant_id = :t),
                   (SELECT count(*) FROM dead_letters WHERE tenant_id = :t
                      AND replayed_at IS NOT NULL),
                   (SELECT count(*) FROM usage_events WHERE tenant_id = :t),
                   (SELECT count(*) FROM generations WHERE tenant_id = :t
                      AND idempotency_key IS NOT NULL),
                   (SELECT count(*) FROM webhook_endpoints)
                      + (SELECT count(*) FROM generation_webhooks)""")
        .param("t", tenant)
        .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)))
        .single();
    return new Footprint(rows.get(0), rows.get(1), rows.get(2), rows.get(3), rows.get(4),
        rows.get(5), rows.get(6), rows.get(7), keys.size(),
        redis.getSet(prefix + "in-flight:" + tenant, StringCodec.INSTANCE).size(),
        quotaKey == null ? null
            : (String) redis.getBucket(quotaKey, StringCodec.INSTANCE).get());
  }
}
