/**
 * The dispatch lease: which scheduler instance dispatches (one at a time), with the fencing token
 * that lets PostgreSQL refuse a deposed scheduler's claim.
 */
package dev.tessera.scheduler.lease;
