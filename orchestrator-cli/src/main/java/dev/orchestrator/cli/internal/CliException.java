package dev.orchestrator.cli.internal;

/**
 * A failure to report as one line: its message comes from the resource bundle and it carries the exit code.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  private CliException(int exitCode, String message, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A failure whose message is the bundle's {@code key} formatted with {@code args}. */
  public static CliException of(int exitCode, String key, Object... args) {
    return new CliException(exitCode, Messages.get(key, args), null);
  }

  /** The same, keeping the cause for {@code --verbose}. */
  public static CliException wrap(Throwable cause, int exitCode, String key, Object... args) {
    return new CliException(exitCode, Messages.get(key, args), cause);
  }

  /** A failure whose message was already made (by a background process). */
  public static CliException raw(int exitCode, String message) {
    return new CliException(exitCode, message, null);
  }

  /** The process exit code. */
  public int exitCode() {
    return exitCode;
  }
}
