package dev.tessera.worker.llamagen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.data.SafeTensorsWriter;
import dev.tessera.model.GptConfig;
import dev.tessera.model.GptWeights;
import dev.tessera.serving.ClassNames;
import dev.tessera.serving.ModelSpec;
import dev.tessera.tokenizer.llamagen.VqDecoderShapes;
import dev.tessera.tokenizer.llamagen.VqModelConfig;
import dev.tessera.worker.llamagen.TorchCheckpoint.TensorRef;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a LlamaGen c2i GPT checkpoint and its VQ tokenizer checkpoint (PyTorch {@code .pt}) into a
 * Tessera model directory: {@code model.safetensors} (sharded above a size), {@code vq.safetensors}
 * and a {@code config.json} of family {@code llamagen-c2i} whose sizes are read off the tensor
 * shapes. Tensors keep their dtype (bf16 stays bf16; the loader widens); each is copied on its own.
 */
public final class LlamaGenImporter {

  /** State-dict entries tried in order: LlamaGen's trainer saves {@code model} (and {@code ema}). */
  public static final List<String> STATE_DICT_KEYS = List.of("model", "ema", "module",
      "state_dict");

  /** Heads of LlamaGen's published GPT sizes, by width (B, L, XL, XXL, 3B); others need --heads. */
  static final Map<Integer, Integer> HEADS_BY_DIM = Map.of(768, 12, 1024, 16, 1280, 20, 1536, 24,
      3200, 32);

  private static final Pattern LAYER = Pattern.compile("^layers\\.(\\d+)\\.");
  private static final List<String> PREFIXES = List.of("_orig_mod.", "module.");

  /**
   * What to import.
   *
   * @param gpt the GPT checkpoint
   * @param vq the VQ checkpoint
   * @param out the model directory to write
   * @param name the model's name (API and CLI)
   * @param imageSize image side in pixels (256 or 384 for LlamaGen's c2i models)
   * @param heads attention heads, or 0 to take LlamaGen's for the width
   * @param maxShardBytes the most tensor bytes in one safetensors file
   * @param stateDictKeys entries of the checkpoint that may hold the state dict, in order
   */
  public record Options(Path gpt, Path vq, Path out, String name, int imageSize, int heads,
      long maxShardBytes, List<String> stateDictKeys) {}

  /** What was written. */
  public record Result(ModelSpec spec, List<Path> files) {}

  private LlamaGenImporter() {}

