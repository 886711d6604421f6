/**
 * Server-sent events of a generation's states ({@code GET /v1/generations/{id}/events}), and the
 * Redis pub/sub announcements that carry state changes to every gateway instance.
 */
package dev.tessera.gateway.events;
