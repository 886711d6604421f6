package dev.tessera.worker.engine;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.Strategy;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ModelInfo;
import dev.tessera.serving.ServedModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * A stand-in model for testing the worker's loop, not the model: a 2×2 grid (4 steps per image),
 * one pool slot per image, and planted faults by class label.
 */
final class FakeServedModel implements ServedModel {

  /** A class whose admission is rejected. */
  static final int REJECTED_CLASS = 7;
  /** A class whose presence makes every step throw. */
  static final int POISON_CLASS = 8;
  /** A class whose image cannot be encoded. */
  static final int UNENCODABLE_CLASS = 9;

  private final ModelInfo info = new ModelInfo("fake", 2, 10, 16, Set.of(Strategy.AR), 0);
  final List<Integer> batchSizesSeen = new ArrayList<>();

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public StepDecoder newDecoder(Strategy strategy, int maxImages) {
    if (strategy != Strategy.AR) {
      throw new IllegalArgumentException("fake decodes ar only");
    }
    return new Decoder(maxImages);
  }

  @Override
  public byte[] toPng(int[] tokens) {
    if (tokens[0] == UNENCODABLE_CLASS) {
      throw new IllegalStateException("cannot encode");
    }
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {}

  private final class Decoder implements StepDecoder {
    private final int slots;
    private final List<Seq> active = new ArrayList<>();
    private final List<Seq> parked = new ArrayList<>();

    Decoder(int slots) {
      this.slots = slots;
    }

    @Override
    public boolean canAdmit(DecodeJob job) {
      return freeSlots() > 0;
    }

    @Override
    public int slotsFor(DecodeJob job) {
      return 1;
    }

    @Override
    public boolean park(String requestId) {
      return move(active, parked, requestId);
    }

    @Override
    public boolean resume(String requestId) {
      return move(parked, active, requestId);
    }

    private boolean move(List<Seq> from, List<Seq> to, String requestId) {
      for (Iterator<Seq> it = from.iterator(); it.hasNext(); ) {
        Seq s = it.next();
        if (s.job.requestId().equals(requestId)) {
          it.remove();
          return to.add(s);
        }
      }
      return false;
    }

    @Override
    public void admit(DecodeJob job) {
      if (job.classLabel() == REJECTED_CLASS) {
        throw new IllegalArgumentException("class 7 rejected");
      }
      active.add(new Seq(job));
    }

    @Override
    public List<DecodeOutput> step() {
      if (active.isEmpty()) {
        return List.of();
      }
      batchSizesSeen.add(active.size());
      if (active.stream().anyMatch(s -> s.job.classLabel() == POISON_CLASS)) {
        throw new IllegalStateException("NaN in logits");
      }
      List<DecodeOutput> done = new ArrayList<>();
      for (Iterator<Seq> it = active.iterator(); it.hasNext(); ) {
        Seq s = it.next();
        s.tokens[s.count++] = s.job.classLabel();
        if (s.count == s.tokens.length) {
          it.remove();
          done.add(new DecodeOutput(s.job.requestId(), s.tokens,
              new DecodeMetrics(4, 4, 0, 0, 0, 1.0, new int[0], 1)));
        }
      }
      return done;
    }

    @Override
    public boolean cancel(String requestId) {
      return active.removeIf(s -> s.job.requestId().equals(requestId))
          || parked.removeIf(s -> s.job.requestId().equals(requestId));
    }

    @Override
    public int activeJobs() {
      return active.size() + parked.size();
    }

    @Override
    public int freeSlots() {
      return slots - activeJobs();
    }

    @Override
    public int totalSlots() {
      return slots;
    }

    @Override
    public void close() {}
  }

  private static final class Seq {
    final DecodeJob job;
    final int[] tokens = new int[4];
    int count;

    Seq(DecodeJob job) {
      this.job = job;
    }
  }
}
