package dev.orchestrator.store.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the embedded store's pool gets its connections: opens an H2 connection in automatic mixed mode, and when
 * another process is opening, serving or handing over the same file at that instant (see {@link H2Failures}), tries
 * again with jittered backoff until the store's bound. The pool therefore never sees a lock race, only a connection or,
 * once the bound has passed, the last failure.
 *
 * <p>When no live server is named in H2's lock file (nobody has the file open, or its server has just exited), opening
 * is serialised between the processes of the machine by an operating-system lock on {@code <name>.open.lock} beside
 * the database, held only while the connection is being opened (the system releases it when a process dies, however
 * it dies). This is for speed more than safety: H2's own lock-file protocol is safe but slow when two processes open
 * at once (the loser waits for the lock file to be two seconds old, then two more to see whether it won), while a
 * process that opens after another has finished finds its server named in the lock file and connects at once. So
 * after a hand-over the clients reconnect one after the other in milliseconds instead of racing for seconds. While a
 * server is up, connecting to it needs no lock. (The pool runs its connections with auto-commit off, so H2 never
 * reconnects by itself, outside this lock.)
 *
 * <p>{@code WRONG_USER_OR_PASSWORD} is retried a few times only: it is what a client that read a stale lock file
 * hears from the server that replaced the one named there, but also what a file made by another program answers.
 *
 * <p>Thread-safe. Only {@link #getConnection()} is supported.
 */
public final class RetryingDataSource implements DataSource {
  private static final Logger log = LoggerFactory.getLogger(RetryingDataSource.class);
  /** Tries of a connection refused for its credentials before that is taken as the answer. */
  private static final int WRONG_CREDENTIALS_TRIES = 4;
  /** How long the check that a server listens may take (it is on this machine). */
  private static final int LISTEN_CHECK_MILLIS = 1000;

  /** One monitor per lock file, for the stores of this JVM: a JVM cannot hold one file lock twice. */
  private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private final String url;
  private final String user;
  private final String password;
  private final Path openLock;
  private final Path h2Lock;
  private final StoreRetry retry;

  /** A SQL exception wrapped so that the retry policy takes it as transient; unwrapped before anyone sees it. */
  private static final class RetryableCredentials extends SQLException {
    private static final long serialVersionUID = 1L;

    RetryableCredentials(SQLException cause) {
      super(cause.getMessage(), "08001", H2Failures.DATABASE_ALREADY_OPEN, cause);
    }
  }

  /** Another process is opening the file: transient, like the lock races it saves us from. */
  private static final class OpeningElsewhere extends SQLException {
    private static final long serialVersionUID = 1L;

    OpeningElsewhere(Path lock) {
      super("another process is opening the database (it holds " + lock + ")", "08001",
          H2Failures.DATABASE_ALREADY_OPEN);
    }
  }

  /**
   * @param url the H2 URL, with {@code AUTO_SERVER=TRUE}
   * @param openLock the file whose lock serialises opening between processes, beside the database
   * @param retry how long to keep trying ({@link StoreRetry#h2})
   */
  public RetryingDataSource(String url, String user, String password, Path openLock, Path h2Lock,
      StoreRetry retry) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.openLock = openLock.toAbsolutePath().normalize();
    this.h2Lock = h2Lock.toAbsolutePath().normalize();
    this.retry = retry;
  }

  @Override
  public Connection getConnection() throws SQLException {
    AtomicInteger refused = new AtomicInteger();
    try {
      return retry.open(() -> {
        try {
          return openAlone();
        } catch (SQLException e) {
          if (H2Failures.wrongCredentials(e) && refused.incrementAndGet() < WRONG_CREDENTIALS_TRIES) {
            throw new RetryableCredentials(e);
          }
          throw e;
        }
      });
    } catch (RetryableCredentials e) {
      throw (SQLException) e.getCause();
    }
  }

  /**
   * Connects to the server named in H2's lock file when one is listening there; else opens a connection while no other
   * process of this machine opens one (the wait is the retry's backoff).
   */
  private Connection openAlone() throws SQLException {
    if (serverListening()) {
      return DriverManager.getConnection(url, user, password);
    }
    synchronized (MONITORS.computeIfAbsent(openLock, p -> new Object())) {
      FileChannel channel;
      try {
        channel = FileChannel.open(openLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        // The directory was checked when the store opened; without the lock, opening is only slower.
        log.debug("Opening without the open lock (file={}, reason={})", openLock, e.toString());
        return DriverManager.getConnection(url, user, password);
      }
      try {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          throw new OpeningElsewhere(openLock);
        }
        return DriverManager.getConnection(url, user, password);
      } catch (IOException e) {
        log.debug("Opening without the open lock (file={}, reason={})", openLock, e.toString());
        return DriverManager.getConnection(url, user, password);
      } finally {
        closeQuietly(channel); // releases the lock
      }
    }
  }

  /**
   * Whether H2's lock file names a server (as {@code server=host:port}, H2's format) that accepts a connection now.
   * Anything unexpected (no file, another format) says no, which only means taking the open lock.
   */
  private boolean serverListening() {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(h2Lock)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
    String server = p.getProperty("server", "");
    int colon = server.lastIndexOf(':');
    if (colon <= 0) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.substring(0, colon),
          Integer.parseInt(server.substring(colon + 1))), LISTEN_CHECK_MILLIS);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Open lock not closed cleanly", e);
    }
  }

  @Override
  public Connection getConnection(String username, String pass) throws SQLException {
    throw new SQLFeatureNotSupportedException("the embedded store connects as its own user");
  }

  @Override
  public PrintWriter getLogWriter() {
    return DriverManager.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    throw new UnsupportedOperationException("the embedded store logs through SLF4J");
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // The bound of the retries is the login timeout.
  }

  /**
   * One second, whatever the retry's bound (which is the real one). A pool waits this long, when it shuts down, for a
   * connection still being opened: one that is being retried need not hold up a closing store or an exiting process.
   */
  @Override
  public int getLoginTimeout() {
    return 1;
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
