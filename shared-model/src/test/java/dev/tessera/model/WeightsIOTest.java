package dev.tessera.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsIOTest {

  private final GptConfig config = TinyModels.config();

  private NDList randomNamed(NDManager m) {
    NDList list = new NDList();
    RandomWeights.create(m, config, 3).values().forEach(list::add);
    return list;
  }

  @Test
  void savedWeightsLoadBackUnderLlamaGenNames(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList saved = randomNamed(m);
      WeightsIO.save(saved, dir.resolve("w.safetensors"), true);
      Map<String, NDArray> loaded = WeightsIO.load(m, dir.resolve("w.safetensors"),
          GptWeights.expectedShapes(config));
      NDArray before = saved.get("layers.1.attention.wqkv.weight");
      NDArray after = loaded.get("layers.1.attention.wqkv.weight");
      assertThat(after.getDataType().name()).as("widened to fp32").isEqualTo("FLOAT32");
      assertThat(before.sub(after).abs().max().getFloat()).as("fp16 round trip error")
          .isLessThan(1e-3f);
    }
  }

  @Test
  void aWrongShapeIsRejectedNamingTheTensor(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList list = randomNamed(m);
      NDArray wrong = m.zeros(new ai.djl.ndarray.types.Shape(5, 32));
      wrong.setName("norm.weight");
      list.removeIf(a -> "norm.weight".equals(a.getName()));
      list.add(wrong);
      WeightsIO.save(list, dir.resolve("w.safetensors"), false);
      assertThatThrownBy(() -> WeightsIO.load(m, dir.resolve("w.safetensors"),
          GptWeights.expectedShapes(config))).as("shape mismatch")
          .hasMessageContaining("'norm.weight'").hasMessageContaining("(5, 32)");
    }
  }

  @Test
  void aMissingTensorIsRejectedNamingIt(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList list = randomNamed(m);
      list.removeIf(a -> "layers.0.feed_forward.w3.weight".equals(a.getName()));
      WeightsIO.save(list, dir.resolve("w.safetensors"), false);
      assertThatThrownBy(() -> WeightsIO.load(m, dir.resolve("w.safetensors"),
          GptWeights.expectedShapes(config))).as("missing tensor")
          .hasMessageContaining("missing tensor 'layers.0.feed_forward.w3.weight'");
    }
  }

  @Test
  void anUnknownTensorIsRejectedButFreqsCisIsIgnored(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList list = randomNamed(m);
      NDArray freqs = m.zeros(new ai.djl.ndarray.types.Shape(3, 2));
      freqs.setName("freqs_cis");
      list.add(freqs);
      WeightsIO.save(list, dir.resolve("ok.safetensors"), false);
      assertThat(WeightsIO.load(m, dir.resolve("ok.safetensors"), GptWeights.expectedShapes(config)))
          .as("freqs_cis is recomputed, so it is dropped").doesNotContainKey("freqs_cis");
      NDArray extra = m.zeros(new ai.djl.ndarray.types.Shape(2));
      extra.setName("layers.9.attention_norm.weight");
      list.add(extra);
      WeightsIO.save(list, dir.resolve("bad.safetensors"), false);
      assertThatThrownBy(() -> WeightsIO.load(m, dir.resolve("bad.safetensors"),
          GptWeights.expectedShapes(config))).as("tensor of a deeper model")
          .hasMessageContaining("unexpected tensor 'layers.9.attention_norm.weight'");
    }
  }
}
