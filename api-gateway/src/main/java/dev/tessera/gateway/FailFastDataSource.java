package dev.tessera.gateway;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source that stops asking for connections for {@link #WINDOW} once getting one failed
 * because the database could not be reached (the pool's wait ended with its last attempt to
 * connect failing, as HikariCP reports it in the exception's cause), and refuses at once meanwhile.
 * So while PostgreSQL is away only the first request waits out the pool's {@code
 * connection-timeout}; the others answer 503 in milliseconds. A wait that ends only because every
 * connection is busy (load, not an outage) does not open it. After the database is back, the first
 * request past the window gets through.
 */
final class FailFastDataSource extends DelegatingDataSource {

  /** How long the data source refuses at once after a failed connection. */
  static final Duration WINDOW = Duration.ofSeconds(1);

  private volatile long refuseUntilNanos = System.nanoTime();

  FailFastDataSource(DataSource target) {
    super(target);
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkRecentFailure();
    try {
      return super.getConnection();
    } catch (SQLTransientConnectionException | SQLNonTransientConnectionException e) {
      if (e instanceof SQLNonTransientConnectionException || e.getCause() != null) {
        refuseUntilNanos = System.nanoTime() + WINDOW.toNanos();
      }
      throw e;
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    checkRecentFailure();
    return super.getConnection(username, password);
  }

  private void checkRecentFailure() throws SQLTransientConnectionException {
    if (System.nanoTime() - refuseUntilNanos < 0) {
      throw new SQLTransientConnectionException("PostgreSQL was unreachable less than "
          + WINDOW.toMillis() + " ms ago; not asking again yet", "08001");
    }
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
