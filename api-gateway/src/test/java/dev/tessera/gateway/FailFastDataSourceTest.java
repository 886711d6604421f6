package dev.tessera.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.AbstractDataSource;

class FailFastDataSourceTest {

  /** A pool in front of a database that is up or down, counting the callers it made wait. */
  private static final class FakePool extends AbstractDataSource {
    final AtomicBoolean up = new AtomicBoolean(true);
    final AtomicBoolean busy = new AtomicBoolean();
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
      asked.incrementAndGet();
      if (busy.get()) { // every connection in use: HikariCP's timeout without a cause
        throw new SQLTransientConnectionException("pool busy");
      }
      if (!up.get()) { // the last attempt to connect failed: the cause says so
        throw new SQLTransientConnectionException("timed out", "08001",
            new ConnectException("connection refused"));
      }
      return mock(Connection.class);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }
  }

  private final FakePool pool = new FakePool();
  private final DataSource dataSource = new FailFastDataSource(pool);

  @Test
  void afterTheDatabaseIsFoundUnreachableCallersAreRefusedAtOnceUntilTheProbeConnects()
      throws SQLException {
    pool.up.set(false);
    assertThatThrownBy(dataSource::getConnection).hasMessage("timed out");
    pool.up.set(true); // back, but only the probe may find out
    int askedBefore = pool.asked.get();
    assertThatThrownBy(dataSource::getConnection).as("refused without waiting on the pool")
        .isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("unreachable");

    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> dataSource.getConnection() != null);
    assertThat(pool.asked.get() - askedBefore).as("the probe's attempts and the caller's, no "
        + "caller waiting in between").isGreaterThanOrEqualTo(2);
  }

  @Test
  void aPoolThatIsOnlyBusyDoesNotRefuseTheNextCaller() throws SQLException {
    pool.busy.set(true);
    assertThatThrownBy(dataSource::getConnection).hasMessage("pool busy");
    pool.busy.set(false);
    assertThat(dataSource.getConnection()).as("load is not an outage").isNotNull();
  }
}
