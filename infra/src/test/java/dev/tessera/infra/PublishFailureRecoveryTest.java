package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.GenerationRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A request whose publish to Kafka failed exists only as a QUEUED row; the scheduler's sweep of
 * PostgreSQL finds it and it is decoded like any other.
 */
@TesseraStackTest
class PublishFailureRecoveryTest {

  private final ApplicationContext context;
  private final int port;

  PublishFailureRecoveryTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
  }

  @Test
  void aQueuedRowThatNeverReachedKafkaIsSweptUpAndSucceeds() throws Exception {
    EndToEndScenario api = new EndToEndScenario(context, port);
    api.awaitModel("fm-ar");
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant("unpublished-" + UUID.randomUUID());
    TenantService.IssuedKey key = tenants.issueKey(tenant, "test");
    GenerationRequest request = new GenerationRequest(UUID.randomUUID().toString(),
        tenant.toString(), key.keyId().toString(), "fm-ar", 5, Strategy.AR, 99L,
        SamplingParams.DEFAULT, StrategyParams.DEFAULT, Priority.NORMAL, null, 0,
        Instant.now().truncatedTo(ChronoUnit.MICROS));

    // what the gateway leaves behind when Kafka refuses the publish: the row, nothing on Kafka
    context.getBean(GenerationRepository.class).insertQueued(request);

    await("swept-up request succeeds").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> EndToEndScenario.json(api.get("/v1/generations/" + request.id(), key.key())
            .body()).path("status").asText().equals("SUCCEEDED"));
    assertThat(api.usageEvents(UUID.fromString(request.id()))).as("recorded once").isEqualTo(1);
  }
}
