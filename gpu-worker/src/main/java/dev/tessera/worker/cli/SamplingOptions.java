package dev.tessera.worker.cli;

import dev.tessera.contract.SamplingParams;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How to sample, shared by the decoding commands; defaults are Tessera's documented ones. */
public final class SamplingOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--cfg-scale", description = "classifier-free guidance scale (default 2.0)")
  Double cfgScale;

  @Option(names = "--temperature", description = "sampling temperature (default 1.0)")
  Double temperature;

  @Option(names = "--top-k", description = "keep the k most likely tokens, 0: all (default 0)")
  Integer topK;

  @Option(names = "--top-p", description = "nucleus sampling mass, in (0, 1] (default 1.0)")
  Double topP;

  /** The sampling settings; a value the model rejects is a usage error naming its flag. */
  public SamplingParams params() {
    SamplingParams d = SamplingParams.DEFAULT;
    try {
      return new SamplingParams(cfgScale != null ? cfgScale : d.cfgScale(),
          temperature != null ? temperature : d.temperature(),
          Ranges.check(spec, "--top-k", topK != null ? topK : d.topK(), 0, 1 << 20),
          topP != null ? topP : d.topP());
    } catch (IllegalArgumentException e) {
      throw Ranges.usage(spec, e.getMessage().replace("cfg_scale", "--cfg-scale")
          .replace("top_k", "--top-k").replace("top_p", "--top-p"));
    }
  }
}
