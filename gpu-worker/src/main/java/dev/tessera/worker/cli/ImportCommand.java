package dev.tessera.worker.cli;

import dev.tessera.worker.llamagen.LlamaGenImporter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ./tessera import llamagen --gpt c2i_B_256.pt --vq vq_ds16_c2i.pt --out models/NAME}: a LlamaGen
 * checkpoint pair becomes a model directory the worker serves.
 */
final class ImportCommand implements Command {

  static final String USAGE = "usage: ./tessera import llamagen --gpt GPT.pt --vq VQ.pt --out DIR"
      + " [--name NAME] [--image-size 256] [--heads H] [--shard-size-mb 2048]"
      + " [--state-dict model,ema]";

  @Override
  public String name() {
    return "import";
  }

  @Override
  public String summary() {
    return "import llamagen: a LlamaGen c2i GPT + VQ checkpoint (.pt) as a served model directory";
  }

  @Override
  public int run(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("llamagen")) {
      System.err.println((args.length == 0 ? "missing source" : "unknown source '" + args[0] + "'")
          + "\n" + USAGE);
      return 2;
    }
    CommandFlags f = CommandFlags.parse(Arrays.copyOfRange(args, 1, args.length),
        Set.of("gpt", "vq", "out", "name", "image-size", "heads", "shard-size-mb", "state-dict"),
        Set.of());
    Path gpt = existing(f, "gpt");
    Path vq = existing(f, "vq");
    if (!f.has("out")) {
      throw new UsageException("flag --out is required (the model directory to write)");
    }
    Path out = Path.of(f.string("out", null));
    LlamaGenImporter.Options o = new LlamaGenImporter.Options(gpt, vq, out,
        f.string("name", out.getFileName().toString()), f.integer("image-size", 256, 1, 8192),
        f.integer("heads", 0, 0, 1024), f.integer("shard-size-mb", 2048, 1, 1 << 20) * (1L << 20),
        List.of(f.string("state-dict", String.join(",", LlamaGenImporter.STATE_DICT_KEYS))
            .split(",")));
    LlamaGenImporter.Result r;
    try {
      r = LlamaGenImporter.run(o);
    } catch (IllegalArgumentException e) { // a size the flags got wrong
      throw new UsageException(e.getMessage());
    }
    System.out.println("imported " + r.spec().name() + " into " + out + ": " + r.spec().gpt()
        + ", " + r.spec().vq());
    r.files().forEach(p -> System.out.println("  " + p));
    return 0;
  }

  private static Path existing(CommandFlags f, String flag) {
    if (!f.has(flag)) {
      throw new UsageException("flag --" + flag + " is required");
    }
    Path p = Path.of(f.string(flag, null));
    if (!java.nio.file.Files.isRegularFile(p)) {
      throw new UsageException("flag --" + flag + ": no such file " + p);
    }
    return p;
  }
}
