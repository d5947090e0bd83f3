package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.notifiers.ActionLinks;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OneTapSettingsTest {
  static final String SECRET = "c2VjcmV0LW9mLWF0LWxlYXN0LTMyLWJ5dGVzLWZvci1saW5rcw==";

  @Test
  void noSecretMeansNoLinks() {
    assertThat(OneTapSettings.links(Map.<String, String>of()::get)).isNull();
  }

  @Test
  void theEnvironmentMakesLinksToThePublicDashboard() {
    ActionLinks links = OneTapSettings.links(Map.of("ORCHESTRATOR_LINK_SECRET", SECRET,
        "ORCHESTRATOR_DASHBOARD_URL", "https://orch.example.com", "ORCHESTRATOR_LINK_TTL", "PT2H")::get);
    assertThat(links.ttl()).isEqualTo(Duration.ofHours(2));
    assertThat(links.link("p", "approval-1", ActionLinks.Action.APPROVE).toString())
        .startsWith("https://orch.example.com/link?p=p&q=approval-1&a=approve");
    assertThat(links.toString()).doesNotContain(SECRET);
  }

  @Test
  void aSecretWithoutTheDashboardsAddressIsAnErrorNamingIt() {
    assertThatThrownBy(() -> OneTapSettings.links(Map.of("ORCHESTRATOR_LINK_SECRET", SECRET)::get))
        .hasMessageContaining("ORCHESTRATOR_DASHBOARD_URL is not");
    assertThatThrownBy(() -> OneTapSettings.links(Map.of("ORCHESTRATOR_LINK_SECRET", "not base64!",
        "ORCHESTRATOR_DASHBOARD_URL", "https://x")::get)).hasMessageContaining("must be base64")
        .hasMessageNotContaining("not base64!");
  }
}
