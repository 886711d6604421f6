/**
 * Webhooks after the Standard Webhooks specification: a request's {@code webhook_url} and the
 * tenant's registered endpoints, a durable outbox of deliveries in PostgreSQL polled by every
 * gateway, signatures ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}
 * v1 HMAC-SHA256), retries with exponential backoff, every attempt recorded, and no requests to
 * private or loopback addresses unless the operator allows them.
 */
package dev.tessera.gateway.webhook;
