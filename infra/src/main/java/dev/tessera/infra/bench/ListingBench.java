package dev.tessera.infra.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Measures the listing queries of {@code GET /v1/generations} on a large table: starts an embedded
 * PostgreSQL in a temporary directory, applies the gateway's migrations, inserts N generations
 * with {@code generate_series} (default 1,000,000: one big tenant holding 60 %, 99 others the
 * rest, at random with a fixed seed; 3 models in turn; 90 % SUCCEEDED, 5 % FAILED, 3 % CANCELLED,
 * 2 % EXPIRED at random), then runs each query
 * shape the listing sends, with the same SQL as {@code GenerationListRepository}, under {@code
 * EXPLAIN (ANALYZE, BUFFERS)} and prints the median execution time of 7 runs and the plan's first
 * line. Usage: {@code java -cp <infra classpath> dev.tessera.infra.bench.ListingBench [rows]}.
 */
public final class ListingBench {

  private static final String BIG = "00000000-0000-0000-0000-000000000001";

  private ListingBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("tessera-listing-bench");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir)
        .setCleanDataDirectory(true).start()) {
      DataSource ds = pg.getPostgresDatabase();
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        long t0 = System.nanoTime();
        fill(s, rows);
        System.out.printf("inserted %,d generations (+ indexes, ANALYZE) in %.1f s%n", rows,
            (System.nanoTime() - t0) / 1e9);
        Map<String, String> queries = queries(s);
        System.out.println();
        System.out.println("| query | median ms (7 runs) | rows | plan |");
        System.out.println("|---|---|---|---|");
        for (Map.Entry<String, String> q : queries.entrySet()) {
          measure(s, q.getKey(), q.getValue());
        }
      }
    }
  }

  private static void fill(Statement s, int rows) throws Exception {
    s.execute("""
        INSERT INTO tenants (id, name, created_at)
        SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(t), 12, '0'))::uuid, 'bench-' || t, now()
        FROM generate_series(1, 100) t""");
    s.execute("""
        INSERT INTO api_keys (id, tenant_id, prefix, secret_sha256, created_at)
        SELECT id, id, 'p' || name, decode(repeat('00', 32), 'hex'), now() FROM tenants""");
    s.execute("SET synchronous_commit = off");
    s.execute("SELECT setseed(0.42)");
    s.execute(String.format("""
        INSERT INTO generations (id, tenant_id, api_key_id, model, strategy, class_label, seed,
            cfg_scale, temperature, top_k, top_p, draft_len, lantern_k, lantern_delta, state,
            batch_id, queued_at, updated_at, created_at)
        SELECT gen_random_uuid(), tid, tid, (ARRAY['fm-ar', 'fm-par4', 'fm-par16'])[1 + i %% 3],
            CASE WHEN i %% 3 = 0 THEN 'ar' ELSE 'par' END, i %% 10, i, 2.0, 1.0, 0, 1.0, 4, 0,
            0.0, CASE WHEN r < 0.90 THEN 'SUCCEEDED' WHEN r < 0.95 THEN 'FAILED'
                      WHEN r < 0.98 THEN 'CANCELLED' ELSE 'EXPIRED' END,
            md5((i / 8)::text)::uuid, at, at, at
        FROM (SELECT i, timestamptz '2026-01-01' + i * interval '10 seconds' AS at, random() AS r,
                  CASE WHEN random() < 0.6 THEN '%s'::uuid
                       ELSE ('00000000-0000-0000-0000-' || lpad(to_hex(2 + i %% 99), 12, '0'))::uuid
                  END AS tid
              FROM generate_series(1, %d) i) g""", BIG, rows));
    s.execute("VACUUM ANALYZE generations");
  }

  /** The query shapes of the listing, as GenerationListRepository writes them. */
  private static Map<String, String> queries(Statement s) throws Exception {
    String middle = single(s, "SELECT created_at || '|' || id FROM generations WHERE tenant_id = '"
        + BIG + "' ORDER BY created_at DESC, id DESC OFFSET 300000 LIMIT 1");
    String at = middle.split("\\|")[0];
    String id = middle.split("\\|")[1];
    String batch = single(s, "SELECT batch_id FROM generations WHERE tenant_id = '" + BIG
        + "' ORDER BY created_at DESC LIMIT 1 OFFSET 1000");
    String ids = single(s, "SELECT string_agg(quote_literal(id::text), ',') FROM (SELECT id FROM"
        + " generations WHERE tenant_id = '" + BIG + "' ORDER BY created_at DESC LIMIT 20) x");
    String tenant = "SELECT id FROM generations WHERE TRUE AND tenant_id = '" + BIG + "'";
    String page = " ORDER BY created_at DESC, id DESC LIMIT 21";
    String cursor = " AND (created_at, id) < ('" + at + "', '" + id + "')";
    Map<String, String> q = new LinkedHashMap<>();
    q.put("first page, tenant with 600k rows", tenant + page);
    q.put("page after a cursor 300k rows deep", tenant + cursor + page);
    q.put("before a cursor 300k rows deep", tenant
        + " AND (created_at, id) > ('" + at + "', '" + id + "') ORDER BY created_at, id LIMIT 21");
    q.put("status=FAILED (5%)", tenant + " AND state IN ('FAILED')" + page);
    q.put("status=FAILED,CANCELLED, 300k deep", tenant + " AND state IN ('FAILED', 'CANCELLED')"
        + cursor + page);
    q.put("status=EXPIRED&model=fm-par16", tenant + " AND state IN ('EXPIRED')"
        + " AND model = 'fm-par16'" + page);
    q.put("model=fm-ar&strategy=ar", tenant + " AND model = 'fm-ar' AND strategy = 'ar'" + page);
    q.put("model=unknown: nothing matches", tenant + " AND model = 'none'" + page);
    q.put("strategy=lantern: nothing matches (worst case)", tenant
        + " AND strategy = 'lantern'" + page);
    q.put("small tenant (~0.4%), status=FAILED&model=fm-ar", "SELECT id FROM generations WHERE "
        + "TRUE AND tenant_id = '00000000-0000-0000-0000-000000000002' AND state IN ('FAILED')"
        + " AND model = 'fm-ar'" + page);
    q.put("created range (one day), 300k deep", tenant + " AND created_at >= '" + at
        + "'::timestamptz - interval '1 day' AND created_at < '" + at + "'" + page);
    q.put("batch_id", tenant + " AND batch_id = '" + batch + "'" + page);
    q.put("admin, every tenant, first page",
        "SELECT id FROM generations WHERE TRUE" + page);
    q.put("the page's 20 rows by id (second query)", "SELECT id, tenant_id, model, state, "
        + "queued_at, image_png IS NOT NULL FROM generations WHERE id IN (" + ids + ")");
    return q;
  }

  private static void measure(Statement s, String name, String sql) throws Exception {
    List<Double> times = new ArrayList<>();
    String plan = null;
    long rows = 0;
    for (int run = 0; run < 7; run++) {
      List<String> lines = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
      for (String line : lines) {
        if (line.startsWith("Execution Time:")) {
          times.add(Double.parseDouble(line.replaceAll("[^0-9.]", "")));
        }
      }
      plan = planSummary(lines);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + sql + ") x")) {
        rs.next();
        rows = rs.getLong(1);
      }
    }
    Collections.sort(times);
    System.out.printf("| %s | %.3f | %d | %s |%n", name, times.get(times.size() / 2), rows, plan);
  }

  /** The scans of the plan: node type and index, e.g. "Index Scan Backward using x". */
  private static String planSummary(List<String> lines) {
    List<String> scans = new ArrayList<>();
    for (String line : lines) {
      String l = line.strip().replaceFirst("^->\\s*", "");
      if (l.contains("Scan") || l.startsWith("Limit") || l.startsWith("Sort")
          || l.startsWith("Merge Append")) {
        scans.add(l.replaceAll("\\s*\\(cost=.*", ""));
      }
    }
    return String.join(" → ", scans);
  }

  private static String single(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
