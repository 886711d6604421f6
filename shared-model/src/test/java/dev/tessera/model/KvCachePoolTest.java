package dev.tessera.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.api.Test;

class KvCachePoolTest {

  @Test
  void leasingBeyondCapacityThrowsTypedErrorAndReleaseFreesRows() {
    try (NDManager m = NDManager.newBaseManager();
        KvCachePool pool = new KvCachePool(m, TinyModels.config(), 4, 8)) {
      KvLease a = pool.lease(2);
      KvLease b = pool.lease(2);
      assertThat(pool.free()).as("free rows after two CFG leases").isZero();
      assertThatThrownBy(() -> pool.lease(1)).as("exhausted pool")
          .isInstanceOf(KvCacheExhaustedException.class).hasMessageContaining("0 of 4 free");
      pool.release(a);
      assertThat(pool.free()).as("free rows after a release").isEqualTo(2);
      assertThat(pool.used()).as("used rows").isEqualTo(2);
      pool.release(a);
      assertThat(pool.free()).as("a second release of the same lease is a no-op").isEqualTo(2);
      assertThat(b.row(0)).as("b moved into the freed rows").isLessThan(2);
    }
  }

  @Test
  void releaseKeepsRowsPackedAndMovesTheCacheContentWithTheLease() {
    try (NDManager m = NDManager.newBaseManager();
        KvCachePool pool = new KvCachePool(m, TinyModels.config(), 3, 8)) {
      KvLease a = pool.lease(1);
      KvLease b = pool.lease(1);
      KvLease c = pool.lease(1);
      pool.keys(0).set(new NDIndex("{}", c.row(0)), 7f);
      pool.release(a);
      assertThat(c.row(0)).as("last lease moved into the hole").isEqualTo(0);
      assertThat(b.row(0)).as("other lease untouched").isEqualTo(1);
      assertThat(pool.keys(0).get(new NDIndex("0")).mean().getFloat())
          .as("c's keys travelled to row 0").isEqualTo(7f);
    }
  }

  @Test
  void truncateRewindsTheLengthForRejectedDrafts() {
    try (NDManager m = NDManager.newBaseManager();
        KvCachePool pool = new KvCachePool(m, TinyModels.config(), 1, 8)) {
      KvLease a = pool.lease(1);
      a.advance(5);
      a.truncate(3);
      assertThat(a.length()).as("length after truncation").isEqualTo(3);
      assertThatThrownBy(() -> a.truncate(4)).as("cannot truncate forward")
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
