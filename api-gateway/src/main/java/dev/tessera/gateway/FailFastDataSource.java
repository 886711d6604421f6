package dev.tessera.gateway;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source that, once getting a connection failed because the database could not be reached
 * (the pool's wait ended with its last attempt to connect failing, as HikariCP reports it in the
 * exception's cause), refuses at once until a probe in the background gets a connection again. So
 * while PostgreSQL is away only the requests already waiting when it went wait out the pool's
 * {@code connection-timeout}; every later one answers 503 in milliseconds, and no request waits to
 * find out whether it is back. A wait that ends only because every connection is busy (load, not an
 * outage) does not open it.
 */
final class FailFastDataSource extends DelegatingDataSource {

  private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

  /** Pause between two probes while the database is unreachable. */
  static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

  private volatile boolean unreachable;
  private final AtomicBoolean probing = new AtomicBoolean();

  FailFastDataSource(DataSource target) {
    super(target);
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkReachable();
    try {
      return super.getConnection();
    } catch (SQLTransientConnectionException | SQLNonTransientConnectionException e) {
      if (e instanceof SQLNonTransientConnectionException || e.getCause() != null) {
        unreachable = true;
        probeInBackground();
      }
      throw e;
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    checkReachable();
    return super.getConnection(username, password);
  }

  private void checkReachable() throws SQLTransientConnectionException {
    if (unreachable) {
      probeInBackground();
      throw new SQLTransientConnectionException("PostgreSQL is unreachable; a probe checks "
          + "every " + PROBE_INTERVAL.toMillis() + " ms whether it is back", "08001");
    }
  }

  /** Starts the probe unless it runs: it gets a connection, and clears the state when it can. */
  private void probeInBackground() {
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    Thread probe = new Thread(() -> {
      try {
        while (unreachable) {
          Thread.sleep(PROBE_INTERVAL.toMillis());
          try (Connection c = super.getConnection()) {
            unreachable = false;
            log.info("PostgreSQL is reachable again");
          } catch (SQLException e) {
            // still away
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        probing.set(false);
        if (unreachable) {
          probeInBackground(); // interrupted while still away: keep one probe running
        }
      }
    }, "tessera-postgresql-probe");
    probe.setDaemon(true);
    probe.start();
  }

  /** Wraps every {@link DataSource} bean of the context. */
  static BeanPostProcessor wrapper() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource source && !(bean instanceof FailFastDataSource)
            ? new FailFastDataSource(source) : bean;
      }
    };
  }
}
