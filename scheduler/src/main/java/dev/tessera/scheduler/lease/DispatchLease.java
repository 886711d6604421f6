package dev.tessera.scheduler.lease;

import dev.tessera.scheduler.SchedulerProperties;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatch lease in PostgreSQL ({@code scheduler_leases}, row {@code dispatch}): the scheduler
 * instance that holds it dispatches; the others stand by, following the heartbeats and results so
 * that they can take over warm. The holder renews it every {@code lease-renew-interval}; a standby
 * takes it once it has expired ({@code lease-ttl} after the last renewal, by PostgreSQL's clock), and
 * each takeover increments the fencing token.
 *
 * <p>Why a lease and not shares of the fleet: a worker's room must be counted by one dispatcher, or
 * two would fill the same free slots; one active scheduler does that without coordination on every
 * dispatch, and one scheduler makes hundreds of dispatch decisions a second, far more than a fleet
 * of GPUs decoding images needs (see {@code docs/benchmarks/fleet.md}). The cost is failover time:
 * at most the TTL plus one renewal interval.
 *
 * <p>Safety does not rest on timing: the claim of every batch checks the token under a share lock of
 * the lease row ({@link #verify}), which a takeover's update waits for. So a scheduler that lost the
 * lease (paused, cut off) claims nothing, and a takeover sees every claim its predecessor committed.
 */
@Component
public class DispatchLease implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DispatchLease.class);
  private static final String NAME = "dispatch";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final String holder;
  private final Duration ttl;
  private final Duration renewInterval;
  private volatile long token;
  private volatile long validUntilNanos;
  private volatile boolean running;
  private Thread thread;

  DispatchLease(JdbcClient jdbc, TransactionTemplate tx, SchedulerProperties properties,
      SchedulerInstance instance) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.holder = instance.id();
    this.ttl = properties.leaseTtl();
    this.renewInterval = properties.leaseRenewInterval();
  }

  /** This instance's id, as the lease names its holder. */
  public String holder() {
    return holder;
  }

  /** The token while this instance holds the lease (and its last renewal has not run out). */
  public OptionalLong current() {
    long t = token;
    return t > 0 && System.nanoTime() < validUntilNanos ? OptionalLong.of(t) : OptionalLong.empty();
  }

  /** Whether this instance holds the lease now. */
  public boolean isLeader() {
    return current().isPresent();
  }

  /**
   * Renews the lease if this instance holds it, or takes it if it has expired; returns the token
   * held afterwards (empty: another instance holds it). Throws if PostgreSQL cannot be asked.
   */
  public OptionalLong renew() {
    long started = System.nanoTime();
    Long got = tx.execute(status -> {
      // a claim in flight holds a share lock on the row; wait for it, but not past the lease
      long waitMs = Math.max(renewInterval.toMillis(), ttl.toMillis() / 3);
      jdbc.sql("SET LOCAL lock_timeout = '" + waitMs + "ms'").update();
      return jdbc.sql("""
              UPDATE scheduler_leases
              SET token = CASE WHEN holder = :me AND expires_at > now() THEN token ELSE token + 1 END,
                  acquired_at = CASE WHEN holder = :me AND expires_at > now() THEN acquired_at
                                     ELSE now() END,
                  holder = :me,
                  expires_at = now() + make_interval(secs => :ttl)
              WHERE name = :name AND (holder = :me OR expires_at <= now())
              RETURNING token""")
          .param("me", holder).param("name", NAME).param("ttl", ttl.toMillis() / 1000.0)
          .query(Long.class).optional().orElse(null);
    });
    long before = token;
    if (got == null) {
      token = 0;
      if (before != 0) {
        log.warn("scheduler {} lost the dispatch lease", holder);
      }
      return OptionalLong.empty();
    }
    validUntilNanos = started + ttl.toNanos();
    token = got;
    if (before != got) {
      log.info("scheduler {} holds the dispatch lease (fencing token {})", holder, got);
    }
    return OptionalLong.of(got);
  }

  /**
   * Inside a claim's transaction: whether this instance still holds the lease with {@code token}.
   * The share lock it takes on the lease row makes a takeover wait until the claim commits.
   */
  public boolean verify(long token) {
    return jdbc.sql("""
            SELECT 1 FROM scheduler_leases
            WHERE name = :name AND holder = :me AND token = :token AND expires_at > now()
            FOR SHARE""")
        .param("name", NAME).param("me", holder).param("token", token)
        .query(Integer.class).optional().isPresent();
  }

  /** Gives the lease up (a clean stop), so that a standby takes over at its next try. */
  void release() {
    token = 0;
    try {
      jdbc.sql("""
              UPDATE scheduler_leases SET expires_at = '-infinity'
              WHERE name = :name AND holder = :me""")
          .param("name", NAME).param("me", holder).update();
    } catch (RuntimeException e) {
      log.warn("could not release the dispatch lease (it expires by itself)", e);
    }
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "tessera-lease");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    boolean failing = false;
    while (running) {
      try {
        renew();
        if (failing) {
          log.info("scheduler {} reaches PostgreSQL again for the dispatch lease", holder);
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          log.warn("scheduler {} cannot renew the dispatch lease; still trying: {}", holder,
              e.toString());
        }
        failing = true;
      }
      try {
        Thread.sleep(renewInterval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    release();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops after the dispatch loop (lower phases stop later): no dispatch after the release. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 200;
  }
}
