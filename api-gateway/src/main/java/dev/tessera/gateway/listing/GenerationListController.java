package dev.tessera.gateway.listing;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.generation.GenerationView;
import dev.tessera.gateway.problem.NotFoundException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/generations}: the caller's generations, newest first, {@code limit} (1-100,
 * default 20) at a time; {@code after=<id>} reads the next (older) page, {@code before=<id>} the
 * previous (newer) one. Filters: {@code status} (comma-separated states), {@code model}, {@code
 * strategy}, {@code batch_id} (the dispatch batch), {@code created_from} (inclusive) and {@code
 * created_to} (exclusive), RFC 3339 times. {@code GET /v1/admin/generations} lists any tenant's
 * ({@code tenant_id}) or everyone's, each item with its {@code tenant_id}.
 */
@RestController
class GenerationListController {

  /** An item of the admin's list: the generation and its tenant. */
  record AdminItem(String tenantId, @JsonUnwrapped GenerationView generation) {}

  private final GenerationLister lister;
  private final JdbcClient jdbc;

  GenerationListController(GenerationLister lister, JdbcClient jdbc) {
    this.lister = lister;
    this.jdbc = jdbc;
  }

  @GetMapping("/v1/generations")
  GenerationPage<GenerationView> list(Caller caller,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String after,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String model,
      @RequestParam(required = false) String strategy,
      @RequestParam(name = "batch_id", required = false) String batchId,
      @RequestParam(name = "created_from", required = false) String createdFrom,
      @RequestParam(name = "created_to", required = false) String createdTo) {
    ListQuery q = ListQuery.parse(limit, after, before, status, model, strategy, batchId,
        createdFrom, createdTo);
    return lister.page(caller.tenantId(), q, GenerationView::of);
  }

  @GetMapping("/v1/admin/generations")
  GenerationPage<AdminItem> listAny(Admin admin,
      @RequestParam(name = "tenant_id", required = false) String tenantId,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String after,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String model,
      @RequestParam(required = false) String strategy,
      @RequestParam(name = "batch_id", required = false) String batchId,
      @RequestParam(name = "created_from", required = false) String createdFrom,
      @RequestParam(name = "created_to", required = false) String createdTo) {
    ListQuery q = ListQuery.parse(limit, after, before, status, model, strategy, batchId,
        createdFrom, createdTo);
    return lister.page(tenant(tenantId), q,
        row -> new AdminItem(row.tenantId().toString(), GenerationView.of(row)));
  }

  /** The tenant named, null for all; 404 for one that does not exist. */
  private UUID tenant(String tenantId) {
    if (tenantId == null || tenantId.isBlank()) {
      return null;
    }
    try {
      UUID id = UUID.fromString(tenantId.strip());
      if (jdbc.sql("SELECT count(*) FROM tenants WHERE id = :id").param("id", id)
          .query(Long.class).single() == 1) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // not one of ours
    }
    throw new NotFoundException("no tenant " + tenantId);
  }
}
