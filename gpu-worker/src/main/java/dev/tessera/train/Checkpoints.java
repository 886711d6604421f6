package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.model.GptConfig;
import dev.tessera.model.GptWeights;
import dev.tessera.model.WeightsIO;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A training checkpoint directory: {@code params.safetensors} (fp32, LlamaGen names),
 * {@code optimizer.safetensors} (AdamW moments by parameter name) and {@code state.json} (step and
 * configs). Files are replaced atomically, state last.
 */
public final class Checkpoints {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What state.json holds.
   *
   * @param kind "gpt" (target or PAR model) or "drafter"; absent means "gpt"
   * @param gpt the model's (for a drafter: its target's) sizes
   */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record State(
      @JsonProperty("step") int step,
      @JsonProperty("kind") String kind,
      @JsonProperty("gpt") GptConfig gpt,
      @JsonProperty("train") TrainConfig train) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDrafter() {
      return "drafter".equals(kind);
    }
  }

  private Checkpoints() {}

  static void save(Path dir, TrainingRun t) throws IOException {
    Files.createDirectories(dir);
    WeightsIO.save(t.block().namedValues(), dir.resolve("params.safetensors"), false);
    Map<String, String> idToName = new HashMap<>();
    t.block().parametersByName().forEach((name, p) -> idToName.put(p.getId(), name));
    NDList moments = t.optimizer.export();
    for (NDArray a : moments) {
      String n = a.getName();
      int dot = n.lastIndexOf('.');
      a.setName(idToName.get(n.substring(0, dot)) + n.substring(dot));
    }
    if (!moments.isEmpty()) {
      WeightsIO.save(moments, dir.resolve("optimizer.safetensors"), false);
    }
    moments.close();
    Path tmp = dir.resolve("state.json.tmp");
    JSON.writeValue(tmp.toFile(), t.state());
    Files.move(tmp, dir.resolve("state.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether {@code dir} holds a checkpoint. */
  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve("state.json"));
  }

  /** Reads state.json. */
  public static State readState(Path dir) throws IOException {
    return JSON.readValue(dir.resolve("state.json").toFile(), State.class);
  }

  /** A trainer positioned exactly where the checkpoint left off. */
  public static GptTrainer resume(Path dir, java.io.PrintStream log) throws IOException {
    return resume(dir, log, null);
  }

  /**
   * As {@link #resume(Path, java.io.PrintStream)}, continuing with {@code override} settings (e.g. a
   * lower learning rate after a divergence) when it is not null.
   */
  public static GptTrainer resume(Path dir, java.io.PrintStream log, TrainConfig override)
      throws IOException {
    State read = readState(dir);
    State state = override == null ? read
        : new State(read.step(), read.kind(), read.gpt(), override);
    if (state.isDrafter()) {
      throw new IOException(dir + " holds a drafter checkpoint; resume it with the drafter trainer");
    }
    GptTrainer t = new GptTrainer(state.gpt(), state.train(), log);
    restore(dir, t, GptWeights.expectedShapes(state.gpt()), state.step());
    return t;
  }

  /** Loads parameters, optimizer moments and the step of a checkpoint into a fresh run. */
  static void restore(Path dir, TrainingRun t, Map<String, ai.djl.ndarray.types.Shape> shapes,
      int step) throws IOException {
    NDManager m = t.block().parametersByName().values().iterator().next().getArray().getManager();
    try (NDManager scope = m.newSubManager()) {
      Map<String, NDArray> params = WeightsIO.load(scope, dir.resolve("params.safetensors"), shapes);
      t.block().setValues(params);
      Path opt = dir.resolve("optimizer.safetensors");
      if (Files.exists(opt)) {
        NDList saved;
        try (InputStream in = Files.newInputStream(opt)) {
          saved = NDList.decode(scope, in);
        }
        Map<String, String> nameToId = new HashMap<>();
        t.block().parametersByName().forEach((name, p) -> nameToId.put(name, p.getId()));
        for (NDArray a : saved) {
          String n = a.getName();
          int dot = n.lastIndexOf('.');
          a.setName(nameToId.get(n.substring(0, dot)) + n.substring(dot));
        }
        Parameter any = t.block().parametersByName().values().iterator().next();
        t.optimizer.restore(saved, any.getArray());
      }
    }
    t.step = step;
  }

  /** Writes the trained weights as a shippable fp16 safetensors file. */
  public static void exportWeights(TrainingRun t, Path file) throws IOException {
    WeightsIO.save(t.block().namedValues(), file, true);
  }
}
