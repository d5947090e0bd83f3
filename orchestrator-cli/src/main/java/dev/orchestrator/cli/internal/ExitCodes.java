package dev.orchestrator.cli.internal;

/** The documented exit codes (also in {@code --help} and {@code docs/cli.md}). */
public final class ExitCodes {
  /** It worked: the run succeeded, the plan has no problems, the change was made. */
  public static final int OK = 0;
  /** The run failed or was cancelled, or the dry run or {@code template validate} found problems. */
  public static final int NOT_SUCCEEDED = 1;
  /**
   * Bad usage: an unknown option, a missing or malformed argument or parameter value (a cron, an {@code --at} time,
   * a priority, a file that is not UTF-8, a template of your own that does not load).
   */
  public static final int USAGE = 2;
  /** Something named does not exist: a run, task, question, template or project. */
  public static final int NOT_FOUND = 3;
  /**
   * The configuration is wrong: the config file, a provider without a key, the store, a data directory that is a
   * file, unreadable or read-only, or a damaged database file in it.
   */
  public static final int CONFIG = 4;
  /**
   * Refused in the current state: an archived project, a task that cannot be resumed, a name taken; or the store
   * stayed busy (other processes held it) for longer than its bound, so try again.
   */
  public static final int REFUSED = 5;
  /** An unexpected error (the message says what; {@code --verbose} shows the stack trace). */
  public static final int INTERNAL = 10;
  /** Interrupted with Ctrl-C, and the run was cancelled. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
