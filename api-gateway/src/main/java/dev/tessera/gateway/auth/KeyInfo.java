package dev.tessera.gateway.auth;

import java.time.Instant;
import java.util.UUID;

/** What the admin API shows of a key: never the key, only its public prefix. */
public record KeyInfo(UUID keyId, UUID tenantId, String prefix, String name, Instant createdAt,
    Instant revokedAt) {}
