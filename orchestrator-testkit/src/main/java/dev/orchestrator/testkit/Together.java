package dev.orchestrator.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs a body on several threads released at once, for the contracts' concurrency checks. */
final class Together {
  private Together() {}

  /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
  static void run(int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        futures.add(pool.submit(() -> {
          start.await();
          body.accept(n);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A body that may throw, given its thread's number from 0. */
  @FunctionalInterface
  interface Body {
    void accept(int thread) throws Exception;
  }
}
