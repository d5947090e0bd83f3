package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.orchestrator.Priority;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierException;
import dev.orchestrator.spi.notifier.Severity;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.NotifierContract;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** E-mail against a real SMTP server (GreenMail) started by the test, over plain SMTP and implicit TLS. */
class EmailNotifierTest extends NotifierContract {
  static final String PASSWORD = "canary-smtp-password-7f3a";
  static GreenMail greenMail;
  private final MutableClock clock = MutableClock.create();
  private final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);

  @BeforeAll
  static void startSmtp() {
    greenMail = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.SMTPS}))
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("bot@example.com", "bot", PASSWORD));
    greenMail.start();
  }

  @AfterAll
  static void stopSmtp() {
    greenMail.stop();
  }

  @BeforeEach
  void purge() throws Exception {
    greenMail.purgeEmailFromAllMailboxes();
  }

  static Map<String, String> props(int port, String security, String password) {
    Map<String, String> p = new HashMap<>();
    p.put("host", "127.0.0.1");
    p.put("port", Integer.toString(port));
    p.put("security", security);
    p.put("username", "bot");
    p.put("password", password);
    p.put("from", "Orchestrator <bot@example.com>");
    p.put("to", "ana@example.com, ben@example.org");
    p.put("timeout", "5s");
    return p;
  }

  private Notifier email(Map<String, String> props) {
    return new EmailNotifierFactory().create(new PluginConfig("email", "email", props), context);
  }

  @Override
  protected Notifier createNotifier() {
    return email(props(greenMail.getSmtp().getPort(), "none", PASSWORD));
  }

  @Override
  protected List<String> deliveries() {
    List<String> out = new ArrayList<>();
    try {
      for (MimeMessage m : greenMail.getReceivedMessages()) {
        out.add(m.getSubject() + "\n" + m.getContent());
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return out;
  }

  @Override
  protected Notifier createFailingNotifier() {
    return email(props(greenMail.getSmtp().getPort(), "none", PASSWORD + "-wrong"));
  }

  @Override
  protected Notifier createNotifierAt(InetSocketAddress silent) {
    return email(props(silent.getPort(), "none", PASSWORD));
  }

  @Override
  protected String secret() {
    return PASSWORD;
  }

  @Override
  protected String factoryType() {
    return "email";
  }

  private static Notification spanish() {
    return Notification.builder().project("quantum-self").event("task_failed").priority(Priority.HIGH)
        .severity(Severity.CRITICAL).subject("[quantum-self] La tarea draft falló")
        .body("La tarea draft de la ejecución r1 del proyecto quantum-self falló en claude (timeout): sin respuesta")
        .link(URI.create("http://127.0.0.1:7070/projects/quantum-self/runs/r1")).locale(Locale.forLanguageTag("es"))
        .at(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  @Test
  void sendsToEveryRecipientWithSubjectBodyLinkAndLanguage() throws Exception {
    Notifier n = createNotifier();
    n.send(spanish()).get(10, TimeUnit.SECONDS);
    MimeMessage[] got = greenMail.getReceivedMessages();
    assertThat(got).hasSize(2); // one copy per recipient mailbox
    MimeMessage m = got[0];
    assertThat(m.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
        .containsExactly("ana@example.com", "ben@example.org");
    assertThat(m.getFrom()[0].toString()).isEqualTo("Orchestrator <bot@example.com>");
    assertThat(m.getSubject()).isEqualTo("[quantum-self] La tarea draft falló");
    assertThat(m.getHeader("Content-Language")[0]).isEqualTo("es");
    assertThat(m.getHeader("X-Orchestrator-Event")[0]).isEqualTo("task_failed");
    assertThat(m.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("utf-8");
    assertThat((String) m.getContent())
        .startsWith("La tarea draft de la ejecución r1 del proyecto quantum-self falló en claude")
        .contains("Abrir: http://127.0.0.1:7070/projects/quantum-self/runs/r1")
        .contains("Enviado por Orchestrator para el proyecto quantum-self.");
    assertThat(m.getSentDate().toInstant()).isEqualTo(clock.instant());
    n.close();
  }

  @Test
  void theIdempotencyKeyMakesTheMessageIdAndAHeaderTheSameOnEverySend() throws Exception {
    Notifier n = createNotifier();
    Notification keyed = spanish().toBuilder().idempotencyKey("42-task_failed-email").build();
    n.send(keyed).get(10, TimeUnit.SECONDS);
    n.send(keyed).get(10, TimeUnit.SECONDS);
    n.send(spanish()).get(10, TimeUnit.SECONDS);
    MimeMessage[] got = greenMail.getReceivedMessages();
    assertThat(got).hasSize(6); // three sends, two mailboxes
    List<String> ids = new ArrayList<>();
    for (MimeMessage m : got) {
      ids.add(m.getMessageID());
    }
    assertThat(ids).filteredOn(id -> id.equals("<42-task_failed-email.orchestrator@example.com>")).hasSize(4);
    assertThat(ids).filteredOn(id -> !id.contains("42-task_failed-email")).hasSize(2);
    assertThat(got[0].getHeader("X-Orchestrator-Idempotency-Key")).containsExactly("42-task_failed-email");
    n.close();
  }

  @Test
  void sendsOverImplicitTlsWithAuthentication() throws Exception {
    Map<String, String> p = props(greenMail.getSmtps().getPort(), "tls", PASSWORD);
    p.put("ssl_trust", "*");
    Notifier n = email(p);
    n.send(spanish()).get(10, TimeUnit.SECONDS);
    assertThat(greenMail.getReceivedMessages()).isNotEmpty();
    n.close();
  }

  @Test
  void aWrongPasswordIsAFinalFailureThatNamesTheFixNotThePassword() throws Exception {
    Notifier n = createFailingNotifier();
    try {
      n.send(spanish()).get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      NotifierException ne = (NotifierException) e.getCause();
      assertThat(ne.retryable()).isFalse();
      assertThat(ne.getMessage()).contains("127.0.0.1:").contains("check the username and password")
          .doesNotContain(PASSWORD);
    } finally {
      n.close();
    }
  }

  @Test
  void anUnreachableServerIsRetryable() throws Exception {
    Notifier n = email(props(1, "none", PASSWORD));
    try {
      n.send(spanish()).get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      assertThat(((NotifierException) e.getCause()).retryable()).isTrue();
    } finally {
      n.close();
    }
  }

  @Test
  void aBadConfigurationNamesThePropertyAndTheFix() {
    Map<String, String> p = props(25, "starttls", PASSWORD);
    p.put("to", "not an address@@");
    assertThatThrownBy(() -> email(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("property 'to'").hasMessageNotContaining(PASSWORD);
    Map<String, String> q = props(25, "ssl-please", PASSWORD);
    assertThatThrownBy(() -> email(q)).hasMessageContaining("starttls, tls or none");
    Map<String, String> r = props(70000, "starttls", PASSWORD);
    assertThatThrownBy(() -> email(r)).hasMessage("plugin 'email' (type email) property 'port' must be a whole number"
        + " from 1 to 65535 (was '70000')");
    Map<String, String> t = props(25, "starttls", PASSWORD);
    t.put("timeout", "soon");
    assertThatThrownBy(() -> email(t)).hasMessageContaining("property 'timeout' must be a duration such as")
        .hasMessageContaining("(was 'soon')");
    t.put("timeout", "0s");
    assertThatThrownBy(() -> email(t)).hasMessageContaining("property 'timeout' must be longer than zero");
  }

  @Test
  void theTimeoutTakesCompoundFormsAndDays() {
    Map<String, String> p = props(25, "starttls", PASSWORD);
    for (String timeout : new String[] {"1m30s", "1d", "PT45S"}) {
      p.put("timeout", timeout);
      email(p).close();
    }
  }
}
