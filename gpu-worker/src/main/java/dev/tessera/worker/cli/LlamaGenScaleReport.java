package dev.tessera.worker.cli;

import dev.tessera.contract.SamplingParams;
import java.util.List;
import java.util.Map;

/** The markdown page of {@code bench decode --llamagen}. */
final class LlamaGenScaleReport {

  private LlamaGenScaleReport() {}

  static String markdown(List<Map<String, Object>> rows, SamplingParams s, long seed) {
    StringBuilder b = new StringBuilder();
    b.append("# LlamaGen c2i at real scale (random weights)\n\n");
    b.append("Written by `./tessera bench decode --llamagen ...` (").append(java.time.LocalDate.now())
        .append("). No LlamaGen weights can be downloaded here, so the transformer and the VQ-16 "
            + "decoder have seeded random weights of the published shapes; the work per image is "
            + "the real one (256 ar steps with CFG, then the full VQ-16 decoder at 256×256), the "
            + "images are noise.\n\n");
    b.append("Machine: ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores visible to the JVM; PyTorch CPU through DJL; sampling cfg ")
        .append(s.cfgScale()).append(", temperature ").append(s.temperature()).append(", top-k ")
        .append(s.topK()).append(", top-p ").append(s.topP()).append("; seed ").append(seed)
        .append(".\n\n");
    b.append("| model | params | batch | steps measured | tokens s/img | VQ decode s/img | total s/img "
        + "| decoder share | tokens CPU s/img | VQ CPU s/img | decoder CPU share | KV bytes/img "
        + "| peak RSS | load avg |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : rows) {
      b.append(String.format("| %s | %.0f M | %d | %s | %.2f | %.2f | %.2f | %.1f %% | %.2f | %.2f "
          + "| %.1f %% | %.1f MiB | %.2f GiB | %.1f |%n", r.get("model"),
          ((Number) r.get("parameters")).doubleValue() / 1e6,
          r.get("batch"), r.get("steps_measured") + " of " + r.get("steps_per_image"),
          r.get("token_seconds_per_image"),
          r.get("vq_decode_seconds_per_image"), r.get("seconds_per_image"),
          100 * ((Number) r.get("decoder_share")).doubleValue(),
          r.get("token_cpu_seconds_per_image"), r.get("vq_decode_cpu_seconds_per_image"),
          100 * ((Number) r.get("decoder_cpu_share")).doubleValue(),
          ((Number) r.get("kv_bytes_per_image")).doubleValue() / (1 << 20),
          ((Number) r.get("peak_rss_bytes_so_far")).doubleValue() / (1L << 30),
          r.get("load_average_1min")));
    }
    b.append("""

        - *tokens s/img*: wall time of the ar decode loop (all images of the batch admitted at once
          and stepped together), divided by the images. Where *steps measured* is below 256, only
          that many steps ran and the time is scaled by 256 / steps: an extrapolation, which
          slightly under-counts (a later step attends over more positions; at 256 positions and
          these widths the attention is a small part of a step).
        - *VQ decode s/img*: `toPng` per image as the worker calls it (codebook lookup, VQ-16
          decoder, PNG encoding), one image at a time, averaged over the images rendered (seeded
          random codes where the token loop did not finish an image; the cost does not depend on
          the codes).
        - *decoder share*: VQ decode time over the whole (tokens + VQ decode).
        - *CPU s/img*: the process's CPU time (all threads: 2 PyTorch intra-op threads plus the
          JVM's) over the same spans. The machine is shared by several engineers: wall times depend
          on the load average (last column, 1-minute, read after the row, on 2 cores), CPU times
          much less.
        - *KV bytes/img*: what the ar decoder's pool allocates per image: 2 rows (cond + uncond)
          × layers × {K, V} × 256 positions × width × 4 bytes (fp32).
        - *peak RSS*: the process's VmHWM, reset (/proc/self/clear_refs) before each model was
          built, read after each row: the weights (fp32), the pool, the activations and the JVM.
        - One run, no repetition and no warm-up image: timing noise on a shared 2-core VM is about
          ±15 %.
        """);
    return b.toString();
  }
}
