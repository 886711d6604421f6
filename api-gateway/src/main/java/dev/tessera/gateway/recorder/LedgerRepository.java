package dev.tessera.gateway.recorder;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The usage ledger and the dead letters. */
@Repository
class LedgerRepository {

  /** One usage event; at most one per request. */
  record UsageEvent(UUID requestId, UUID tenantId, UUID apiKeyId, String model, String strategy,
      String state, boolean billable, int images, int tokens, int targetForwards,
      int drafterForwards, long decodeMs, Instant occurredAt) {}

  private final JdbcClient jdbc;

  LedgerRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the event unless the request already has one; returns whether it was inserted. */
  boolean insertUsage(UsageEvent e) {
    return jdbc.sql("""
            INSERT INTO usage_events (request_id, tenant_id, api_key_id, model, strategy, state,
                billable, images, tokens, target_forwards, drafter_forwards, decode_ms, occurred_at)
            VALUES (:request, :tenant, :key, :model, :strategy, :state, :billable, :images, :tokens,
                :targetForwards, :drafterForwards, :decodeMs, :at)
            ON CONFLICT (request_id) DO NOTHING""")
        .param("request", e.requestId()).param("tenant", e.tenantId()).param("key", e.apiKeyId())
        .param("model", e.model()).param("strategy", e.strategy()).param("state", e.state())
        .param("billable", e.billable()).param("images", e.images()).param("tokens", e.tokens())
        .param("targetForwards", e.targetForwards()).param("drafterForwards", e.drafterForwards())
        .param("decodeMs", e.decodeMs()).param("at", Timestamp.from(e.occurredAt()))
        .update() == 1;
  }

  /**
   * Removes the unbilled usage event of a request that is put back in flight (an admin's replay of
   * its dead letter): the ledger holds one event per finished request, and its next end writes one.
   * A billable event is never removed. Returns whether one was.
   */
  boolean deleteUnbilledUsage(UUID requestId) {
    return jdbc.sql("DELETE FROM usage_events WHERE request_id = :request AND NOT billable")
        .param("request", requestId).update() == 1;
  }

  /**
   * Removes the dispatch records of a request that is put back in flight: the failed life's are in
   * its dead letter (attempts, error), and the new life numbers its attempts from 1 again.
   */
  void deleteDispatches(UUID requestId) {
    jdbc.sql("DELETE FROM dispatches WHERE request_id = :request").param("request", requestId)
        .update();
  }

  /** Keeps a message that could not be processed. */
  void insertDeadLetter(UUID requestId, String topic, Integer partition, Long offset, String key,
      byte[] payload, String error, Instant at) {
    jdbc.sql("""
            INSERT INTO dead_letters (request_id, topic, partition_no, offset_no, message_key,
                payload, error, created_at)
            VALUES (:request, :topic, :partition, :offset, :key, :payload, :error, :at)""")
        .param("request", requestId).param("topic", topic).param("partition", partition)
        .param("offset", offset).param("key", key).param("payload", payload).param("error", error)
        .param("at", Timestamp.from(at)).update();
  }
}
