package dev.tessera.infra.bench.fleet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the fleet benchmark reads from PostgreSQL: the servers' own timestamps and counts. */
final class FleetDb {

  private final String url;

  FleetDb(String url) {
    this.url = url;
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

  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private double number(String sql, Object... params) {
    double[] v = new double[1];
    query(sql, rs -> v[0] = rs.getDouble(1), params);
    return v[0];
  }

  private void query(String sql, RowHandler handler, Object... params) {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
