/**
 * API keys ({@code tsk_<prefix>_<secret>}, stored as SHA-256, compared in constant time), tenants,
 * and the {@link dev.tessera.gateway.auth.Caller} every authenticated handler receives.
 */
package dev.tessera.gateway.auth;
