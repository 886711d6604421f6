package dev.tessera.infra.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady open-loop load from several tenants, each request a {@link Ticket} sent the way a
 * careful client sends it: with an Idempotency-Key, to the next gateway on every attempt, retried
 * after a 503 or 429 (honouring Retry-After, at most 2 s), a 5xx or no answer (backing off), until
 * it is accepted, refused with another 4xx, or {@code giveUp} has passed.
 */
final class ChaosLoad {

  private static final long MAX_WAIT_MS = 2000;
  private static final String[] PRIORITIES = {"normal", "normal", "high", "low"};

  private final CarefulClient client;
  private final List<Tenant> tenants;
  private final double ratePerSecond;
  private final Random random;
  private final String model;
  private final HttpTally tally;
  private final StatusWatcher watcher;
  private final long giveUpNanos;
  private final List<Ticket> tickets = new ArrayList<>();
  private final AtomicLong calls = new AtomicLong();
  private final ExecutorService senders = Executors.newFixedThreadPool(32, r -> {
    Thread t = new Thread(r, "chaos-sender");
    t.setDaemon(true);
    return t;
  });
  private Thread arrivals;
  private volatile boolean stopping;

  ChaosLoad(CarefulClient client, List<Tenant> tenants, double ratePerSecond, long seed,
      String model, HttpTally tally, StatusWatcher watcher, double giveUpSeconds) {
    this.client = client;
    this.tenants = List.copyOf(tenants);
    this.ratePerSecond = ratePerSecond;
    this.random = new Random(seed);
    this.model = model;
    this.tally = tally;
    this.watcher = watcher;
    this.giveUpNanos = (long) (giveUpSeconds * 1e9);
  }

  /** Starts the arrivals: exponential gaps at the rate, tenants and priorities at random. */
  void start() {
    arrivals = new Thread(() -> {
      long next = System.nanoTime();
      while (!stopping) {
        next += (long) (-Math.log(1 - random.nextDouble()) / ratePerSecond * 1e9);
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stopping) {
          return;
        }
        Ticket ticket = newTicket();
        synchronized (tickets) {
          tickets.add(ticket);
        }
        senders.execute(() -> send(ticket));
      }
    }, "chaos-arrivals");
    arrivals.setDaemon(true);
    arrivals.start();
  }

  private Ticket newTicket() {
    Tenant tenant = tenants.get(random.nextInt(tenants.size()));
    String body = "{\"model\":\"" + model + "\",\"class_label\":" + random.nextInt(10)
        + ",\"seed\":" + random.nextInt(1_000_000) + ",\"priority\":\""
        + PRIORITIES[random.nextInt(PRIORITIES.length)] + "\"}";
    return new Ticket(tenant.name(), tenant.apiKey(), new UUID(random.nextLong(),
        random.nextLong()).toString(), body);
  }

  /** Sends a ticket until it is accepted, refused, or given up; see the class comment. */
  void send(Ticket ticket) {
    long deadline = System.nanoTime() + giveUpNanos;
    boolean refusedBefore = false;
    long backoff = 200;
    while (System.nanoTime() < deadline) {
      String gateway = client.gateway(calls.getAndIncrement());
      CarefulClient.Answer answer = client.submit(gateway, ticket.apiKey, ticket.idempotencyKey,
          ticket.body);
      ticket.attempts++;
      tally.record(answer, gateway);
      int status = answer.status();
      if (status == 202) {
        ticket.ids.add(answer.id());
        if (answer.replayed() && refusedBefore) {
          ticket.storedButRefused = true;
        }
        ticket.outcome = Ticket.Outcome.ACCEPTED;
        watcher.watch(answer.id(), ticket.apiKey);
        return;
      }
      long waitMs;
      if (status == 503 || status == 429) {
        refusedBefore = true;
        waitMs = Math.max(100, Math.min(MAX_WAIT_MS, answer.retryAfterMs()));
      } else if (status >= 400 && status < 500) {
        ticket.refusal = status + " " + answer.problemType();
        ticket.outcome = Ticket.Outcome.REFUSED;
        return;
      } else { // a 5xx or no answer: the request may or may not be stored; the key makes it safe
        refusedBefore |= status >= 500;
        waitMs = backoff;
        backoff = Math.min(MAX_WAIT_MS, backoff * 2);
      }
      try {
        Thread.sleep(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ticket.outcome = Ticket.Outcome.ABANDONED;
  }

  /** Stops new arrivals and waits (up to {@code giveUp} and a little) for the sends in flight. */
  void stop() throws InterruptedException {
    stopping = true;
    if (arrivals != null) {
      arrivals.interrupt();
      arrivals.join();
    }
    senders.shutdown();
    senders.awaitTermination(giveUpNanos + 30_000_000_000L, TimeUnit.NANOSECONDS);
  }

  List<Ticket> tickets() {
    synchronized (tickets) {
      return List.copyOf(tickets);
    }
  }

  long accepted() {
    return tickets().stream().filter(t -> t.outcome == Ticket.Outcome.ACCEPTED).count();
  }
}
