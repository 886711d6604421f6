package dev.tessera.gateway.admin;

import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.KeyInfo;
import dev.tessera.gateway.auth.Tenant;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.problem.ApiException;
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
    TenantService.NewTenant t = TenantInput.validate(body);
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
    String name = TenantInput.keyName(body);
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
