package dev.tessera.gateway.auth;

/**
 * An HTTP request made with the admin token. Declare it as a controller parameter and the request
 * must carry {@code Authorization: Bearer <admin token>}, else it gets a 401.
 */
public record Admin() {}
