package dev.tessera.model;

/**
 * A sequence's hold on KV-pool rows: one row per stream (cond, and uncond under CFG). The pool keeps
 * leased rows packed at the front, so it may move a lease to other rows when another is released;
 * always read {@link #row(int)} afresh.
 */
public final class KvLease {

  private final int[] rows;
  private int length;
  private boolean released;

  KvLease(int[] rows) {
    this.rows = rows;
  }

  /** Number of streams (rows). */
  public int streams() {
    return rows.length;
  }

  /** Pool row of stream {@code s}. */
  public int row(int s) {
    return rows[s];
  }

  void moveRow(int s, int newRow) {
    rows[s] = newRow;
  }

  /** Positions filled so far (the next token is written at this position). */
  public int length() {
    return length;
  }

  /** Records that {@code n} more positions were written. */
  public void advance(int n) {
    length += n;
  }

  /** Drops everything at or after {@code newLength} (rejected drafts); the rows are reused later. */
  public void truncate(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IllegalArgumentException("cannot truncate length " + length + " to " + newLength);
    }
    length = newLength;
  }

  public boolean released() {
    return released;
  }

  void markReleased() {
    released = true;
  }
}
