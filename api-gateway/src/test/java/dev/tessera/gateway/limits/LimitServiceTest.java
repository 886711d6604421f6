package dev.tessera.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tessera.gateway.TestDatabase;
import dev.tessera.gateway.TestDatabase.TestTenant;
import dev.tessera.gateway.TestProperties;
import dev.tessera.gateway.TestRedis;
import dev.tessera.gateway.generation.TestRepositories;
import dev.tessera.gateway.limits.LimitExceededException.Limit;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * A tenant's limits, enforced in an embedded Redis and rebuilt from the embedded PostgreSQL: what a
 * tenant is refused, what it gets back, and that a submission is admitted whole or not at all.
 */
class LimitServiceTest {

  /** A rate so slow that the bucket does not refill while a test runs: one request per 1000 s. */
  private static final double SLOW_RATE = 0.001;

  private static RedissonClient redis;
  private final LimitService limits = new LimitService(redis,
      new LimitRepository(TestDatabase.jdbc()), TestProperties.redis(TestRedis.address()),
      TestProperties.gateway(), Clock.systemUTC());

  @BeforeAll
  static void connect() {
    redis = TestRedis.client();
  }

  @AfterAll
  static void disconnect() {
    redis.shutdown();
  }

  @Test
  void aTenantWithoutLimitsIsAlwaysAdmitted() {
    TestTenant tenant = TestDatabase.newTenant();

    for (int i = 0; i < 50; i++) {
      limits.admit(tenant.id(), UUID.randomUUID());
    }
    limits.admit(tenant.id(), ids(20));
  }

  @Test
  void overTheRateIsRefusedWithWhenToRetry() {
    TestTenant tenant = TestDatabase.newTenant(SLOW_RATE, null, null);
    limits.admit(tenant.id(), UUID.randomUUID());

    LimitExceededException refused = catchThrowableOfType(LimitExceededException.class,
        () -> limits.admit(tenant.id(), UUID.randomUUID()));

    assertThat(refused).as("the bucket holds one request").isNotNull();
    assertThat(refused.limit()).isEqualTo(Limit.RATE);
    assertThat(refused.headers()).containsEntry("RateLimit-Policy", "\"rate\";q=1;w=1000")
        .containsEntry("Retry-After", "1000");
  }

