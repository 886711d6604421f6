package dev.tessera.infra;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * One generation travels the whole path over HTTP against embedded Kafka, PostgreSQL and Redis, with
 * a real (tiny, random-weights) model of the LlamaGen architecture decoding it.
 */
@TesseraStackTest
class GenerationEndToEndTest {

  @Autowired
  ApplicationContext context;

  @LocalServerPort
  int port;

  @Test
  void aRequestBecomesAnImageWithItsRowCacheAndTimestampsAndRedeliveryChangesNothing()
      throws Exception {
    new EndToEndScenario(context, port).run();
  }
}
