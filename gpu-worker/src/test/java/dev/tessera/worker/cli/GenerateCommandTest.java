package dev.tessera.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.model.GptConfig;
import dev.tessera.model.RandomWeights;
import dev.tessera.model.WeightsIO;
import dev.tessera.serving.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./tessera generate} on a small model directory of the real layout (random weights). */
class GenerateCommandTest {

  private static final GptConfig SMALL = GptConfig.of(32, 1, 2, 512, 10, 16);

  static Path modelsDir(Path root) throws Exception {
    Path models = root.resolve("models");
    Path ar = models.resolve("fm-ar");
    Files.createDirectories(ar);
    try (NDManager m = NDManager.newBaseManager()) {
      NDList named = new NDList();
      RandomWeights.create(m, SMALL, 5).values().forEach(named::add);
      WeightsIO.save(named, ar.resolve("model.safetensors"), true);
    }
    new ObjectMapper().writeValue(ar.resolve("config.json").toFile(),
        ModelSpec.served("fm-ar", SMALL, "../fm-vq", null));
    Path vq = models.resolve("fm-vq");
    Files.createDirectories(vq);
    for (String f : new String[] {"config.json", "codebook.safetensors"}) {
      Files.copy(Path.of("..", "models", "fm-vq", f), vq.resolve(f));
    }
    return models;
  }

  @Test
  void theSameSeedWritesByteIdenticalPngsAndTheLastLineIsJsonMetrics(@TempDir Path dir)
      throws Exception {
    Path models = modelsDir(dir);
    JsonNode first = null;
    for (String out : new String[] {"a.png", "b.png"}) {
      String printed = capture(() -> Cli.run(new String[] {"generate", "--models", models.toString(),
          "--model", "fm-ar", "--class", "3", "--strategy", "ar", "--seed", "11", "--out",
          dir.resolve(out).toString()}));
      String[] lines = printed.strip().split("\n");
      JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
      first = first == null ? json : first;
      assertThat(json.get("steps").asInt()).as("steps for a 16x16 grid").isEqualTo(256);
      assertThat(json.get("target_forwards").asInt()).as("target forwards").isEqualTo(256);
      assertThat(json.has("seconds")).as("seconds in the metrics").isTrue();
    }
    assertThat(Files.readAllBytes(dir.resolve("b.png"))).as("second PNG, same seed")
        .isEqualTo(Files.readAllBytes(dir.resolve("a.png")));
  }

  @Test
  void aBadFlagIsNamedAndExitsWithUsageCode(@TempDir Path dir) throws Exception {
    Path models = modelsDir(dir);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Cli.run(new String[] {"generate", "--models", models.toString(), "--class", "3",
          "--out", dir.resolve("x.png").toString(), "--top-p", "1.5"});
    } finally {
      System.setErr(old);
    }
    assertThat(code).as("exit code").isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).as("message").contains("--top-p");
  }

  interface Action {
    int run() throws Exception;
  }

  static String capture(Action action) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(action.run()).as("exit code").isZero();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
