package dev.tessera.infra.bench.chaos;

import dev.tessera.contract.GenerationState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows every accepted generation as its client would, by polling {@code GET} on the gateways in
 * turn, until it is terminal; and remembers the first terminal answer, so that the reconciliation can
 * tell whether a finished request changed afterwards (finished twice, or went backwards).
 */
final class StatusWatcher {

  /** What the client saw of one generation. */
  static final class Watch {
    final String apiKey;
    volatile String lastStatus;
    /** The first terminal status seen and the finish time it carried. */
    volatile String terminalStatus;
    volatile String terminalFinishedAt;
    /** A status seen after a terminal one that differs from it. */
    volatile String wentBackTo;

    Watch(String apiKey) {
      this.apiKey = apiKey;
    }
  }

  private final CarefulClient client;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private Thread poller;
  private volatile boolean stopping;

  StatusWatcher(CarefulClient client) {
    this.client = client;
  }

  /** Whether a status the API answered is terminal ({@link GenerationState#isTerminal}). */
  static boolean terminal(String status) {
    try {
      return status != null && GenerationState.valueOf(status).isTerminal();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Starts following a generation (idempotent). */
  void watch(String id, String apiKey) {
    watches.putIfAbsent(id, new Watch(apiKey));
  }

  /** Polls the unfinished generations, about once a second each, until {@link #stop}. */
  void start() {
    poller = new Thread(() -> {
      while (!stopping) {
        watches.forEach((id, watch) -> {
          if (watch.terminalStatus == null && !stopping) {
            look(id, watch);
          }
        });
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "chaos-watcher");
    poller.setDaemon(true);
    poller.start();
  }

  /** Reads a generation once, as a client would (any gateway), and records what it says. */
  void look(String id, Watch watch) {
    CarefulClient.Answer a = client.view(client.gateway(calls.getAndIncrement()), watch.apiKey, id);
    if (a.status() != 200 || a.body() == null) {
      return; // a gateway away, or a 503 during an outage: look again later
    }
    String status = a.body().path("status").asText(null);
    String finishedAt = a.body().path("timestamps").path(finishedField(status)).asText(null);
    watch.lastStatus = status;
    if (watch.terminalStatus == null) {
      if (terminal(status)) {
        watch.terminalFinishedAt = finishedAt;
        watch.terminalStatus = status;
      }
    } else if (!watch.terminalStatus.equals(status)
        || !sameInstant(finishedAt, watch.terminalFinishedAt)) {
      watch.wentBackTo = status + " " + finishedAt;
    }
  }

  /** Two finish times are the same to the millisecond (a cached view may carry fewer digits). */
  static boolean sameInstant(String a, String b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    try {
      return java.time.Instant.parse(a).toEpochMilli() == java.time.Instant.parse(b).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return a.equals(b);
    }
  }

  private static String finishedField(String status) {
    return status == null ? "none" : status.toLowerCase(java.util.Locale.ROOT) + "_at";
  }

  /** Reads every generation once more (after the drain), to catch a change after its end. */
  void lookAgainAtAll() {
    watches.forEach(this::look);
  }

  void stop() throws InterruptedException {
    stopping = true;
    if (poller != null) {
      poller.interrupt();
      poller.join();
    }
  }

  Map<String, Watch> watches() {
    return Map.copyOf(watches);
  }

  /** Generations the client saw finish. */
  long finished() {
    return watches.values().stream().filter(w -> w.terminalStatus != null).count();
  }

  /** Generations the client saw accepted and not yet terminal. */
  long unfinished() {
    return watches.values().stream().filter(w -> w.terminalStatus == null).count();
  }
}
