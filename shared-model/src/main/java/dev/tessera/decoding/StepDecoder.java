package dev.tessera.decoding;

import dev.tessera.model.KvCacheExhaustedException;
import java.util.List;

/**
 * A continuous-batching decode loop for one (model, strategy) group: jobs join at step boundaries
 * when KV slots are free and leave when done. Not thread-safe: one thread drives it.
 */
public interface StepDecoder extends AutoCloseable {

  /** Whether the pool has the slots this job will ever need. */
  boolean canAdmit(DecodeJob job);

  /** Leases the job's slots; it starts decoding at the next {@link #step()}. */
  void admit(DecodeJob job);

  /** Runs one iteration for every active sequence and returns those that finished in it. */
  List<DecodeOutput> step();

  /** Stops a job and frees its slots; false if it is not active here. */
  boolean cancel(String requestId);

  /** Number of jobs holding slots here (stepping or parked). */
  int activeJobs();

  /** KV slots (pool rows) this job holds while it decodes: two with CFG, one without. */
  int slotsFor(DecodeJob job);

  /**
   * Holds a job out of the following steps (priority preemption), keeping its slots and cache, so it
   * resumes where it stopped; false if it is not stepping here.
   */
  boolean park(String requestId);

  /** Lets a parked job step again; false if it is not parked here. */
  boolean resume(String requestId);

  /** Free KV slots in this decoder's pool. */
  int freeSlots();

  /** KV slots this decoder's pool holds in all, leased or free (fixed when the pool is made). */
  int totalSlots();

  @Override
  void close();

  /** Admits every job (they must fit) and steps until all are done; outputs in job order. */
  default List<DecodeOutput> decodeAll(List<DecodeJob> jobs) {
    java.util.Map<String, DecodeOutput> done = new java.util.HashMap<>();
    for (DecodeJob job : jobs) {
      if (!canAdmit(job)) {
        throw new KvCacheExhaustedException("batch of " + jobs.size() + " does not fit the pool");
      }
      admit(job);
    }
    while (activeJobs() > 0) {
      for (DecodeOutput out : step()) {
        done.put(out.requestId(), out);
      }
    }
    return jobs.stream().map(j -> done.get(j.requestId())).toList();
  }
}