  public static Result run(Options o) throws IOException {
    try (TorchCheckpoint gptCk = TorchCheckpoint.open(o.gpt());
        TorchCheckpoint vqCk = TorchCheckpoint.open(o.vq())) {
      Map<String, TensorRef> vqSd = stripped(vqCk.stateDict(o.stateDictKeys()));
      VqModelConfig vq = inferVq(vqSd, o.vq());
      check(vqSd, VqDecoderShapes.of(vq), o.vq(), true);
      if (o.imageSize() % vq.downsampleFactor() != 0) {
        throw new IllegalArgumentException("--image-size " + o.imageSize()
            + " is not a multiple of the VQ's " + vq.downsampleFactor() + " pixels per token");
      }
      Map<String, TensorRef> gptSd = stripped(gptCk.stateDict(o.stateDictKeys()));
      gptSd.remove("freqs_cis");
      GptConfig gpt = inferGpt(gptSd, o.heads(), o.imageSize() / vq.downsampleFactor(), o.gpt());
      check(gptSd, GptWeights.expectedShapes(gpt), o.gpt(), false);
      if (vq.codebookSize() != gpt.vocabSize()) {
        throw new IOException("the VQ has " + vq.codebookSize() + " codes but the GPT's vocabulary is "
            + gpt.vocabSize() + ": " + o.vq() + " does not belong to " + o.gpt());
      }
      List<Path> files = new ArrayList<>(SafeTensorsWriter.write(o.out(), "model",
          entries(gptCk, gptSd), Map.of("format", "pt", "source", o.gpt().getFileName().toString()),
          o.maxShardBytes()));
      Path vqFile = o.out().resolve(ModelSpec.DEFAULT_VQ_WEIGHTS);
      SafeTensorsWriter.writeFile(vqFile, entries(vqCk, vqSd),
          Map.of("format", "pt", "source", o.vq().getFileName().toString()));
      files.add(vqFile);
      ModelSpec spec = ModelSpec.llamaGen(o.name(), gpt, vq,
          ClassNames.forClassCount(gpt.numClasses()));
      Path config = o.out().resolve("config.json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(config.toFile(), spec);
      files.add(config);
      return new Result(spec, files);
    }
  }

  /** Names without torch.compile's / DDP's prefixes. */
  static Map<String, TensorRef> stripped(Map<String, TensorRef> sd) {
    Map<String, TensorRef> out = new LinkedHashMap<>();
    sd.forEach((k, v) -> {
      String name = k;
      for (String p : PREFIXES) {
        if (name.startsWith(p)) {
          name = name.substring(p.length());
        }
      }
      out.put(name, v);
    });
    return out;
  }

  static GptConfig inferGpt(Map<String, TensorRef> sd, int heads, int gridSide, Path file)
      throws IOException {
    long[] tok = shape(sd, "tok_embeddings.weight", file);
    long[] cls = shape(sd, "cls_embedding.embedding_table.weight", file);
    int dim = (int) tok[1];
    TreeSet<Integer> layers = new TreeSet<>();
    for (String k : sd.keySet()) {
      Matcher m = LAYER.matcher(k);
      if (m.find()) {
        layers.add(Integer.parseInt(m.group(1)));
      }
    }
    if (layers.isEmpty()) {
      throw new IOException(file + ": no layers.N.* tensors; not a LlamaGen GPT state dict");
    }
    int nHead = heads > 0 ? heads : HEADS_BY_DIM.getOrDefault(dim, 0);
    if (nHead == 0) {
      throw new IllegalArgumentException("width " + dim + " is none of LlamaGen's published sizes; "
          + "give the number of heads with --heads");
    }
    int ffn = (int) shape(sd, "layers." + layers.first() + ".feed_forward.w1.weight", file)[0];
    TensorRef spe = sd.get("spe_tok_embeddings.special_embeddings.weight");
    int parallel = spe == null ? 1 : (int) spe.shape()[0] + 1;
    return new GptConfig(dim, layers.last() + 1, nHead, (int) tok[0], (int) cls[0] - 1, gridSide,
        ffn, parallel, 1e-5, 10000);
  }

  static VqModelConfig inferVq(Map<String, TensorRef> sd, Path file) throws IOException {
    long[] emb = shape(sd, "quantize.embedding.weight", file);
    int z = (int) shape(sd, "post_quant_conv.weight", file)[0];
    int levels = 0;
    while (sd.containsKey("decoder.conv_blocks." + levels + ".res.0.conv1.weight")) {
      levels++;
    }
    int resBlocks = 0;
    while (sd.containsKey("decoder.conv_blocks.0.res." + resBlocks + ".conv1.weight")) {
      resBlocks++;
    }
    if (levels == 0 || resBlocks < 2) {
      throw new IOException(file + ": no decoder.conv_blocks.*; not a LlamaGen VQModel state dict");
    }
    // the finest level's width is ch × ch_mult[0], and LlamaGen's ch_mult starts at 1
    int ch = (int) shape(sd, "decoder.conv_out.weight", file)[1];
    List<Integer> mult = new ArrayList<>();
    for (int level = 0; level < levels; level++) {
      long width = shape(sd, "decoder.conv_blocks." + (levels - 1 - level) + ".res.0.conv1.weight",
          file)[0];
      mult.add((int) (width / ch));
    }
    return new VqModelConfig((int) emb[0], (int) emb[1], true, z, ch, mult, resBlocks - 1, 3);
  }

  private static long[] shape(Map<String, TensorRef> sd, String name, Path file)
      throws IOException {
    TensorRef t = sd.get(name);
    if (t == null) {
      throw new IOException(file + ": no tensor '" + name + "'");
    }
    return t.shape();
  }

  /** Every expected tensor present with its shape; unknown tensors refused unless allowed. */
  static void check(Map<String, TensorRef> sd, Map<String, Shape> expected, Path file,
      boolean extraAllowed) throws IOException {
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      TensorRef t = sd.get(e.getKey());
      if (t == null) {
        throw new IOException(file + ": missing tensor '" + e.getKey() + "' " + e.getValue());
      }
      if (!new Shape(t.shape()).equals(e.getValue())) {
        throw new IOException(file + ": tensor '" + e.getKey() + "' has shape "
            + new Shape(t.shape()) + " (" + t.dtype() + "), expected " + e.getValue());
      }
      if (!t.dtype().isFloat()) {
        throw new IOException(file + ": tensor '" + e.getKey() + "' has dtype " + t.dtype()
            + ", expected a float type");
      }
    }
    if (!extraAllowed) {
      for (String name : sd.keySet()) {
        if (!expected.containsKey(name)) {
          throw new IOException(file + ": unexpected tensor '" + name + "' "
              + new Shape(sd.get(name).shape()) + " (not part of the inferred config)");
        }
      }
    }
  }

  private static List<SafeTensorsWriter.Entry> entries(TorchCheckpoint ck,
      Map<String, TensorRef> sd) {
    List<SafeTensorsWriter.Entry> out = new ArrayList<>();
    sd.forEach((name, t) -> out.add(new SafeTensorsWriter.Entry(name, t.dtype(), t.shape(),
        () -> ck.bytes(name, t))));
    return out;
  }
}
