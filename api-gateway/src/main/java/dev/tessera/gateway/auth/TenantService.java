package dev.tessera.gateway.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates tenants and issues their API keys. */
@Service
public class TenantService {

  /** A key as issued: its id and the key itself, which is shown once and not stored. */
  public record IssuedKey(UUID tenantId, UUID keyId, String key) {}

  private final ApiKeyRepository repository;
  private final Authenticator authenticator;
  private final TransactionTemplate tx;
  private final Clock clock;

  TenantService(ApiKeyRepository repository, Authenticator authenticator, TransactionTemplate tx,
      Clock clock) {
    this.repository = repository;
    this.authenticator = authenticator;
    this.tx = tx;
    this.clock = clock;
  }

  /** The id of the tenant with this name, created (weight 1, no limits) if it does not exist. */
  public UUID ensureTenant(String name) {
    repository.insertTenant(UUID.randomUUID(), name, 1.0, now());
    return repository.findTenantByName(name).orElseThrow();
  }

  /** What the admin asks for when creating a tenant; null limits are no limits. */
  public record NewTenant(String name, double weight, Double ratePerS, Integer maxInFlight,
      Long monthlyImages) {}

  /** Creates a tenant; empty if the name is taken. */
  public Optional<Tenant> createTenant(NewTenant t) {
    Tenant tenant = new Tenant(UUID.randomUUID(), t.name(), t.weight(), t.ratePerS(),
        t.maxInFlight(), t.monthlyImages(), now());
    return repository.insertTenant(tenant) ? Optional.of(tenant)
        : Optional.empty();
  }

  /** The tenant, if it exists and is not disabled. */
  public Optional<Tenant> tenant(UUID id) {
    return repository.findTenant(id);
  }

  /** A tenant's keys (prefixes only), revoked ones included. */
  public List<KeyInfo> keys(UUID tenantId) {
    return repository.listKeys(tenantId);
  }

  /** Revokes a key: from the next request on, it gets 401. False if there is no such key. */
  public boolean revokeKey(UUID keyId) {
    return repository.revokeKey(keyId, now());
  }

  /** Issues a new key for a tenant. */
  public IssuedKey issueKey(UUID tenantId, String keyName) {
    ApiKeys.NewKey key = ApiKeys.generate();
    UUID keyId = UUID.randomUUID();
    repository.insertKey(keyId, tenantId, key.prefix(), ApiKeys.sha256(key.key()), keyName, now());
    return new IssuedKey(tenantId, keyId, key.key());
  }

  /**
   * A usable key of the named tenant: {@code knownKey} if it is still valid for that tenant, else a
   * newly issued one (the tenant is created when missing). Used for the development tenant that
   * {@code ./tessera serve} prints, so that a restart keeps printing the same key.
   */
  public IssuedKey ensureTenantKey(String tenantName, String knownKey) {
    return tx.execute(status -> {
      UUID tenantId = ensureTenant(tenantName);
      if (knownKey != null) {
        try {
          Caller caller = authenticator.authenticate("Bearer " + knownKey);
          if (caller.tenantId().equals(tenantId)) {
            return new IssuedKey(tenantId, caller.apiKeyId(), knownKey);
          }
        } catch (UnauthorizedException e) {
          // stale key (e.g. a fresh database): issue a new one below
        }
      }
      return issueKey(tenantId, "development");
    });
  }

  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }
}
