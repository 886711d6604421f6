package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.infra.local.TesseraApplication;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * A LlamaGen-family model (tiny transformer, a narrow decoder of VQ-16's tree, random weights) goes
 * the whole way over HTTP: the catalog lists its family, 256×256 RGB images and ImageNet class
 * names, and a generation returns a 256×256 RGB PNG rendered by the VQ decoder.
 */
@SpringBootTest(classes = TesseraApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "tessera.worker.models=llamagen-c2i-tiny",
        "tessera.worker.models-dir=target/no-models-here",
        "tessera.worker.random-model.dim=32",
        "tessera.worker.random-model.layers=2",
        "tessera.worker.random-model.heads=2",
        "tessera.worker.random-model.vocab-size=256",
        "tessera.worker.max-images=2",
        "tessera.worker.high-priority-reserve=0",
        "tessera.worker.light-tenant-width=2",
        "tessera.worker.heartbeat-interval=500ms",
        "tessera.scheduler.max-batch-wait=20ms"})
@ContextConfiguration(initializers = EmbeddedStack.class)
class LlamaGenEndToEndTest {

  private final EndToEndScenario scenario;

  LlamaGenEndToEndTest(ApplicationContext context, @LocalServerPort int port) {
    this.scenario = new EndToEndScenario(context, port);
  }

  @Test
  void aLlamaGenFamilyModelIsListedWithItsImageAndClassesAndRendersAnRgbPng() throws Exception {
    scenario.awaitModel("llamagen-c2i-tiny");
    JsonNode model = null; // other test contexts' workers share the servers and list their models
    for (JsonNode m : EndToEndScenario.json(scenario.get("/v1/models", null).body()).path("data")) {
      if (m.path("name").asText().equals("llamagen-c2i-tiny")) {
        model = m;
      }
    }
    assertThat(model).as("llamagen-c2i-tiny in /v1/models").isNotNull();
    assertThat(model.path("family").asText()).isEqualTo("llamagen-c2i");
    assertThat(model.path("image").path("width").asInt()).as("16 pixels per token").isEqualTo(256);
    assertThat(model.path("image").path("channels").asInt()).as("RGB").isEqualTo(3);
    assertThat(model.path("num_classes").asInt()).isEqualTo(1000);
    assertThat(model.path("class_names").get(207).asText()).isEqualTo("golden retriever");

    String key = scenario.newTenantKey("llamagen");
    HttpResponse<String> accepted = scenario.post("/v1/generations", key, "application/json",
        "{\"model\":\"llamagen-c2i-tiny\",\"class_label\":207,\"seed\":5}");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = EndToEndScenario.json(accepted.body()).get("id").asText();
    await("generation " + id).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          String status = EndToEndScenario.json(scenario.get("/v1/generations/" + id, key).body())
              .path("status").asText();
          assertThat(status).as("never fails").isNotEqualTo("FAILED");
          return status.equals("SUCCEEDED");
        });
    byte[] png = scenario.getBytes("/v1/generations/" + id + "/image.png", key).body();
    assertThat(Arrays.copyOf(png, 8)).isEqualTo(EndToEndScenario.PNG_MAGIC);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(256);
    assertThat(image.getHeight()).isEqualTo(256);
    assertThat(image.getColorModel().getNumColorComponents()).as("RGB").isEqualTo(3);
    long distinctColours = Arrays.stream(image.getRGB(0, 0, 256, 256, null, 0, 256)).distinct()
        .count();
    assertThat(distinctColours).as("a decoded image, not a flat fill").isGreaterThan(100);
  }
}
