package dev.tessera.worker.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.data.HalfFloats;
import dev.tessera.data.SafeTensors.DType;
import dev.tessera.data.SafeTensorsSet;
import dev.tessera.data.TensorInfo;
import dev.tessera.serving.GptServedModel;
import dev.tessera.serving.ModelFamily;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import dev.tessera.tokenizer.llamagen.VqDecoder;
import dev.tessera.worker.llamagen.TorchCheckpoint.TensorRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer on tiny checkpoints in PyTorch's real zip format, made once by
 * {@code tools/llamagen/make_tiny_checkpoints.py} (python3-torch 1.13) and committed.
 */
class LlamaGenImporterTest {

  static final Path FIXTURES = Path.of("src/test/resources/llamagen");
  static final Path GPT = FIXTURES.resolve("gpt_tiny.pt");
  static final Path VQ = FIXTURES.resolve("vq_tiny.pt");

  @TempDir Path tmp;

  static LlamaGenImporter.Options options(Path out, long shardBytes) {
    return new LlamaGenImporter.Options(GPT, VQ, out, "lg-tiny", 8, 2, shardBytes,
        LlamaGenImporter.STATE_DICT_KEYS);
  }

  @Test
  void theCheckpointsPickleIsReadWithTensorsByReference() throws Exception {
    try (TorchCheckpoint ck = TorchCheckpoint.open(GPT)) {
      Map<?, ?> root = (Map<?, ?>) ck.root();
      assertThat(root.get("steps")).as("a plain int next to the state dict").isEqualTo(7);
      Map<String, TensorRef> sd = ck.stateDict(List.of("model"));
      TensorRef wqkv = sd.get("layers.1.attention.wqkv.weight");
      assertThat(wqkv.dtype()).isEqualTo(DType.BF16);
      assertThat(wqkv.shape()).containsExactly(96, 32);
      assertThat(wqkv.contiguous()).isTrue();
      assertThat(sd).hasSize(2 + 2 * 7 + 2);
    }
  }

  @Test
  void importsAModelDirectoryWhoseConfigComesFromTheShapesAndWhoseTensorsAreTheCheckpoints()
      throws Exception {
    Path out = tmp.resolve("lg-tiny");
    LlamaGenImporter.Result r = LlamaGenImporter.run(options(out, 1L << 30));
    JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
    assertThat(config.path("family").asText()).isEqualTo("llamagen-c2i");
    JsonNode gpt = config.path("gpt");
    assertThat(List.of(gpt.path("dim").asInt(), gpt.path("n_layer").asInt(),
        gpt.path("n_head").asInt(), gpt.path("vocab_size").asInt(), gpt.path("num_classes").asInt(),
        gpt.path("grid_side").asInt(), gpt.path("ffn_hidden").asInt()))
        .as("dim, layers, heads, vocab, classes, grid, ffn").containsExactly(32, 2, 2, 64, 3, 4, 256);
    JsonNode vq = config.path("vq");
    assertThat(vq.path("codebook_size").asInt()).isEqualTo(64);
    assertThat(vq.path("codebook_embed_dim").asInt()).isEqualTo(4);
    assertThat(vq.path("z_channels").asInt()).isEqualTo(8);
    assertThat(vq.path("ch").asInt()).isEqualTo(32);
    assertThat(vq.path("ch_mult").toString()).isEqualTo("[1,1]");
    assertThat(vq.path("num_res_blocks").asInt()).isEqualTo(1);
    assertThat(r.files()).contains(out.resolve("model.safetensors"));

    // bytes copied as they are: bf16 stays bf16 on disk
    try (TorchCheckpoint ck = TorchCheckpoint.open(GPT);
        SafeTensorsSet set = SafeTensorsSet.open(out.resolve("model.safetensors"))) {
      TensorRef ref = ck.stateDict(List.of("model")).get("output.weight");
      TensorInfo info = set.tensors().stream().filter(t -> t.name().equals("output.weight"))
          .findFirst().orElseThrow();
      assertThat(info.dtype()).isEqualTo(DType.BF16);
      byte[] raw = ck.bytes("output.weight", ref);
      assertThat(set.bytes(info)).isEqualTo(raw);
      float first = HalfFloats.bfloat16ToFloat(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN)
          .getShort(0));
      assertThat(set.floats(info)[0]).isEqualTo(first);
    }
  }

  @Test
  void theImportedModelDecodesTheGoldenCodesAsPyTorchDid() throws Exception {
    Path out = tmp.resolve("lg");
    LlamaGenImporter.run(options(out, 1L << 30));
    JsonNode golden = new ObjectMapper().readTree(FIXTURES.resolve("vq_tiny_golden.json").toFile());
    int[] codes = new ObjectMapper().convertValue(golden.path("codes"), int[].class);
    float[] want = new ObjectMapper().convertValue(golden.path("image"), float[].class);
    try (ServedModel model = ModelLoader.load(out)) {
      assertThat(model.info().family()).isEqualTo(ModelFamily.LLAMAGEN_C2I);
      assertThat(model.info().imageSize()).isEqualTo(8);
      VqDecoder decoder = (VqDecoder) ((GptServedModel) model).images();
      float[] got = decoder.decode(new int[][] {codes})[0];
      assertThat(got).hasSameSizeAs(want);
      double scale = 0;
      double worst = 0;
      for (int i = 0; i < want.length; i++) {
        scale = Math.max(scale, Math.abs(want[i]));
        worst = Math.max(worst, Math.abs(got[i] - want[i]));
      }
      assertThat(scale).isGreaterThan(0.1);
      assertThat(worst / scale).as("relative error against torch %s",
          golden.path("torch").asText()).isLessThan(1e-5);
    }
  }

  @Test
  void aSmallShardSizeWritesTheShardedLayoutWhichLoadsTheSame() throws Exception {
    Path out = tmp.resolve("sharded");
    LlamaGenImporter.Result r = LlamaGenImporter.run(options(out, 40_000));
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count())
          .as("shards").isGreaterThan(2);
    }
    assertThat(out.resolve("model.safetensors")).doesNotExist();
    assertThat(r.files()).contains(out.resolve("model.safetensors.index.json"));
    Path single = tmp.resolve("single");
    LlamaGenImporter.run(options(single, 1L << 30));
    try (ServedModel a = ModelLoader.load(out); ServedModel b = ModelLoader.load(single)) {
      float[] wa = ((GptServedModel) a).gpt().weights().output().toFloatArray();
      float[] wb = ((GptServedModel) b).gpt().weights().output().toFloatArray();
      assertThat(wa).isEqualTo(wb);
    }
  }

  @Test
  void swappedCheckpointsAreRefusedNamingWhatIsMissing() {
    LlamaGenImporter.Options swapped = new LlamaGenImporter.Options(VQ, GPT, tmp.resolve("x"), "x",
        8, 2, 1L << 30, LlamaGenImporter.STATE_DICT_KEYS);
    assertThatThrownBy(() -> LlamaGenImporter.run(swapped))
        .hasMessageContaining("gpt_tiny.pt: no tensor 'quantize.embedding.weight'");
    LlamaGenImporter.Options noHeads = new LlamaGenImporter.Options(GPT, VQ, tmp.resolve("y"), "y",
        8, 0, 1L << 30, LlamaGenImporter.STATE_DICT_KEYS);
    assertThatThrownBy(() -> LlamaGenImporter.run(noHeads)).hasMessageContaining("--heads");
  }
}
