package dev.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectTest {
  @Test
  void aNewProjectIsActiveWithoutSettingsAndWithersKeepTheRest() {
    Project p = Project.of("quantum-self", Instant.EPOCH, ZoneOffset.UTC);
    assertThat(p.archived()).isFalse();
    assertThat(p.settings()).isEmpty();
    Project archived = p.withArchived(true).withSettings(Map.of("k", "v"));
    assertThat(archived).isEqualTo(Project.builder().name("quantum-self").createdAt(Instant.EPOCH)
        .zone(ZoneOffset.UTC).archived(true).settings(Map.of("k", "v")).build());
    assertThat(archived).hasToString(
        "Project[name=quantum-self, createdAt=1970-01-01T00:00:00Z, archived=true, zone=Z, settings={k=v}]");
  }

  @Test
  void aBadNameIsRefusedWhenSetAndRequiredValuesAreChecked() {
    assertThatThrownBy(() -> Project.builder().name(" leading space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("project must be 1 to 100 letters, digits, spaces, '_', '.' or '-', starting with a letter or "
            + "digit (was ' leading space')");
    assertThatThrownBy(() -> Project.builder().name("p").zone(ZoneOffset.UTC).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("call createdAt(instant)");
    assertThatThrownBy(() -> Project.builder().name("p").createdAt(Instant.EPOCH).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a time zone");
  }
}
