package dev.tessera.gateway.admin;

import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.KeyInfo;
import dev.tessera.gateway.auth.Tenant;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API, {@code /admin/**}, guarded by the admin token: tenants with their limits, and their
 * API keys. A key is shown once, when issued; afterwards only its public prefix.
 */
@RestController
@RequestMapping("/admin")
class AdminController {

  /** The body of {@code POST /admin/tenants}. */
  record CreateTenantBody(String name, Double weight, Double ratePerS, Integer maxInFlight,
      Long monthlyImages) {}

  /** The body of {@code POST /admin/tenants/{id}/keys} (optional). */
  record CreateKeyBody(String name) {}

  /** A key as issued: the only time {@code key} is shown. */
  record IssuedKeyBody(UUID keyId, UUID tenantId, String key, String prefix, String name) {}

  /** A list. */
  record ListBody<T>(List<T> data) {}

  private final TenantService tenants;

  AdminController(TenantService tenants) {
    this.tenants = tenants;
  }

  @PostMapping("/tenants")
  ResponseEntity<Tenant> createTenant(Admin admin, @RequestBody(required = false)
      CreateTenantBody body) {
    TenantService.NewTenant t = validate(body);
    Tenant created = tenants.createTenant(t).orElseThrow(() -> new ApiException(
        HttpStatus.CONFLICT, ProblemType.TENANT_EXISTS, "a tenant named '" + t.name()
            + "' exists", "name"));
    return ResponseEntity.status(HttpStatus.CREATED).body(created);
  }

  @GetMapping("/tenants/{id}")
  Tenant tenant(Admin admin, @PathVariable String id) {
    return tenants.tenant(uuid(id, "tenant")).orElseThrow(() -> noTenant(id));
  }

  @PostMapping("/tenants/{id}/keys")
  ResponseEntity<IssuedKeyBody> issueKey(Admin admin, @PathVariable String id,
      @RequestBody(required = false) CreateKeyBody body) {
    Tenant tenant = tenants.tenant(uuid(id, "tenant")).orElseThrow(() -> noTenant(id));
    String name = body == null || body.name() == null ? "" : body.name().strip();
    if (name.length() > 100) {
      throw new InvalidRequestException(ProblemType.INVALID_FIELD, "name",
          "name must be at most 100 characters");
    }
    TenantService.IssuedKey key = tenants.issueKey(tenant.id(), name);
    String prefix = key.key().split("_")[1];
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(new IssuedKeyBody(key.keyId(), tenant.id(), key.key(), prefix, name));
  }

  @GetMapping("/tenants/{id}/keys")
  ListBody<KeyInfo> keys(Admin admin, @PathVariable String id) {
    Tenant tenant = tenants.tenant(uuid(id, "tenant")).orElseThrow(() -> noTenant(id));
    return new ListBody<>(tenants.keys(tenant.id()));
  }

  @DeleteMapping("/keys/{keyId}")
  ResponseEntity<Void> revoke(Admin admin, @PathVariable String keyId) {
    if (!tenants.revokeKey(uuid(keyId, "key"))) {
      throw new NotFoundException("no key " + keyId);
    }
    return ResponseEntity.noContent().build();
  }

  private static TenantService.NewTenant validate(CreateTenantBody body) {
    if (body == null) {
      throw new InvalidRequestException(ProblemType.MALFORMED_JSON, null,
          "a JSON body {name, weight, rate_per_s, max_in_flight, monthly_images} is required");
    }
    if (body.name() == null || body.name().isBlank()) {
      throw new InvalidRequestException(ProblemType.MISSING_FIELD, "name", "name is required");
    }
    String name = body.name().strip();
    if (name.length() > 100) {
      throw new InvalidRequestException(ProblemType.INVALID_FIELD, "name",
          "name must be at most 100 characters");
    }
    double weight = body.weight() == null ? 1.0 : body.weight();
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw invalid("weight", "weight must be > 0, was " + weight);
    }
    if (body.ratePerS() != null && (!(body.ratePerS() > 0) || body.ratePerS() > 1_000_000)) {
      throw invalid("rate_per_s", "rate_per_s must be in (0, 1000000], was " + body.ratePerS());
    }
    if (body.maxInFlight() != null && body.maxInFlight() <= 0) {
      throw invalid("max_in_flight", "max_in_flight must be > 0, was " + body.maxInFlight());
    }
    if (body.monthlyImages() != null && body.monthlyImages() < 0) {
      throw invalid("monthly_images", "monthly_images must be >= 0, was " + body.monthlyImages());
    }
    return new TenantService.NewTenant(name, weight, body.ratePerS(), body.maxInFlight(),
        body.monthlyImages());
  }

  private static InvalidRequestException invalid(String field, String detail) {
    return new InvalidRequestException(ProblemType.INVALID_FIELD, field, detail);
  }

  private static UUID uuid(String text, String what) {
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equals(text.toLowerCase())) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // not one of ours
    }
    throw new NotFoundException("no " + what + " " + text);
  }

  private static NotFoundException noTenant(String id) {
    return new NotFoundException("no tenant " + id);
  }
}
