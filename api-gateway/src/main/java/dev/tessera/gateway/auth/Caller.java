package dev.tessera.gateway.auth;

import java.util.UUID;

/**
 * The authenticated tenant and key of an HTTP request. Declare it as a controller parameter and the
 * request must carry a valid {@code Authorization: Bearer <key>}, else it gets a 401.
 *
 * @param tenantId the key's tenant
 * @param apiKeyId the key
 */
public record Caller(UUID tenantId, UUID apiKeyId) {}
