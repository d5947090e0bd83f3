package dev.orchestrator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run at a pseudo-terminal, as a person would run it: through util-linux's {@code script}, so the command
 * sees a terminal ({@code System.console()} is not null), what is typed goes through the terminal's line discipline
 * (Ctrl-C, {@code \003}, becomes SIGINT for its foreground process group), and what it prints is kept to be read.
 */
final class Terminal implements AutoCloseable {
  private final Process process;
  private final OutputStream keys;
  /** Everything printed so far; guarded by itself, notified on each read. */
  private final StringBuilder screen = new StringBuilder();

  private Terminal(Process process) {
    this.process = process;
    this.keys = process.getOutputStream();
    Thread reader = new Thread(this::read, "terminal-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Whether {@code script} is here to make a terminal (util-linux). */
  static boolean available() {
    return java.nio.file.Files.isExecutable(Path.of("/usr/bin/script"));
  }

  /** Starts {@code command} at a new pseudo-terminal with {@code env} added to this process's environment. */
  static Terminal start(List<String> command, Map<String, String> env) throws IOException {
    List<String> quoted = new ArrayList<>();
    for (String a : command) {
      quoted.add("'" + a.replace("'", "'\\''") + "'");
    }
    // `exec`: the command replaces the shell script starts it with, as at a person's shell, where the command runs
    // in a process group of its own. A non-interactive shell left waiting would receive Ctrl-C's SIGINT too and end
    // with 130 after the command, whatever the command did with the signal.
    ProcessBuilder pb = new ProcessBuilder("script", "-qfec", "exec " + String.join(" ", quoted), "/dev/null");
    pb.redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().remove("OPENAI_API_KEY");
    pb.environment().remove("ANTHROPIC_API_KEY");
    pb.environment().remove("GEMINI_API_KEY");
    pb.environment().put("TERM", "dumb");
    return new Terminal(pb.start());
  }

  private void read() {
    byte[] buf = new byte[4096];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (screen) {
          screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          screen.notifyAll();
        }
      }
    } catch (IOException e) {
      // the terminal closed
    } finally {
      synchronized (screen) {
        screen.notifyAll();
      }
    }
  }

  /** Types {@code text} ({@code \r} is Enter, {@code \003} is Ctrl-C). */
  void type(String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  /** Everything printed so far. */
  String screen() {
    synchronized (screen) {
      return screen.toString();
    }
  }

  /**
   * Waits until what is printed after position {@code from} contains {@code text}, at most {@code limit}; returns the
   * position just after it. Fails with the screen when it does not appear.
   */
  int await(String text, int from, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (screen) {
      while (true) {
        int at = screen.indexOf(text, from);
        if (at >= 0) {
          return at + text.length();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + limit + " waiting for '" + text + "'; the terminal shows:\n"
              + screen);
        }
        TimeUnit.NANOSECONDS.timedWait(screen, left);
      }
    }
  }

  /** Waits for the command to end, at most {@code limit}, and returns its exit code. */
  int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the command did not end within " + limit + "; the terminal shows:\n" + screen());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
