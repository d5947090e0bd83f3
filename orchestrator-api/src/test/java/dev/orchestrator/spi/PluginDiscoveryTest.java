package dev.orchestrator.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.OrchestratorException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one discovery every kind of plugin goes through, and its one rule for duplicates and broken plugins. */
class PluginDiscoveryTest {
  /** A plugin kind for the test. */
  public interface Kind {
    String id();
  }

  public static final class Alpha implements Kind {
    @Override
    public String id() {
      return "Alpha";
    }
  }

  public static final class OtherAlpha implements Kind {
    @Override
    public String id() {
      return "alpha";
    }
  }

  public static final class Beta implements Kind {
    @Override
    public String id() {
      return "beta";
    }
  }

  public static final class Broken implements Kind {
    public Broken() {
      throw new IllegalStateException("cannot start");
    }

    @Override
    public String id() {
      return "broken";
    }
  }

  @TempDir
  Path dir;

  private ClassLoader listing(String... classes) throws IOException {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(Kind.class.getName()), String.join("\n", classes) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void findsFactoriesByLowerCaseIdAndSkipsABrokenOneWithItsName() throws IOException {
    PluginDiscovery.Result<Kind> found = PluginDiscovery.discover(Kind.class,
        listing(Beta.class.getName(), Broken.class.getName(), Alpha.class.getName()), Map.of(), Kind::id);
    assertThat(found.factories()).containsOnlyKeys("alpha", "beta");
    assertThat(found.factories().keySet()).containsExactly("alpha", "beta");
    assertThat(found.problems()).singleElement().asString().contains(Broken.class.getName(), "cannot start");
  }

  @Test
  void twoDiscoveredFactoriesWithOneIdAreAnErrorNamingBothUnlessOneIsRegistered() throws IOException {
    ClassLoader both = listing(Alpha.class.getName(), OtherAlpha.class.getName());
    assertThatThrownBy(() -> PluginDiscovery.discover(Kind.class, both, Map.of(), Kind::id))
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("claim the id 'alpha'")
        .hasMessageContaining(Alpha.class.getName()).hasMessageContaining(OtherAlpha.class.getName());
    Kind mine = new OtherAlpha();
    PluginDiscovery.Result<Kind> chosen = PluginDiscovery.discover(Kind.class, both, Map.of("ALPHA", mine),
        Kind::id);
    assertThat(chosen.factories()).containsEntry("alpha", mine);
    assertThat(chosen.problems()).isEmpty();
  }
}
