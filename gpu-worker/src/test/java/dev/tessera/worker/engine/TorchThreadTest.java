package dev.tessera.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TorchThreadTest {

  @Test
  void loadingAndTheLoopRunOnOneThreadWithTheConfiguredIntraOpThreads() throws Exception {
    try (TorchThread torch = new TorchThread(1)) {
      Thread loader = torch.call(Thread::currentThread);
      Thread[] looper = new Thread[1];
      Future<?> loop = torch.start(() -> looper[0] = Thread.currentThread());
      loop.get(10, TimeUnit.SECONDS);
      assertSame(loader, looper[0], "models load on the thread that decodes them");
      assertEquals(TorchThread.NAME, loader.getName(), "the thread is named for thread dumps");
      assertEquals(1, torch.intraOpThreads(), "PyTorch runs the configured intra-op threads");
    }
  }

  @Test
  void aFailureOnTheThreadReachesTheCaller() {
    try (TorchThread torch = new TorchThread(1)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> torch.call(() -> {
            throw new IllegalStateException("no such model");
          }));
      assertEquals("no such model", e.getMessage(), "the caller sees the loader's own exception");
    }
  }

  @Test
  void zeroThreadsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TorchThread(0));
  }
}