  @Test
  void moreRequestsAtOnceThanTheBucketHoldsAreRefusedWithoutTakingAny() {
    TestTenant tenant = TestDatabase.newTenant(SLOW_RATE, null, null);

    assertThatThrownBy(() -> limits.admit(tenant.id(), ids(2)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("send at most 1 at once");
    limits.admit(tenant.id(), UUID.randomUUID()); // the one permit is still there
  }

  @Test
  void inFlightIsCappedAndAFinishedRequestFreesItsSlotOnce() {
    TestTenant tenant = TestDatabase.newTenant(null, 2, null);
    UUID a = UUID.randomUUID();
    limits.admit(tenant.id(), a);
    limits.admit(tenant.id(), UUID.randomUUID());

    LimitExceededException full = catchThrowableOfType(LimitExceededException.class,
        () -> limits.admit(tenant.id(), UUID.randomUUID()));
    limits.finished(tenant.id(), a, Instant.now(), true);
    limits.finished(tenant.id(), a, Instant.now(), true); // a redelivery frees nothing more
    limits.admit(tenant.id(), UUID.randomUUID());

    assertThat(full.limit()).isEqualTo(Limit.IN_FLIGHT);
    assertThat(full.headers()).containsEntry("RateLimit-Policy", "\"in-flight\";q=2");
    assertThatThrownBy(() -> limits.admit(tenant.id(), UUID.randomUUID()))
        .as("one slot was freed, not two").isInstanceOf(LimitExceededException.class);
  }

  @Test
  void theMonthlyQuotaCountsImagesAndAnUnbilledEndGivesItsImageBack() {
    TestTenant tenant = TestDatabase.newTenant(null, null, 2L);
    UUID failed = UUID.randomUUID();
    UUID succeeded = UUID.randomUUID();
    limits.admit(tenant.id(), failed);
    limits.admit(tenant.id(), succeeded);

    LimitExceededException usedUp = catchThrowableOfType(LimitExceededException.class,
        () -> limits.admit(tenant.id(), UUID.randomUUID()));
    limits.finished(tenant.id(), succeeded, Instant.now(), true);
    LimitExceededException stillUsedUp = catchThrowableOfType(LimitExceededException.class,
        () -> limits.admit(tenant.id(), UUID.randomUUID()));
    limits.finished(tenant.id(), failed, Instant.now(), false);
    limits.admit(tenant.id(), UUID.randomUUID());

    assertThat(usedUp.limit()).isEqualTo(Limit.MONTHLY_IMAGES);
    assertThat(stillUsedUp).as("a billed image stays counted").isNotNull();
  }

  @Test
  void theMonthsCounterIsRebuiltFromPostgresWhenRedisHasNone() {
    TestTenant tenant = TestDatabase.newTenant(null, null, 3L);
    TestRepositories.queued(tenant, Instant.now()); // accepted this month, not finished
    TestRepositories.queued(tenant, Instant.now());

    limits.admit(tenant.id(), UUID.randomUUID());

    assertThatThrownBy(() -> limits.admit(tenant.id(), UUID.randomUUID()))
        .as("2 unfinished in PostgreSQL + 1 admitted = the quota of 3")
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("3 counted");
  }

  @Test
  void aBatchIsAdmittedWholeOrNotAtAllAndARefusalGivesBackWhatItTook() {
    TestTenant tenant = TestDatabase.newTenant(null, 3, 4L);
    UUID a = UUID.randomUUID();
    limits.admit(tenant.id(), List.of(a, UUID.randomUUID()));

    LimitExceededException refused = catchThrowableOfType(LimitExceededException.class,
        () -> limits.admit(tenant.id(), ids(2)));
    limits.finished(tenant.id(), a, Instant.now(), true);
    limits.admit(tenant.id(), UUID.randomUUID());
    limits.admit(tenant.id(), UUID.randomUUID());

    assertThat(refused.limit()).as("2 more do not fit 3 in flight").isEqualTo(Limit.IN_FLIGHT);
    assertThatThrownBy(() -> limits.admit(tenant.id(), UUID.randomUUID()))
        .as("the refused batch's 2 images were given back: 4 counted now, not 6")
        .isInstanceOfSatisfying(LimitExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(Limit.MONTHLY_IMAGES));
  }

  @Test
  void undoGivesBackTheSlotsAndTheImages() {
    TestTenant tenant = TestDatabase.newTenant(null, 1, 1L);

    limits.admit(tenant.id(), UUID.randomUUID()).undo();

    limits.admit(tenant.id(), UUID.randomUUID());
  }

  @Test
  void aSlotALostReleaseLeftBehindIsFreedWhenPostgresSaysItEnded() {
    TestTenant tenant = TestDatabase.newTenant(null, 1, null);
    UUID ended = TestRepositories.queued(tenant, Instant.now());
    limits.admit(tenant.id(), ended);
    TestDatabase.jdbc().sql("UPDATE generations SET state = 'CANCELLED', cancelled_at = now() "
        + "WHERE id = :id").param("id", ended).update(); // and the release never came

    limits.admit(tenant.id(), UUID.randomUUID());
  }

  @Test
  void withRedisUnreachableTheLimitsFailOpen() {
    TestTenant tenant = TestDatabase.newTenant(SLOW_RATE, 1, 1L);
    RedissonClient nowhere = TestRedis.client("redis://127.0.0.1:" + TestRedis.freePort());
    try {
      LimitService open = new LimitService(nowhere, new LimitRepository(TestDatabase.jdbc()),
          TestProperties.redis("unused"), TestProperties.gateway(), Clock.systemUTC());

      open.admit(tenant.id(), UUID.randomUUID());
      open.admit(tenant.id(), UUID.randomUUID()).undo();
      open.finished(tenant.id(), UUID.randomUUID(), Instant.now(), false);
    } finally {
      nowhere.shutdown();
    }
  }

  private static List<UUID> ids(int n) {
    return java.util.stream.Stream.generate(UUID::randomUUID).limit(n).toList();
  }
}
