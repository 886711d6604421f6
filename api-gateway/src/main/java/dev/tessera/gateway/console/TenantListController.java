package dev.tessera.gateway.console;

import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.Tenant;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /admin/tenants}: every enabled tenant with its limits, newest first (at most 1000). */
@RestController
class TenantListController {

  /** A list. */
  record TenantList(List<Tenant> data) {}

  private final JdbcClient jdbc;

  TenantListController(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @GetMapping("/admin/tenants")
  TenantList tenants(Admin admin) {
    return new TenantList(jdbc.sql("""
            SELECT id, name, weight, rate_per_s, max_in_flight, monthly_images, created_at
            FROM tenants WHERE disabled_at IS NULL ORDER BY created_at DESC, name LIMIT 1000""")
        .query((rs, n) -> new Tenant(rs.getObject("id", UUID.class), rs.getString("name"),
            rs.getDouble("weight"), rs.getObject("rate_per_s", Double.class),
            rs.getObject("max_in_flight", Integer.class),
            rs.getObject("monthly_images", Long.class),
            rs.getObject("created_at", Timestamp.class).toInstant()))
        .list());
  }
}
