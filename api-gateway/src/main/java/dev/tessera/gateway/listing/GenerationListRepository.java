package dev.tessera.gateway.listing;

import dev.tessera.contract.GenerationState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Keyset pagination over {@code generations} by {@code (created_at, id)}, newest first: a page is
 * one range scan of {@code generations_tenant_created} (or {@code generations_created} for every
 * tenant, {@code generations_tenant_state_created} with a status filter) that stops after
 * {@code limit + 1} rows, however deep the page.
 */
@Repository
class GenerationListRepository {

  /** Where a cursor points: the sort key of a generation. */
  record Cursor(Instant createdAt, UUID id) {}

  private final JdbcClient jdbc;

  GenerationListRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The sort key of generation {@code id}, if it is in {@code tenant}'s list (any, if null). */
  Optional<Cursor> cursor(UUID tenant, UUID id) {
    return jdbc.sql("SELECT created_at FROM generations WHERE id = :id"
            + (tenant == null ? "" : " AND tenant_id = :tenant"))
        .param("id", id).param("tenant", tenant)
        .query((rs, n) -> new Cursor(rs.getTimestamp(1).toInstant(), id)).optional();
  }

  /** One page of ids, newest first, and whether more lie beyond it in the direction read. */
  record Slice(List<UUID> ids, boolean hasMore) {}

  /**
   * Up to {@code limit} generations older than the cursor ({@code newer} false: the next page) or
   * newer than it ({@code newer} true: the previous page), matching the filters, newest first.
   * One row more than a page is read to tell whether there are more.
   */
  Slice page(UUID tenant, ListQuery q, Cursor cursor, boolean newer) {
    StringBuilder sql = new StringBuilder("SELECT id FROM generations WHERE TRUE");
    Map<String, Object> params = new HashMap<>();
    if (tenant != null) {
      sql.append(" AND tenant_id = :tenant");
      params.put("tenant", tenant);
    }
    if (!q.statuses().isEmpty()) {
      sql.append(" AND state IN (:states)");
      params.put("states", q.statuses().stream().map(GenerationState::name).toList());
    }
    if (q.model() != null) {
      sql.append(" AND model = :model");
      params.put("model", q.model());
    }
    if (q.strategy() != null) {
      sql.append(" AND strategy = :strategy");
      params.put("strategy", q.strategy());
    }
    if (q.batchId() != null) {
      sql.append(" AND batch_id = :batch");
      params.put("batch", q.batchId());
    }
    if (q.createdFrom() != null) {
      sql.append(" AND created_at >= :from");
      params.put("from", Timestamp.from(q.createdFrom()));
    }
    if (q.createdTo() != null) {
      sql.append(" AND created_at < :to");
      params.put("to", Timestamp.from(q.createdTo()));
    }
    if (cursor != null) {
      sql.append(newer ? " AND (created_at, id) > (:cursorAt, :cursorId)"
          : " AND (created_at, id) < (:cursorAt, :cursorId)");
      params.put("cursorAt", Timestamp.from(cursor.createdAt()));
      params.put("cursorId", cursor.id());
    }
    sql.append(newer ? " ORDER BY created_at, id" : " ORDER BY created_at DESC, id DESC");
    sql.append(" LIMIT :limit");
    params.put("limit", q.limit() + 1);
    List<UUID> ids = new ArrayList<>(jdbc.sql(sql.toString()).params(params)
        .query((rs, n) -> rs.getObject(1, UUID.class)).list());
    boolean hasMore = ids.size() > q.limit();
    List<UUID> page = new ArrayList<>(ids.subList(0, Math.min(ids.size(), q.limit())));
    if (newer) { // read oldest first, from the cursor up
      Collections.reverse(page);
    }
    return new Slice(page, hasMore);
  }
}
