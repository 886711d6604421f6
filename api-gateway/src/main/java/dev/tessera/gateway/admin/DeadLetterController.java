package dev.tessera.gateway.admin;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Json;
import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.Tenant;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.GenerationView;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import dev.tessera.gateway.recorder.DeadLetterRow;
import dev.tessera.gateway.recorder.DeadLetterService;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API's dead letters, guarded by the admin token like the rest of it:
 * {@code GET /v1/admin/dead-letters?limit=&tenant_id=} lists them newest first, {@code POST
 * /v1/admin/dead-letters/{id}/replay} puts a failed request back in the queue (202 with its
 * generation). Also served under {@code /admin/dead-letters}, next to the other admin resources.
 */
@RestController
@RequestMapping({"/v1/admin/dead-letters", "/admin/dead-letters"})
class DeadLetterController {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /**
   * A dead letter. {@code kind} {@code request}: a request that ended FAILED, with its generation,
   * tenant, attempts, last error and the request itself. {@code kind} {@code message}: a message
   * the result recorder could not process, with where it came from ({@code topic}, {@code
   * partition}, {@code offset}, {@code key}).
   */
  record DeadLetterBody(long id, String kind, UUID generationId, UUID tenantId, String model,
      String strategy, int attempts, String errorCode, String errorMessage,
      GenerationRequest request, String topic, Integer partition, Long offset, String key,
      Instant createdAt, Instant replayedAt) {}

  private final DeadLetterService deadLetters;
  private final TenantService tenants;

  DeadLetterController(DeadLetterService deadLetters, TenantService tenants) {
    this.deadLetters = deadLetters;
    this.tenants = tenants;
  }

  @GetMapping
  AdminController.ListBody<DeadLetterBody> list(Admin admin,
      @RequestParam(required = false) String limit,
      @RequestParam(name = "tenant_id", required = false) String tenantId) {
    UUID tenant = null;
    if (tenantId != null && !tenantId.isBlank()) {
      tenant = tenants.tenant(uuid(tenantId)).map(Tenant::id)
          .orElseThrow(() -> new NotFoundException("no tenant " + tenantId));
    }
    return new AdminController.ListBody<>(deadLetters.list(tenant, limit(limit)).stream()
        .map(DeadLetterController::body).toList());
  }

  @PostMapping("/{id}/replay")
  ResponseEntity<GenerationView> replay(Admin admin, @PathVariable String id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(deadLetters.replay(deadLetterId(id)));
  }

  private static DeadLetterBody body(DeadLetterRow r) {
    boolean request = DeadLetterRow.REQUEST.equals(r.kind());
    return new DeadLetterBody(r.id(), r.kind(), r.requestId(), r.tenantId(), r.model(),
        r.strategy(), r.attempts(), r.errorCode(), r.error(), request ? request(r) : null,
        r.topic(), r.partition(), r.offset(), request ? null : r.key(), r.createdAt(),
        r.replayedAt());
  }

  private static GenerationRequest request(DeadLetterRow r) {
    try {
      return r.payload() == null ? null : Json.fromBytes(r.payload(), GenerationRequest.class);
    } catch (ContractException e) {
      return null;
    }
  }

  private static int limit(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidRequestException(ProblemType.INVALID_FIELD, "limit",
        "limit must be an integer from 1 to " + MAX_LIMIT + ", was '" + text + "'");
  }

  private static long deadLetterId(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0 && Long.toString(id).equals(text)) {
        return id;
      }
    } catch (NumberFormatException e) {
      // not one of ours
    }
    throw new NotFoundException("no dead letter " + text);
  }

  private static UUID uuid(String text) {
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equals(text.toLowerCase())) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // not one of ours
    }
    throw new NotFoundException("no tenant " + text);
  }
}
