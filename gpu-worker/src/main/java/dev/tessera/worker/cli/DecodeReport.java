package dev.tessera.worker.cli;

import dev.tessera.contract.SamplingParams;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Writes the decode benchmark's Markdown table and its speed-up-versus-quality plot. */
final class DecodeReport {

  private DecodeReport() {}

  static void write(Path dir, List<Map<String, Object>> rows, List<Map<String, Object>> skipped,
      int images, int batch, long seed, int warmup, SamplingParams sampling, int resamples)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Decode benchmark\n\n")
        .append(String.format("`./tessera bench decode --images %d --batch %d --seed %d --warmup %d`:"
            + " %d images per row spread over the classes, the same seeds in every row, after %d"
            + " untimed images of the same row; batch %d, sampling"
            + " cfg %.2f / temperature %.2f / top-k %d / top-p %.2f. The rows are interleaved, one"
            + " batch of each row in turn, so a change of load falls on every row alike; speed-up is"
            + " against the `ar` row of the same run. Fréchet distance is on fm-classifier features against the test split"
            + " (it grows as the image count falls: compare rows, not runs); the intervals are 95%%"
            + " percentile bootstraps over the row's images (%d resamples; the Fréchet interval"
            + " shifted by the resampling bias, see BootstrapInterval).%n%n", images, batch,
            seed, warmup, images, warmup, batch, sampling.cfgScale(), sampling.temperature(), sampling.topK(),
            sampling.topP(), resamples));
    table(md, rows);
    if (!skipped.isEmpty()) {
      md.append("\nSkipped rows:\n\n");
      for (Map<String, Object> s : skipped) {
        md.append("- ").append(s.get("strategy")).append(' ').append(s.get("params")).append(": ")
            .append(s.get("reason")).append('\n');
      }
    }
    md.append("\n![speed-up against quality](decode.png)\n");
    Files.writeString(dir.resolve("decode.md"), md.toString());
    ImageIO.write(plot(rows), "png", dir.resolve("decode.png").toFile());
  }

  /**
   * One report from several runs (each a decode.json: its command, rows and skipped rows): a table
   * per run, speed-ups against that run's own ar row, and the plot of the first run's rows.
   */
  @SuppressWarnings("unchecked")
  static void writeMerged(Path dir, List<Map<String, Object>> runs) throws IOException {
    StringBuilder md = new StringBuilder("# Decode benchmark\n\n");
    md.append("Several runs of `./tessera bench decode`, each measuring its own `ar` row: a speed-up is")
        .append(" against the `ar` row of the same run, whose rows are interleaved (one batch of each")
        .append(" row in turn, so a change of load falls on every row alike). Fréchet distance is on fm-classifier features against the test split (it")
        .append(" grows as the image count falls: compare rows of equal image counts); intervals are")
        .append(" 95% bootstraps over the row's images (the Fréchet interval shifted by the resampling")
        .append(" bias, see `BootstrapInterval`).\n");
    List<Map<String, Object>> all = new java.util.ArrayList<>();
    int n = 1;
    for (Map<String, Object> run : runs) {
      md.append("\n## Run ").append(n).append("\n\n`").append(run.get("command")).append("`\n\n");
      List<Map<String, Object>> rows = (List<Map<String, Object>>) run.get("rows");
      table(md, rows);
      for (Map<String, Object> r : rows) {
        Map<String, Object> labelled = new java.util.LinkedHashMap<>(r);
        labelled.put("strategy", "[" + n + "] " + r.get("strategy"));
        all.add(labelled);
      }
      n++;
    }
    md.append("\n![speed-up against quality, run 1's rows](decode.png)\n");
    Files.writeString(dir.resolve("decode.md"), md.toString());
    ImageIO.write(plot((List<Map<String, Object>>) runs.get(0).get("rows")), "png",
        dir.resolve("decode.png").toFile());
  }

  private static void table(StringBuilder md, List<Map<String, Object>> rows) {
    md.append("| strategy | params | target fwd/image | mean accepted length | s/image |"
            + " speed-up vs ar | class accuracy [95%] | Fréchet distance [95%] |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : rows) {
      List<?> acc = (List<?>) r.get("class_accuracy_95");
      List<?> fd = (List<?>) r.get("frechet_distance_95");
      md.append(String.format("| %s | %s | %.1f | %.2f | %.3f | %.2fx | %.3f [%.3f, %.3f] |"
          + " %.2f [%.2f, %.2f] |%n",
          r.get("strategy"), r.get("params"), num(r, "target_forwards_per_image"),
          num(r, "mean_accepted_length"), num(r, "seconds_per_image"), num(r, "speedup_vs_ar"),
          num(r, "class_accuracy"), ((Number) acc.get(0)).doubleValue(),
          ((Number) acc.get(1)).doubleValue(), num(r, "frechet_distance"),
          ((Number) fd.get(0)).doubleValue(), ((Number) fd.get(1)).doubleValue()));
    }
  }

  private static double num(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).doubleValue();
  }

  /** Speed-up (y) against class accuracy (x), one labelled point per row. */
  static BufferedImage plot(List<Map<String, Object>> rows) {
    int w = 1100;
    int h = Math.max(600, 80 + 20 * rows.size());
    int left = 80;
    int bottom = 70;
    int top = 40;
    int right = 420;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double maxSpeed = 1.5;
    double minAcc = 1.0;
    for (Map<String, Object> r : rows) {
      maxSpeed = Math.max(maxSpeed, num(r, "speedup_vs_ar") * 1.15);
      minAcc = Math.min(minAcc, num(r, "class_accuracy"));
    }
    double loAcc = Math.max(0, Math.floor((minAcc - 0.05) * 20) / 20);
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int i = 0; i <= 5; i++) {
      double acc = loAcc + (1 - loAcc) * i / 5;
      int x = left + pw * i / 5;
      g.drawString(String.format("%.2f", acc), x - 14, top + ph + 18);
      double sp = maxSpeed * i / 5;
      int y = top + ph - ph * i / 5;
      g.drawString(String.format("%.1fx", sp), left - 45, y + 5);
    }
    g.drawString("class accuracy (fm-classifier)", left + pw / 2 - 90, h - 25);
    g.drawString("speed-up over ar (same run)", 10, top - 15);
    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
        new float[] {4f, 4f}, 0f));
    int y1 = top + ph - (int) (ph / maxSpeed);
    g.setColor(Color.GRAY);
    g.drawLine(left, y1, left + pw, y1);
    Color[] palette = {Color.BLACK, new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2),
        new Color(0x17becf)};
    int legend = top + 10;
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> r = rows.get(i);
      double acc = num(r, "class_accuracy");
      double sp = num(r, "speedup_vs_ar");
      int x = left + (int) (pw * (acc - loAcc) / (1 - loAcc));
      int y = top + ph - (int) (ph * sp / maxSpeed);
      g.setColor(palette[i % palette.length]);
      g.fillOval(x - 6, y - 6, 12, 12);
      g.drawString(Integer.toString(i + 1), x + 8, y - 4); // the point's number in the legend
      g.fillOval(left + pw + 15, legend - 9, 10, 10);
      g.drawString((i + 1) + "  " + r.get("strategy") + " " + compact(r.get("params")),
          left + pw + 30, legend);
      legend += 20;
    }
    g.dispose();
    return img;
  }

  private static String compact(Object params) {
    return params.toString().replace("{", "").replace("}", "").replace("model=fm-ar, ", "")
        .replace("model=", "").replace("draft_len=", "γ=")
        .replace("draft_threshold=", "τ=").replace("tree_kind=dynamic", "dynamic")
        .replace("tree_kind=static", "static").replace("lantern_k=", "k=")
        .replace("lantern_delta=", "δ=").replace("tree_top_k=", "top-")
        .replace("tree_tokens=", "n=").replace("lantern_rule=", "");
  }
}
