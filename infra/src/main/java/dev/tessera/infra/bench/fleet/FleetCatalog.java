package dev.tessera.infra.bench.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits until a gateway lists a model (its workers' heartbeats reached the gateway). */
final class FleetCatalog {

  private FleetCatalog() {}

  static void awaitModel(String gateway, String apiKey, String model) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create(gateway + "/v1/models")).header("Authorization", "Bearer " + apiKey)
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"" + model + "\"")) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(gateway + " did not list " + model + " in 2 minutes");
  }
}
