package dev.orchestrator.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a no-op task body runs, the same way for every executor of a benchmark: {@link Mode#INLINE} runs it on the
 * thread that starts the task and returns a completed future (as a provider that answers at once); {@link
 * Mode#ASYNC} hands it to a separate pool and completes the future there, as a real HTTP provider completes its
 * call on its client's threads. Thread-safe.
 */
final class NoopWork implements AutoCloseable {
  /** The threads of the async pool: the machine's two cores. */
  static final int POOL_THREADS = 2;

  enum Mode {
    INLINE, ASYNC;

    static Mode of(String name) {
      return switch (name) {
        case "inline" -> INLINE;
        case "async" -> ASYNC;
        default -> throw new IllegalArgumentException("provider mode must be inline or async (was '" + name + "')");
      };
    }
  }

  private final Mode mode;
  private final ExecutorService pool;

  NoopWork(Mode mode) {
    this.mode = mode;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(POOL_THREADS, r -> {
      Thread t = new Thread(r, "provider-pool-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
  }

  Mode mode() {
    return mode;
  }

  /** The pool that completes async work (idle in inline mode). */
  ExecutorService pool() {
    return pool;
  }

  /** Runs {@code body} as this mode says; the future completes when it has run. */
  CompletableFuture<Void> start(Runnable body) {
    if (mode == Mode.INLINE) {
      body.run();
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(body, pool);
  }

  /** For libraries whose task bodies are synchronous: runs {@code body} as this mode says and waits for it. */
  void runAndWait(Runnable body) {
    if (mode == Mode.INLINE) {
      body.run();
    } else {
      CompletableFuture.runAsync(body, pool).join();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
