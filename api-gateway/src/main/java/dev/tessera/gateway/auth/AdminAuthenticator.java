package dev.tessera.gateway.auth;

import dev.tessera.gateway.GatewayProperties;
import java.security.MessageDigest;
import org.springframework.stereotype.Component;

/**
 * Checks the admin token ({@code tessera.gateway.admin-token}). The presented and configured tokens
 * are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the comparison takes the same
 * time whatever the token's length or how much of it matches. Without a configured token every
 * admin request is refused.
 */
@Component
public class AdminAuthenticator {

  private final byte[] tokenSha256;

  AdminAuthenticator(GatewayProperties properties) {
    String token = properties.adminToken();
    this.tokenSha256 = token == null || token.isBlank() ? null : ApiKeys.sha256(token);
  }

  /** Whether the header is {@code Bearer <admin token>}. */
  public boolean isAdmin(String authorizationHeader) {
    String presented = bearer(authorizationHeader);
    boolean matches = MessageDigest.isEqual(ApiKeys.sha256(presented == null ? "" : presented),
        tokenSha256 == null ? new byte[32] : tokenSha256);
    return presented != null && tokenSha256 != null && matches;
  }

  /**
   * Authenticates an admin request.
   *
   * @throws UnauthorizedException if the header is missing or does not carry the admin token
   */
  public Admin authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      throw new UnauthorizedException(
          "missing Authorization header; send 'Authorization: Bearer <admin token>'");
    }
    if (!isAdmin(authorizationHeader)) {
      throw new UnauthorizedException("wrong admin token");
    }
    return new Admin();
  }

  /** The token of a {@code Bearer <token>} header, or null. */
  static String bearer(String authorizationHeader) {
    if (authorizationHeader == null) {
      return null;
    }
    String[] parts = authorizationHeader.trim().split("\\s+", 2);
    return parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") ? parts[1] : null;
  }
}
