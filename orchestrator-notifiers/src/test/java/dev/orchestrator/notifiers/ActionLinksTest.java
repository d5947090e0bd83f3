package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.testkit.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActionLinksTest {
  private final MutableClock clock = MutableClock.create();
  private final ActionLinks links = ActionLinks.of(OneTapLinksTest.SECRET, URI.create("http://127.0.0.1:8080"),
      Duration.ofHours(1), clock);

  @Test
  void aLinkVerifiesUntilItExpires() {
    URI link = links.link("blog", "approval-1", ActionLinks.Action.REJECT);
    assertThat(link.toString()).startsWith("http://127.0.0.1:8080/link?p=blog&q=approval-1&a=reject&e=");
    assertThat(links.verify(link.getRawQuery()).action()).isEqualTo(ActionLinks.Action.REJECT);
    clock.advance(Duration.ofMinutes(59));
    assertThat(links.verify(link.getRawQuery()).questionId()).isEqualTo("approval-1");
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> links.verify(link.getRawQuery())).isInstanceOf(ActionLinks.RefusedException.class)
        .hasMessageContaining("expired").extracting(e -> ((ActionLinks.RefusedException) e).reason())
        .isEqualTo("expired");
  }

  @Test
  void aChangedPartOrAnotherSecretIsRefusedAsTampered() {
    String q = links.link("blog", "approval-1", ActionLinks.Action.REJECT).getRawQuery();
    for (String changed : new String[] {q.replace("a=reject", "a=approve"), q.replace("q=approval-1", "q=approval-2"),
        q.replace("p=blog", "p=other"), q.substring(0, q.length() - 2) + "xx"}) {
      assertThatThrownBy(() -> links.verify(changed)).isInstanceOf(ActionLinks.RefusedException.class)
          .extracting(e -> ((ActionLinks.RefusedException) e).reason()).isEqualTo("tampered");
    }
    ActionLinks other = ActionLinks.of("another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8),
        URI.create("http://127.0.0.1:8080"), Duration.ofHours(1), clock);
    assertThatThrownBy(() -> other.verify(q)).hasMessageContaining("signature does not match");
    assertThatThrownBy(() -> links.verify("p=blog&q=x")).hasMessageContaining("incomplete");
  }

  @Test
  void theSecretStaysOutOfTextAndShortSecretsAreRefused() {
    assertThat(links.toString()).doesNotContain("0123456789abcdef").contains("secret=***");
    assertThatThrownBy(() -> ActionLinks.of(new byte[8], URI.create("http://x"), Duration.ofHours(1)))
        .hasMessageContaining("at least 32 bytes (had 8)");
  }
}
