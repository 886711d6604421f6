package dev.tessera.infra.bench.fleet;

import dev.tessera.infra.bench.Sql;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the fleet benchmark reads from PostgreSQL: the servers' own timestamps and counts. */
final class FleetDb {

  private final Sql sql;

  FleetDb(String url) {
    this.sql = new Sql(url);
  }

  /** Waits until no generation is unfinished, or the timeout passes. */
  void awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && number("SELECT count(*) FROM generations WHERE state "
        + "IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'RETRYING')") > 0) {
      Thread.sleep(500);
    }
  }

  /** Generations that reached SUCCEEDED inside [from, to). */
  long succeeded(Instant from, Instant to) {
    return (long) number("SELECT count(*) FROM generations WHERE succeeded_at >= ? "
        + "AND succeeded_at < ?", ts(from), ts(to));
  }

  /** Generations by state. */
  Map<String, Long> states() {
    Map<String, Long> m = new LinkedHashMap<>();
    query("SELECT state, count(*) FROM generations GROUP BY state ORDER BY state", rs -> {
      m.put(rs.getString(1), rs.getLong(2));
    });
    return m;
  }

  /** p50 and p99 of end-to-end minus decode, of requests accepted inside [from, to). */
  double[] overheadMs(Instant from, Instant to) {
    double[] p = new double[2];
    query("""
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY end_to_end_ms - decode_ms),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY end_to_end_ms - decode_ms)
        FROM generations WHERE state = 'SUCCEEDED' AND queued_at >= ? AND queued_at < ?""",
        rs -> {
          p[0] = rs.getDouble(1);
          p[1] = rs.getDouble(2);
        }, ts(from), ts(to));
    return p;
  }

  /** Per scheduler: batches and requests dispatched inside [from, to). */
  Map<String, long[]> dispatches(Instant from, Instant to) {
    Map<String, long[]> m = new LinkedHashMap<>();
    query("""
        SELECT scheduler_id, count(DISTINCT batch_id), count(*) FROM dispatches
        WHERE dispatched_at >= ? AND dispatched_at < ? GROUP BY scheduler_id ORDER BY 1""",
        rs -> m.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}), ts(from), ts(to));
    return m;
  }

  /** Usage rows that are not exactly one per terminal generation (should be 0). */
  long billingMismatches() {
    return (long) number("""
        SELECT count(*) FROM generations g
        WHERE g.state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED')
          AND (SELECT count(*) FROM usage_events u WHERE u.request_id = g.id) <> 1""");
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }

  private double number(String query, Object... params) {
    return sql.number(query, params);
  }

  private void query(String query, Sql.RowHandler handler, Object... params) {
    sql.query(query, handler, params);
  }
}
