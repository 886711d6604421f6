package dev.tessera.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.Json;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.model.GptConfig;
import dev.tessera.model.RandomWeights;
import dev.tessera.model.WeightsIO;
import dev.tessera.tokenizer.llamagen.RandomVqWeights;
import dev.tessera.tokenizer.llamagen.VqModelConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFamiliesTest {

  static final GptConfig GPT = GptConfig.of(32, 1, 2, 64, 3, 2);
  static final VqModelConfig VQ = new VqModelConfig(64, 4, true, 32, 32, List.of(1, 1, 2), 1, 3);

  @TempDir Path dir;

  /** A LlamaGen-family model directory as the importer writes it (weights in fp16). */
  static void writeLlamaGenDir(Path dir, ModelSpec spec, VqModelConfig vq) throws IOException {
    Files.createDirectories(dir);
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), spec);
    try (NDManager m = NDManager.newBaseManager()) {
      NDList gpt = new NDList();
      RandomWeights.create(m, spec.gpt(), 1).values().forEach(gpt::add);
      WeightsIO.save(gpt, dir.resolve("model.safetensors"), true);
      NDList vqw = new NDList();
      RandomVqWeights.create(m, vq, 2).values().forEach(vqw::add);
      WeightsIO.save(vqw, dir.resolve(ModelSpec.DEFAULT_VQ_WEIGHTS), false);
    }
  }

  @Test
  void aLlamaGenDirectoryLoadsWithItsVqDecoderAndShowsImageAndClassNames() throws Exception {
    writeLlamaGenDir(dir, ModelSpec.llamaGen("lg", GPT, VQ, List.of("cat", "dog", "emu")), VQ);
    try (ServedModel model = ModelLoader.load(dir)) {
      ModelInfo info = model.info();
      assertThat(info.family()).isEqualTo(ModelFamily.LLAMAGEN_C2I);
      assertThat(info.imageSize()).as("2 tokens × 4 pixels").isEqualTo(8);
      assertThat(info.channels()).isEqualTo(3);
      assertThat(info.classNames()).containsExactly("cat", "dog", "emu");
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(model.toPng(new int[] {1, 2, 3, 4})));
      assertThat(png.getWidth()).isEqualTo(8);
      assertThat(png.getColorModel().getNumColorComponents()).isEqualTo(3);

      ModelDescriptor d = info.descriptor();
      ModelDescriptor back = Json.fromBytes(Json.toBytes(d), ModelDescriptor.class);
      assertThat(back).as("the descriptor travels in heartbeats").isEqualTo(d);
      assertThat(back.family()).isEqualTo("llamagen-c2i");
      assertThat(back.imageSize()).isEqualTo(8);
      assertThat(back.classNames()).hasSize(3);
    }
  }

  @Test
  void aTesseraConfigWithoutATokenizerIsAnErrorNamingItNotANullPointer() throws Exception {
    writeLlamaGenDir(dir, ModelSpec.served("fm", GPT, null, null), VQ);
    assertThatThrownBy(() -> ModelLoader.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("names no \"tokenizer\"").hasMessageContaining("llamagen-c2i");
  }

  @Test
  void configsAreCheckedAgainstEachOther() {
    VqModelConfig other = new VqModelConfig(128, 4, true, 32, 32, List.of(1, 2), 1, 3);
    assertThatThrownBy(() -> ModelSpec.llamaGen("lg", GPT, other, null))
        .hasMessageContaining("vq.codebook_size 128 differs from gpt.vocab_size 64");
    assertThatThrownBy(() -> ModelSpec.llamaGen("lg", GPT, VQ, List.of("one")))
        .hasMessageContaining("class_names has 1 names but gpt.num_classes is 3");
    assertThatThrownBy(() -> ModelFamily.fromConfigName("dalle"))
        .hasMessageContaining("unknown model family 'dalle'");
  }

  @Test
  void anOldTesseraConfigReadsAsTheTesseraFamilyAndImageNetNamesShip() throws Exception {
    String old = "{\"name\":\"fm-ar\",\"gpt\":{\"dim\":32,\"n_layer\":1,\"n_head\":2,"
        + "\"vocab_size\":64,\"num_classes\":3,\"grid_side\":2,\"parallel_tokens\":1},\"tokenizer\":\"../fm-vq\"}";
    ModelSpec spec = new ObjectMapper().readValue(old, ModelSpec.class);
    assertThat(spec.family()).isEqualTo(ModelFamily.TESSERA);
    assertThat(ClassNames.imagenet()).hasSize(1000).startsWith("tench", "goldfish");
    ModelDescriptor legacy = new ModelDescriptor("fm-ar", 16, 256, 10, 512,
        List.of(dev.tessera.contract.Strategy.AR), 0);
    assertThat(legacy.imageSize()).isEqualTo(32);
    assertThat(legacy.channels()).isEqualTo(1);
    assertThat(legacy.family()).as("the wire's default family is the library's absent one")
        .isEqualTo(ModelFamily.fromConfigName(null).configName());
  }
}
