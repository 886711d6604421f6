/**
 * The model catalog, learnt from worker heartbeats, and {@code GET /v1/models}.
 */
package dev.tessera.gateway.catalog;
