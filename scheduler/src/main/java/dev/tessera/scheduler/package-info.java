/**
 * The scheduler: keeps the pending queue (rebuilt from PostgreSQL on start), groups requests by
 * (model, strategy), decides when a group becomes a batch ({@link
 * dev.tessera.scheduler.batching.BatchPolicy}, a pure function of the queue and the time) and
 * dispatches batches to the workers, marking their rows DISPATCHED.
 */
package dev.tessera.scheduler;
