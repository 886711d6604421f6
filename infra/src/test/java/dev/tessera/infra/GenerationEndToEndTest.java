package dev.tessera.infra;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * One generation travels the whole path over HTTP against embedded Kafka, PostgreSQL and Redis, with
 * a real (tiny, random-weights) model of the LlamaGen architecture decoding it.
 */
@TesseraStackTest
class GenerationEndToEndTest {

  private final ApplicationContext context;
  private final int port;

  GenerationEndToEndTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
  }

  @Test
  void aRequestBecomesAnImageWithItsRowCacheAndTimestampsAndRedeliveryChangesNothing()
      throws Exception {
    new EndToEndScenario(context, port).run();
  }
}
