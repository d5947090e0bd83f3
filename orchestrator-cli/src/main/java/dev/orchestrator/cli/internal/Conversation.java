package dev.orchestrator.cli.internal;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The terminal's input while a run is in the foreground: one thread reads its lines, and one prompt at a time takes
 * them. A task's question waits for its answer only while the question is open (it may be answered from another
 * terminal meanwhile); Ctrl-C's "Cancel run?" cuts in before it and the question is asked again after. Thread-safe.
 */
final class Conversation {
  /** How often a waiting prompt looks whether it is still wanted. */
  private static final Duration POLL = Duration.ofMillis(250);
  /** What the reader thread queues when the input ends. */
  private static final String END = new String("\u0004");

  private final Console console;
  private final PrintWriter out;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  /** Held while a prompt takes a line: a question only for one poll at a time, Ctrl-C's question until answered. */
  private final ReentrantLock input = new ReentrantLock(true);
  /** Set while Ctrl-C's question waits, so a task's question lets it take the next line. */
  private volatile boolean cutIn;
  /** The prompt of the task's question being asked, to show it again after Ctrl-C's; guarded by input. */
  private @Nullable String asking;
  private @Nullable Thread reader;
  /** Told when a prompt appears (true) and goes (false), so the live display leaves it alone. */
  private volatile java.util.function.Consumer<Boolean> hold = h -> { };

  /** Who is told when a prompt appears and goes (the live display). */
  void onPrompt(java.util.function.Consumer<Boolean> hold) {
    this.hold = hold;
  }

  Conversation(Console console, PrintWriter out) {
    this.console = console;
    this.out = out;
  }

  /**
   * Shows {@code prompt} and returns the line typed, or null when {@code gone} becomes true first (the question was
   * answered elsewhere, or the run ended) or the input ended.
   */
  @Nullable String ask(String prompt, BooleanSupplier gone) throws InterruptedException {
    startReader();
    input.lock();
    try {
      lines.clear(); // what was typed before the question is not its answer
      asking = prompt;
      show(prompt);
    } finally {
      input.unlock();
    }
    try {
      while (true) {
        if (cutIn) {
          Thread.onSpinWait();
          input.lock(); // waits for Ctrl-C's question to be answered
          input.unlock();
          continue;
        }
        input.lock();
        try {
          String line = lines.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
          if (line != null) {
            return line == END ? null : line;
          }
        } finally {
          input.unlock();
        }
        if (gone.getAsBoolean()) {
          return null;
        }
      }
    } finally {
      input.lock();
      asking = null;
      input.unlock();
    }
  }

  /** Ctrl-C's question: cuts in before a task's question and waits for its line; null when the input ended. */
  @Nullable String interject(String prompt) throws InterruptedException {
    startReader();
    cutIn = true;
    input.lock();
    try {
      cutIn = false;
      hold.accept(true);
      show("\n" + prompt);
      String line = lines.take();
      if (asking != null) {
        show(asking);
      } else {
        hold.accept(false);
      }
      return line == END ? null : line;
    } finally {
      input.unlock();
    }
  }

  private void show(String prompt) {
    out.print(prompt);
    out.flush();
  }

  private synchronized void startReader() {
    if (reader != null) {
      return;
    }
    Thread t = new Thread(() -> {
      while (true) {
        String line = console.readLine();
        lines.add(line == null ? END : line);
        if (line == null) {
          return;
        }
      }
    }, "orchestrator-terminal");
    t.setDaemon(true);
    t.start();
    reader = t;
  }
}
