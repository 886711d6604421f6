package dev.tessera.infra.cluster;

import dev.tessera.infra.bench.Sql;
import java.util.List;
import java.util.Map;

/** Plain JDBC reads of a cluster's PostgreSQL, for assertions. */
final class ClusterDb {

  private final Sql sql;

  ClusterDb(String url) {
    this.sql = new Sql(url);
  }

  /** Rows of a query as maps, column name → value. */
  List<Map<String, Object>> rows(String query, Object... params) {
    return sql.rows(query, params);
  }

  /** The single value of a one-row, one-column query. */
  Object value(String query, Object... params) {
    return sql.value(query, params);
  }
}
