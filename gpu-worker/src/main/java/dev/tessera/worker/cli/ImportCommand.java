package dev.tessera.worker.cli;

import dev.tessera.worker.llamagen.LlamaGenImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./tessera import SOURCE}: model checkpoints from elsewhere as served model directories. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import another project's checkpoints (llamagen) as a served model.",
        "Imports checkpoints of another project as a model directory the worker serves."})
final class ImportCommand extends CommandGroup {

  /**
   * {@code ./tessera import llamagen --gpt c2i_B_256.pt --vq vq_ds16_c2i.pt --out models/NAME}: a
   * LlamaGen checkpoint pair becomes a model directory the worker serves.
   */
  @Command(name = "llamagen", mixinStandardHelpOptions = true, sortOptions = false,
      description = "A LlamaGen c2i GPT + VQ checkpoint pair (.pt) as a served model directory.")
  static final class LlamaGen implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--gpt", required = true, paramLabel = "GPT.pt", description = "the GPT checkpoint")
    Path gpt;

    @Option(names = "--vq", required = true, paramLabel = "VQ.pt", description = "the VQ checkpoint")
    Path vq;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "the model directory to write")
    Path out;

    @Option(names = "--name", description = "the model's name (default: the directory's name)")
    String name;

    @Option(names = "--image-size", description = "image side in pixels (256 or 384 for LlamaGen)")
    int imageSize = 256;

    @Option(names = "--heads", paramLabel = "H",
        description = "attention heads (0: from LlamaGen's published sizes)")
    int heads;

    @Option(names = "--shard-size-mb", description = "largest safetensors shard")
    int shardSizeMb = 2048;

    @Option(names = "--state-dict", split = ",", paramLabel = "KEY",
        description = "keys of the checkpoint's state dict to look in, in order")
    List<String> stateDict = new ArrayList<>(LlamaGenImporter.STATE_DICT_KEYS);

    @Override
    public Integer call() throws Exception {
      for (var file : List.of(new Object[] {"--gpt", gpt}, new Object[] {"--vq", vq})) {
        if (!Files.isRegularFile((Path) file[1])) {
          throw Ranges.usage(spec, file[0] + ": no such file " + file[1]);
        }
      }
      LlamaGenImporter.Options o = new LlamaGenImporter.Options(gpt, vq, out,
          name != null ? name : out.getFileName().toString(),
          Ranges.check(spec, "--image-size", imageSize, 1, 8192),
          Ranges.check(spec, "--heads", heads, 0, 1024),
          Ranges.check(spec, "--shard-size-mb", shardSizeMb, 1, 1 << 20) * (1L << 20), stateDict);
      LlamaGenImporter.Result r;
      try {
        r = LlamaGenImporter.run(o);
      } catch (IllegalArgumentException e) { // a size the flags got wrong
        throw Ranges.usage(spec, e.getMessage());
      }
      System.out.println("imported " + r.spec().name() + " into " + out + ": " + r.spec().gpt()
          + ", " + r.spec().vq());
      r.files().forEach(p -> System.out.println("  " + p));
      return 0;
    }
  }
}
