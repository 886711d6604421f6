package dev.tessera.infra.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC reads of a running system's PostgreSQL for benchmarks and tests, one connection per
 * query: they read what the services wrote, through none of the services' code.
 */
public final class Sql {

  private final String url;

  /** @param url the JDBC URL; user {@code postgres}, no password (the embedded server) */
  public Sql(String url) {
    this.url = url;
  }

  /** Receives one row. */
  public interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  /** Runs a query and hands every row to {@code handler}. */
  public void query(String sql, RowHandler handler, Object... params) {
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

  /** Rows of a query as maps, column label → value. */
  public List<Map<String, Object>> rows(String sql, Object... params) {
    List<Map<String, Object>> rows = new ArrayList<>();
    query(sql, rs -> {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
      }
      rows.add(row);
    }, params);
    return rows;
  }

  /** The first column of the first row, or null if there is none. */
  public Object value(String sql, Object... params) {
    List<Map<String, Object>> rows = rows(sql, params);
    return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
  }

  /** The first column of the first row as a number (0 when there is no row or it is null). */
  public double number(String sql, Object... params) {
    return value(sql, params) instanceof Number n ? n.doubleValue() : 0;
  }
}
