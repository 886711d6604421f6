package dev.tessera.infra.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Topics;
import dev.tessera.gateway.generation.ResultCache;
import dev.tessera.infra.local.EmbeddedServers;
import dev.tessera.infra.bench.Sql;
import dev.tessera.infra.bench.TopicReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * What the run left in PostgreSQL, Kafka and Redis, read directly (through none of the services'
 * code) for the reconciliation.
 */
final class RunStores {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The services' {@code tessera.redis.key-prefix} (the default: the run sets no other). */
  private static final String KEY_PREFIX = "tessera:";

  private final EmbeddedServers servers;
  private final Sql sql;

  RunStores(EmbeddedServers servers) {
    this.servers = servers;
    this.sql = new Sql(servers.jdbcUrl());
  }

  /** The tenants' generations that are not terminal yet. */
  long unfinished(Collection<String> tenantIds) {
    long[] n = new long[1];
    sql.query("SELECT tenant_id::text, count(*) FROM generations WHERE state IN ('QUEUED', "
        + "'DISPATCHED', 'RUNNING', 'RETRYING') GROUP BY tenant_id", rs -> {
          if (tenantIds.contains(rs.getString(1))) {
            n[0] += rs.getLong(2);
          }
        });
    return n[0];
  }

  /** The tenants' generations with their usage rows. */
  List<StoredGeneration> generations(Map<String, String> tenantNamesById) {
    List<StoredGeneration> all = new ArrayList<>();
    sql.query("""
        SELECT g.id::text, g.tenant_id::text, g.idempotency_key, g.state, g.error_code,
               count(u.id) AS usage_rows, max(u.state) AS usage_state,
               bool_or(u.billable) AS billable
        FROM generations g LEFT JOIN usage_events u ON u.request_id = g.id
        GROUP BY g.id""", rs -> {
          String tenant = tenantNamesById.get(rs.getString(2));
          if (tenant != null) {
            Boolean billable = rs.getObject(8) == null ? null : rs.getBoolean(8);
            all.add(new StoredGeneration(rs.getString(1), tenant, rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7), billable));
          }
        });
    return all;
  }

  /** Terminal results per generation id on {@link Topics#RESULTS}. */
  Map<String, Integer> terminalResults() {
    Map<String, Integer> counts = new HashMap<>();
    for (GenerationResult r : TopicReader.readAll(servers.kafkaBootstrap(), Topics.RESULTS,
        GenerationResult.class)) {
      if (r.status().isTerminal()) {
        counts.merge(r.requestId(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The status Redis caches for each of these generations (those it has). */
  Map<String, String> cachedStatus(Set<String> ids) {
    Config config = new Config();
    config.useSingleServer().setAddress(servers.redisAddress()).setConnectionPoolSize(2)
        .setConnectionMinimumIdleSize(1);
    RedissonClient redis = Redisson.create(config);
    try {
      Map<String, String> cached = new HashMap<>();
      for (String id : ids) {
        Object text = redis.getBucket(ResultCache.key(KEY_PREFIX, UUID.fromString(id)),
            StringCodec.INSTANCE).get();
        if (text != null) {
          try {
            JsonNode entry = JSON.readTree(text.toString());
            cached.put(id, entry.path("view").path("status").asText());
          } catch (IOException e) {
            cached.put(id, "unreadable: " + e.getMessage());
          }
        }
      }
      return cached;
    } finally {
      redis.shutdown();
    }
  }
}
