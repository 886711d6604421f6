package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * K/V tensors for a fixed number of rows, allocated once: per layer [rows, heads, maxLen, headDim].
 * A sequence leases one row per stream and returns them when it ends. Leased rows are kept packed at
 * rows [0, used): a release moves the last leased rows into the hole, so a batched forward over all
 * active sequences reads the prefix view [0, used) without gathering. Not thread-safe.
 */
public final class KvCachePool implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys; // per layer [rows, H, maxLen, hd]
  private final NDArray[] values; // per layer [rows, H, maxLen, hd]
  private final int capacity;
  private final int maxLength;
  private final KvLease[] owner; // row -> lease
  private final int[] ownerStream; // row -> stream index within its lease
  private int used;

  public KvCachePool(NDManager parent, GptConfig config, int rows, int maxLength) {
    if (rows <= 0 || maxLength <= 0) {
      throw new IllegalArgumentException("pool needs rows > 0 and maxLength > 0");
    }
    this.manager = parent.newSubManager();
    this.capacity = rows;
    this.maxLength = maxLength;
    Shape shape = new Shape(rows, config.nHead(), maxLength, config.headDim());
    this.keys = new NDArray[config.nLayer()];
    this.values = new NDArray[config.nLayer()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = manager.zeros(shape);
      values[i] = manager.zeros(shape);
    }
    this.owner = new KvLease[rows];
    this.ownerStream = new int[rows];
  }

  /** Leases {@code streams} rows or throws {@link KvCacheExhaustedException}. */
  public KvLease lease(int streams) {
    if (streams <= 0 || used + streams > capacity) {
      throw new KvCacheExhaustedException(
          "KV pool exhausted: asked for " + streams + " rows, " + free() + " of " + capacity + " free");
    }
    int[] rows = new int[streams];
    for (int s = 0; s < streams; s++) {
      rows[s] = used;
      owner[used] = null;
      ownerStream[used] = s;
      used++;
    }
    KvLease lease = new KvLease(rows);
    for (int s = 0; s < streams; s++) {
      owner[rows[s]] = lease;
    }
    return lease;
  }

  /** Returns a lease's rows; the last leased rows move into the hole (their leases are updated). */
  public void release(KvLease lease) {
    if (lease.released()) {
      return;
    }
    lease.markReleased();
    List<Integer> holes = new ArrayList<>();
    for (int s = 0; s < lease.streams(); s++) {
      holes.add(lease.row(s));
      owner[lease.row(s)] = null;
    }
    holes.sort(null);
    // fill holes from the top so that [0, used) stays packed
    for (int i = holes.size() - 1; i >= 0; i--) {
      int last = used - 1;
      int hole = holes.get(i);
      if (hole != last && owner[last] != null) {
        moveRow(last, hole);
      }
      used--;
    }
  }

  private void moveRow(int from, int to) {
    for (int i = 0; i < keys.length; i++) {
      try (NDManager scope = manager.newSubManager()) {
        NDArray k = keys[i].get(new NDIndex("{}", from));
        NDArray v = values[i].get(new NDIndex("{}", from));
        k.attach(scope);
        v.attach(scope);
        keys[i].set(new NDIndex("{}", to), k);
        values[i].set(new NDIndex("{}", to), v);
      }
    }
    KvLease moved = owner[from];
    moved.moveRow(ownerStream[from], to);
    owner[to] = moved;
    ownerStream[to] = ownerStream[from];
    owner[from] = null;
  }

  /**
   * Rearranges leased rows so that the rows of {@code front} occupy [0, n), swapping their caches
   * with rows of other leases (priority preemption: a forward over [0, n) then steps only these).
   * Returns n. Rows of other leases stay leased, in [n, used).
   */
  public int arrangeFront(Collection<KvLease> front) {
    int n = 0;
    boolean[] inFront = new boolean[capacity];
    for (KvLease lease : front) {
      for (int s = 0; s < lease.streams(); s++) {
        inFront[lease.row(s)] = true;
        n++;
      }
    }
    int free = 0; // next row below n that holds another lease
    for (int r = n; r < used; r++) {
      if (!inFront[r]) {
        continue;
      }
      while (inFront[free]) {
        free++;
      }
      swapRows(r, free);
      inFront[free] = true;
      inFront[r] = false;
    }
    return n;
  }

  private void swapRows(int a, int b) {
    for (int i = 0; i < keys.length; i++) {
      try (NDManager scope = manager.newSubManager()) {
        NDArray ka = keys[i].get(new NDIndex("{}", a));
        NDArray va = values[i].get(new NDIndex("{}", a));
        NDArray kb = keys[i].get(new NDIndex("{}", b));
        NDArray vb = values[i].get(new NDIndex("{}", b));
        for (NDArray x : new NDArray[] {ka, va, kb, vb}) {
          x.attach(scope);
        }
        NDArray kaCopy = ka.duplicate();
        NDArray vaCopy = va.duplicate();
        kaCopy.attach(scope);
        vaCopy.attach(scope);
        keys[i].set(new NDIndex("{}", a), kb);
        values[i].set(new NDIndex("{}", a), vb);
        keys[i].set(new NDIndex("{}", b), kaCopy);
        values[i].set(new NDIndex("{}", b), vaCopy);
      }
    }
    KvLease leaseA = owner[a];
    KvLease leaseB = owner[b];
    int streamA = ownerStream[a];
    int streamB = ownerStream[b];
    leaseA.moveRow(streamA, b);
    leaseB.moveRow(streamB, a);
    owner[a] = leaseB;
    ownerStream[a] = streamB;
    owner[b] = leaseA;
    ownerStream[b] = streamA;
  }

  /**
   * Copies the cache entries of each of {@code rows} at positions {@code from[i]} to {@code to[i]},
   * every layer, in one gather and one scatter per tensor (a draft tree's accepted path compacted
   * behind its root, both CFG streams at once).
   */
  public void copyPositions(int[] rows, int[] from, int[] to) {
    int n = rows.length * from.length;
    long[] rowIds = new long[n];
    long[] src = new long[n];
    long[] dst = new long[n];
    for (int r = 0; r < rows.length; r++) {
      for (int i = 0; i < from.length; i++) {
        rowIds[r * from.length + i] = rows[r];
        src[r * from.length + i] = from[i];
        dst[r * from.length + i] = to[i];
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray r = scope.create(rowIds);
      NDIndex source = new NDIndex("{}, :, {}", r, scope.create(src));
      NDIndex target = new NDIndex("{}, :, {}", r, scope.create(dst));
      for (int i = 0; i < keys.length; i++) {
        NDArray k = keys[i].get(source);
        NDArray v = values[i].get(source);
        k.attach(scope);
        v.attach(scope);
        keys[i].set(target, k);
        values[i].set(target, v);
      }
    }
  }

  /** Keys of a layer, [rows, H, maxLen, hd]. */
  public NDArray keys(int layer) {
    return keys[layer];
  }

  /** Values of a layer, [rows, H, maxLen, hd]. */
  public NDArray values(int layer) {
    return values[layer];
  }

  /** Rows leased, packed at [0, used). */
  public int used() {
    return used;
  }

  public int free() {
    return capacity - used;
  }

  public int capacity() {
    return capacity;
  }

  /** Positions each row holds. */
  public int maxLength() {
    return maxLength;
  }

  @Override
  public void close() {
    manager.close();
  }
}
