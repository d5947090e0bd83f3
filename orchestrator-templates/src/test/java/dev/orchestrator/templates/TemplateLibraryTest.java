package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.templates.spi.TemplateDocument;
import dev.orchestrator.templates.spi.TemplateSource;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources, precedence and the reports of what lost or broke. */
class TemplateLibraryTest {
  @TempDir Path dir;

  private static final String USER_EMAIL = "{\"name\": \"My Email Campaign\", \"tasks\": [{\"id\": 1,"
      + " \"assigned_to\": \"gemini\", \"instructions\": \"Write my email\"}]}";

  @Test
  void discoversPacksThroughServiceLoaderAndThePackBeatsTheBuiltIn() {
    TemplateLibrary lib = TemplateLibrary.builder().noUserDirectory().build();

    Template webinar = lib.require("webinar_funnel");
    assertThat(webinar.category()).isEqualTo("marketing");
    assertThat(webinar.origin().kind()).isEqualTo(SourceKind.PACK);
    assertThat(webinar.origin().source()).isEqualTo("testpack");
    assertThat(lib.require("email_campaign").name()).isEqualTo("Pack Email Campaign");
    assertThat(lib.shadowed()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo("email_campaign");
      assertThat(s.winner().kind()).isEqualTo(SourceKind.PACK);
      assertThat(s.loser().kind()).isEqualTo(SourceKind.BUILT_IN);
      assertThat(s.toString()).contains("is shadowed by");
    });
    assertThat(lib.problems()).singleElement().satisfies(p -> {
      assertThat(p.location()).endsWith("testpack/broken.json");
      assertThat(p.problems()).singleElement().asString().contains("{{nothing}}");
    });
    assertThat(lib.search(TemplateQuery.builder().tag("webinar").build())).extracting(Template::id)
        .containsExactly("webinar_funnel");
  }

  @Test
  void theUserDirectoryBeatsPacksAndBuiltInsAndExplicitFilesBeatEverything() throws Exception {
    Files.createDirectories(dir.resolve("marketing"));
    Files.writeString(dir.resolve("marketing/email_campaign.json"), USER_EMAIL);
    Files.writeString(dir.resolve("blog_post_pipeline.json"),
        "{\"name\": \"Mine\", \"category\": \"blogs\", \"tasks\": [{\"id\": 1}]}");
    Files.writeString(dir.resolve("broken.json"), "{\"name\": ");
    Path explicit = Files.writeString(dir.resolve("explicit.json"), "{\"id\": \"email_campaign\", \"name\":"
        + " \"Explicit\", \"tasks\": [{\"id\": 1}]}");
    Path elsewhere = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-x")).resolve("e.json");
    Files.copy(explicit, elsewhere, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    TemplateLibrary lib = TemplateLibrary.builder().userDirectory(dir).file(elsewhere).build();

    assertThat(lib.require("email_campaign").name()).isEqualTo("Explicit");
    assertThat(lib.require("blog_post_pipeline").category()).isEqualTo("blogs");
    assertThat(lib.shadowed()).extracting(s -> s.id() + ": " + s.winner().kind() + " over " + s.loser().kind())
        .containsExactly(
            "email_campaign: FILE over USER_DIRECTORY",
            "email_campaign: FILE over USER_DIRECTORY",
            "email_campaign: FILE over PACK",
            "blog_post_pipeline: USER_DIRECTORY over BUILT_IN",
            "email_campaign: FILE over BUILT_IN");
    assertThat(lib.problems()).extracting(LoadProblem::location)
        .anySatisfy(l -> assertThat(l).endsWith("broken.json"));
    assertThat(lib.problems().toString()).contains("not valid JSON");
  }

  @Test
  void registeredSourcesBeatDiscoveredPacksAndReplaceOneWithTheSameId() {
    TemplateSource mine = new TemplateSource() {
      @Override
      public String id() {
        return "testpack";
      }

      @Override
      public List<TemplateDocument> documents() {
        return List.of(TemplateDocument.workflow("webinar_funnel", "events", "memory:webinar",
            "{\"name\": \"Registered\", \"tasks\": [{\"id\": 1}]}"));
      }
    };
    TemplateLibrary lib = TemplateLibrary.builder().noUserDirectory().source(mine).build();
    assertThat(lib.require("webinar_funnel").name()).isEqualTo("Registered");
    assertThat(lib.require("webinar_funnel").category()).isEqualTo("events");
    assertThat(lib.require("email_campaign").origin().kind()).as("the discovered pack is replaced, not added")
        .isEqualTo(SourceKind.BUILT_IN);
  }

  @Test
  void aFailingSourceIsReportedAndSkipped() {
    TemplateSource failing = new TemplateSource() {
      @Override
      public String id() {
        return "failing";
      }

      @Override
      public List<TemplateDocument> documents() {
        throw new IllegalStateException("disk on fire");
      }
    };
    TemplateLibrary lib = TemplateLibrary.builder().noUserDirectory().discover(false).source(failing).build();
    assertThat(lib.problems()).singleElement().asString().contains("template source 'failing' failed", "disk on fire");
    assertThat(lib.list()).hasSize(9);
  }

  @Test
  void twoDiscoveredPacksWithOneIdAreAnErrorNamingBothAndABrokenOneIsSkipped() throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve("dev.orchestrator.templates.spi.TemplateSource"),
        "dev.orchestrator.templates.SameIdPack\n");
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> TemplateLibrary.builder().noUserDirectory().classLoader(cl).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("two template packs use the id 'testpack'")
          .hasMessageContaining("dev.orchestrator.templates.TestPack")
          .hasMessageContaining("dev.orchestrator.templates.SameIdPack");
    }
    Files.writeString(services.resolve("dev.orchestrator.templates.spi.TemplateSource"), "com.example.Missing\n");
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      TemplateLibrary lib = TemplateLibrary.builder().noUserDirectory().classLoader(cl).build();
      assertThat(lib.problems().toString()).contains("com.example.Missing");
      assertThat(lib.get("webinar_funnel")).isPresent();
    }
  }

  @Test
  void anExplicitFileMustLoad() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\", \"tasks\": [{\"id\": 1, \"title\": \"{{y}}\"}]}");
    assertThatThrownBy(() -> TemplateLibrary.builder().noUserDirectory().file(bad).build())
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageStartingWith("template " + bad + " is invalid: task '1': title uses {{y}}");
    assertThatThrownBy(() -> TemplateLibrary.builder().uri(URI.create("https://example.com/t.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a local file: URI");
    Path good = Files.writeString(dir.resolve("Good Flow.json"), USER_EMAIL);
    TemplateLibrary lib = TemplateLibrary.builder().noUserDirectory().discover(false).builtIns(false)
        .uri(good.toUri()).build();
    assertThat(lib.list()).extracting(Template::id).containsExactly("good_flow");
    assertThat(lib.require("good_flow").instantiate(Map.of()).task("1").providers()).containsExactly("gemini");
  }

  @Test
  void projectTemplatesComeFromTheUserDirectoryToo() throws Exception {
    Files.createDirectories(dir.resolve("projects"));
    Files.writeString(dir.resolve("projects/solo.json"),
        "{\"name\": \"Solo\", \"workflows\": [\"bug_fix_workflow\", \"nope\"]}");
    TemplateLibrary lib = TemplateLibrary.builder().userDirectory(dir).discover(false).build();
    assertThat(lib.projectTemplate("solo")).isPresent();
    assertThat(lib.problems()).singleElement().asString()
        .contains("workflows lists 'nope', which is not in the library");
    assertThatThrownBy(() -> lib.setUpProject("p", "solo")).isInstanceOf(TemplateNotFoundException.class);
    assertThatThrownBy(() -> lib.setUpProject("p", "sollo")).hasMessageContaining("did you mean solo?");
  }

  @Test
  void aMissingUserDirectoryIsFine() {
    TemplateLibrary lib = TemplateLibrary.builder().userDirectory(dir.resolve("none")).discover(false).build();
    assertThat(lib.list()).hasSize(9);
    assertThat(lib.problems()).isEmpty();
  }
}
