/**
 * Listing generations: {@code GET /v1/generations} for a tenant, {@code GET
 * /v1/admin/generations} for the operator; newest first, cursor pagination, filters.
 */
package dev.tessera.gateway.listing;
