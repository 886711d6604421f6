/**
 * The scheduler's I/O: the request listener, the dispatch loop, the claim-then-publish dispatcher
 * and the PostgreSQL queries that rebuild the queue.
 */
package dev.tessera.scheduler.dispatch;
