package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.infra.local.LocalState;
import dev.tessera.infra.local.LocalSystem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./tessera serve} starts (in one process): its own embedded servers, the services, the
 * development tenant's key kept in the home directory, the same key again after a restart.
 */
class LocalSystemTest {

  private static final Map<String, Object> TINY = Map.of(
      "tessera.worker.models", "fm-tiny",
      "tessera.worker.models-dir", "target/no-models-here",
      "tessera.worker.random-model.dim", "32",
      "tessera.worker.random-model.layers", "1",
      "tessera.worker.random-model.heads", "2",
      "tessera.worker.max-images", "4");

  @Test
  void serveStartsTheSystemWithADevelopmentKeyThatSurvivesARestart() throws Exception {
    Path home = Files.createTempDirectory("tessera-serve-test");
    String key;
    try (LocalSystem system = LocalSystem.start(home, 0, false, TINY, List.of())) {
      key = system.apiKey();
      assertThat(key).as("the development key").startsWith("tsk_");
      assertThat(Files.readString(LocalState.devKeyFile(home)).trim()).as("kept in the home")
          .isEqualTo(key);
      HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(system.url() + "/v1/models")).header("Authorization", "Bearer " + key)
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(models.statusCode()).as("the key works: " + models.body()).isEqualTo(200);
      assertThat(models.body()).as("the served model").contains("fm-tiny");
    }
    try (LocalSystem again = LocalSystem.start(home, 0, false, TINY, List.of())) {
      assertThat(again.apiKey()).as("the same key after a restart").isEqualTo(key);
    }
  }
}
