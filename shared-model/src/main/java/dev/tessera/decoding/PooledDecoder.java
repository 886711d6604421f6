package dev.tessera.decoding;

import ai.djl.ndarray.NDManager;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.KvCachePool;
import dev.tessera.model.KvLease;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What every strategy's loop shares: a KV pool for the target, admission of jobs into free rows (one
 * per stream: cond, plus uncond under CFG), cancellation, and release of finished sequences.
 */
abstract class PooledDecoder implements StepDecoder {

  final Gpt gpt;
  final GptConfig config;
  final NDManager manager;
  final KvCachePool pool;
  final List<Sequence> active = new ArrayList<>();
  /** Sequences held out of the steps; their rows and cache stay leased. */
  private final List<Sequence> parked = new ArrayList<>();

  /**
   * @param extraPositions cache positions beyond the sequence length that a step may write (pads,
   *     drafts)
   */
  PooledDecoder(Gpt gpt, NDManager parent, int maxImages, int extraPositions) {
    this.gpt = gpt;
    this.config = gpt.config();
    this.manager = parent.newSubManager();
    this.pool = new KvCachePool(manager, config, 2 * maxImages,
        config.sequenceLength() + extraPositions);
  }

  /**
   * Rows a step runs over: every leased row, or, while sequences are parked, only the active ones'
   * (moved to the front of the pool), so parked sequences cost no compute.
   */
  int steppingRows() {
    return parked.isEmpty() ? pool.used()
        : pool.arrangeFront(active.stream().map(s -> s.lease).toList());
  }

  /** Whether some sequences are parked. */
  boolean anyParked() {
    return !parked.isEmpty();
  }

  static int streams(DecodeJob job) {
    return job.sampling().usesCfg() ? 2 : 1;
  }

  @Override
  public boolean canAdmit(DecodeJob job) {
    return pool.free() >= streams(job);
  }

  @Override
  public void admit(DecodeJob job) {
    if (job.classLabel() >= config.numClasses()) {
      throw new IllegalArgumentException("class_label " + job.classLabel() + " out of range [0, "
          + config.numClasses() + ")");
    }
    active.add(newSequence(job));
  }

  /**
   * Leases the job's rows and creates its state; an override leases what else it needs and, if it
   * fails, gives back everything it leased before throwing.
   */
  Sequence newSequence(DecodeJob job) {
    KvLease lease = pool.lease(streams(job));
    try {
      return new Sequence(job, lease, config.imageTokens());
    } catch (RuntimeException | Error e) {
      pool.release(lease);
      throw e;
    }
  }

  /** Releases a sequence's resources (override to free more than the target rows). */
  void release(Sequence s) {
    pool.release(s.lease);
  }

  /** Removes finished sequences, releasing them, and returns their outputs in raster order. */
  List<DecodeOutput> collectFinished() {
    List<DecodeOutput> finished = new ArrayList<>();
    for (Iterator<Sequence> it = active.iterator(); it.hasNext(); ) {
      Sequence s = it.next();
      if (s.done()) {
        it.remove();
        release(s);
        finished.add(s.output(toRaster(s.tokens)));
      }
    }
    return finished;
  }

  /** Sequence order → raster order (identity for raster models). */
  int[] toRaster(int[] sequenceTokens) {
    return sequenceTokens;
  }

  @Override
  public boolean cancel(String requestId) {
    Sequence s = take(active, requestId);
    if (s == null) {
      s = take(parked, requestId);
    }
    if (s == null) {
      return false;
    }
    release(s);
    return true;
  }

  @Override
  public boolean park(String requestId) {
    Sequence s = take(active, requestId);
    return s != null && parked.add(s);
  }

  @Override
  public boolean resume(String requestId) {
    Sequence s = take(parked, requestId);
    return s != null && active.add(s);
  }

  private static Sequence take(List<Sequence> from, String requestId) {
    for (Iterator<Sequence> it = from.iterator(); it.hasNext(); ) {
      Sequence s = it.next();
      if (s.job.requestId().equals(requestId)) {
        it.remove();
        return s;
      }
    }
    return null;
  }

  @Override
  public int activeJobs() {
    return active.size() + parked.size();
  }

  @Override
  public int slotsFor(DecodeJob job) {
    return streams(job);
  }

  @Override
  public int freeSlots() {
    return pool.free();
  }

  @Override
  public int totalSlots() {
    return pool.capacity();
  }

  @Override
  public void close() {
    manager.close();
  }
}
