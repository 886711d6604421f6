package dev.tessera.gateway.auth;

import java.util.Optional;
import org.springframework.stereotype.Component;

/** Turns an {@code Authorization} header into a {@link Caller}, or refuses it. */
@Component
public class Authenticator {

  /** Compared against when the prefix is unknown, so that both paths cost one hash and compare. */
  private static final byte[] DUMMY_HASH = ApiKeys.sha256("tsk_unknown");

  private final ApiKeyRepository keys;

  Authenticator(ApiKeyRepository keys) {
    this.keys = keys;
  }

  /**
   * Authenticates a bearer key.
   *
   * @throws UnauthorizedException if the header is missing or the key is malformed, unknown or revoked
   */
  public Caller authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      throw new UnauthorizedException("missing Authorization header; send 'Authorization: Bearer <api key>'");
    }
    String[] parts = authorizationHeader.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
      throw new UnauthorizedException("the Authorization header must be 'Bearer <api key>'");
    }
    String key = parts[1];
    Optional<String> prefix = ApiKeys.prefixOf(key);
    if (prefix.isEmpty()) {
      throw new UnauthorizedException("malformed API key");
    }
    Optional<ApiKeyRepository.StoredKey> stored = keys.findByPrefix(prefix.get());
    boolean matches = ApiKeys.matches(key, stored.map(ApiKeyRepository.StoredKey::secretSha256)
        .orElse(DUMMY_HASH));
    if (stored.isEmpty() || !matches || !stored.get().usable()) {
      throw new UnauthorizedException("unknown or revoked API key");
    }
    return new Caller(stored.get().tenantId(), stored.get().id());
  }
}
