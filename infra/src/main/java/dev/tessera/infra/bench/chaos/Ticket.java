package dev.tessera.infra.bench.chaos;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One request a client means to make exactly once, under one Idempotency-Key however often it has
 * to send it; what the gateways answered it.
 */
final class Ticket {

  /** Where the ticket ended. */
  enum Outcome { PENDING, ACCEPTED, REFUSED, ABANDONED }

  final String tenant;
  final String apiKey;
  final String idempotencyKey;
  final String body;
  /** Every generation id a 202 named: more than one is a duplicate. */
  final Set<String> ids = ConcurrentHashMap.newKeySet();
  volatile Outcome outcome = Outcome.PENDING;
  /** An earlier attempt was answered with an error, and a later one was a replay: it was stored. */
  volatile boolean storedButRefused;
  volatile String refusal;
  volatile int attempts;

  Ticket(String tenant, String apiKey, String idempotencyKey, String body) {
    this.tenant = tenant;
    this.apiKey = apiKey;
    this.idempotencyKey = idempotencyKey;
    this.body = body;
  }
}
