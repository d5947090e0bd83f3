package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Sends plain-text UTF-8 e-mail over SMTP with Jakarta Mail (the Angus implementation). Jakarta Mail blocks, so
 * each notifier sends on one daemon thread of its own ({@code orchestrator-email-<name>}) behind a bounded queue;
 * {@link #send} only queues.
 *
 * <p>Properties: {@code host} (required), {@code port} (587 for {@code starttls}, 465 for {@code tls}, 25 for
 * {@code none}), {@code security}: {@code starttls} (the default: the server must upgrade the connection, and its
 * certificate must match the host), {@code tls} (implicit TLS, SMTPS) or {@code none} (plain, for local relays
 * only), {@code username} and {@code password} (authentication when given; the password is a secret),
 * {@code from} (required), {@code to} (required, comma-separated), {@code ssl_trust} (hosts whose certificates are
 * trusted without a CA, such as a test server's; {@code *} trusts all and skips the host name check: never in production), {@code timeout}
 * (connect, read and write timeouts; 10s). Thread-safe.
 *
 * <p>A notification with an idempotency key goes out with the header {@value #IDEMPOTENCY_HEADER} and the Message-ID
 * {@code <key.orchestrator@sender-domain>}, the same on every send of it.
 */
public final class EmailNotifier implements Notifier {
  /** The header with the notification's idempotency key (which also makes its Message-ID). */
  public static final String IDEMPOTENCY_HEADER = "X-Orchestrator-Idempotency-Key";

  private final String name;
  private final String type;
  private final String host;
  private final int port;
  private final String security;
  private final @Nullable String username;
  private final @Nullable String password;
  private final InternetAddress from;
  private final InternetAddress[] to;
  private final Session session;
  private final Clock clock;
  private final ThreadPoolExecutor executor;
  private volatile boolean closed;

  public EmailNotifier(PluginConfig config, PluginContext context) {
    this.name = config.name();
    this.type = config.type();
    this.clock = context.clock();
    this.host = config.require("host").trim();
    this.security = config.get("security", "starttls").trim().toLowerCase(Locale.ROOT);
    if (!List.of("starttls", "tls", "none").contains(security)) {
      throw new IllegalArgumentException("property 'security' must be starttls, tls or none (was '" + security
          + "')");
    }
    this.port = config.integer("port", security.equals("tls") ? 465 : security.equals("none") ? 25 : 587, 1, 65535);
    this.username = blankToNull(config.get("username"));
    this.password = config.get("password");
    if (username != null && (password == null || password.isEmpty())) {
      throw new IllegalArgumentException("plugin '" + name + "' has a username but no 'password': set it, for"
          + " example \"password\": \"${SMTP_PASSWORD}\"");
    }
    try {
      this.from = new InternetAddress(config.require("from"), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("property 'from' is not an e-mail address (was '" + config.get("from")
          + "'): write it as bot@example.com or \"Orchestrator <bot@example.com>\"");
    }
    try {
      this.to = InternetAddress.parse(String.join(",", Props.list(config, "to")), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("property 'to' is not a list of e-mail addresses (was '" + config.get("to")
          + "'): separate addresses with commas");
    }
    Duration timeout = config.duration("timeout", Duration.ofSeconds(10));
    String protocol = security.equals("tls") ? "smtps" : "smtp";
    Properties p = new Properties();
    String prefix = "mail." + protocol + ".";
    p.put("mail.transport.protocol", protocol);
    p.put(prefix + "host", host);
    p.put(prefix + "port", Integer.toString(port));
    p.put(prefix + "auth", Boolean.toString(username != null));
    p.put(prefix + "connectiontimeout", Long.toString(timeout.toMillis()));
    p.put(prefix + "timeout", Long.toString(timeout.toMillis()));
    p.put(prefix + "writetimeout", Long.toString(timeout.toMillis()));
    if (security.equals("starttls")) {
      p.put(prefix + "starttls.enable", "true");
      p.put(prefix + "starttls.required", "true");
    }
    String trust = config.get("ssl_trust");
    boolean trustAll = trust != null && trust.trim().equals("*");
    if (!security.equals("none")) {
      // Trusting every certificate (a test server's) makes a host name check meaningless; otherwise it is on.
      p.put(prefix + "ssl.checkserveridentity", Boolean.toString(!trustAll));
    }
    if (trust != null && !trust.isBlank()) {
      p.put(prefix + "ssl.trust", trust.trim());
    }
    this.session = Session.getInstance(p);
    this.executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "orchestrator-email-" + name);
      t.setDaemon(true);
      return t;
    });
    executor.allowCoreThreadTimeOut(true);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public CompletableFuture<Void> send(Notification n) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new NotifierException(name, "the notifier is closed: create a new one", false, null, null));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          deliver(n);
          result.complete(null);
        } catch (MessagingException | RuntimeException e) {
          result.completeExceptionally(classify(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new NotifierException(name, closed
          ? "the notifier is closed: create a new one"
          : "too many e-mails wait to be sent to " + server() + ": the server is too slow", !closed, null, null));
    }
    return result;
  }

  private void deliver(Notification n) throws MessagingException {
    String messageId = messageId(n);
    MimeMessage m = messageId == null ? new MimeMessage(session) : new MimeMessage(session) {
      @Override
      protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
      }
    };
    m.setFrom(from);
    m.setRecipients(Message.RecipientType.TO, to);
    m.setSubject(n.subject(), "UTF-8");
    StringBuilder text = new StringBuilder(n.body());
    if (n.link() != null) {
      text.append("\n\n").append(Messages.format(n.locale(), "link", n.link().toString()));
    }
    OneTapActions.appendText(text, n);
    text.append("\n\n-- \n").append(Messages.format(n.locale(), "footer", n.project())).append('\n');
    m.setText(text.toString(), "UTF-8");
    m.setHeader("Content-Language", n.locale().toLanguageTag());
    m.setHeader("X-Orchestrator-Project", n.project());
    m.setHeader("X-Orchestrator-Event", n.event());
    if (n.idempotencyKey() != null) {
      m.setHeader(IDEMPOTENCY_HEADER, n.idempotencyKey());
    }
    m.setSentDate(Date.from(clock.instant()));
    try (Transport t = session.getTransport()) {
      if (username != null) {
        t.connect(host, port, username, password);
      } else {
        t.connect();
      }
      t.sendMessage(m, m.getAllRecipients());
    }
  }

  /**
   * The Message-ID of a notification with an idempotency key: the same on every send of it, so mail systems and
   * clients that drop duplicate Message-IDs show it once. The sender's domain is its right side.
   */
  private @Nullable String messageId(Notification n) {
    String key = n.idempotencyKey();
    if (key == null) {
      return null;
    }
    String address = from.getAddress();
    String domain = address.substring(address.indexOf('@') + 1);
    return "<" + key.replaceAll("[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]", "_") + ".orchestrator@" + domain + ">";
  }

  private NotifierException classify(Exception e) {
    if (e instanceof AuthenticationFailedException) {
      return new NotifierException(name, "the SMTP server " + server() + " refused the login of user '" + username
          + "': check the username and password", false, null, null);
    }
    if (e instanceof SendFailedException) {
      return new NotifierException(name, "the SMTP server " + server() + " refused the message or its recipients ("
          + firstLine(e.getMessage()) + "): check the from and to addresses", false, null, null);
    }
    Throwable cause = e.getCause();
    if (e instanceof MessagingException && cause instanceof IOException) {
      return new NotifierException(name, "could not talk to the SMTP server " + server() + " ("
          + cause.getClass().getSimpleName() + "): will retry", true, null, null);
    }
    if (e instanceof MessagingException) {
      return new NotifierException(name, "the SMTP server " + server() + " failed (" + firstLine(e.getMessage())
          + "): will retry", true, null, null);
    }
    return new NotifierException(name, "sending through " + server() + " failed (" + e.getClass().getSimpleName()
        + ")", false, null, null);
  }

  private String firstLine(@Nullable String s) {
    if (s == null) {
      return "no detail";
    }
    String line = s.strip().lines().findFirst().orElse("");
    if (password != null && !password.isEmpty()) {
      line = line.replace(password, "****");
    }
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private String server() {
    return host + ":" + port;
  }

  /** Stops the sending thread; a send in progress is interrupted. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "EmailNotifier[name=" + name + ", server=" + server() + ", security=" + security + ", from="
        + from.getAddress() + ", to=" + to.length + " recipient(s)]";
  }
}
