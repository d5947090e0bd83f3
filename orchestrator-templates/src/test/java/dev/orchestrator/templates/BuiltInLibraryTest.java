package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.budget.Plan;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.templates.internal.BuiltInTemplateSource;
import dev.orchestrator.templates.spi.ClasspathTemplateSource;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in library: laid out as the roadmap shows, every template loads, instantiates with its example
 * values into a valid workflow, passes the dry-run plan without problems, and matches its golden file.
 */
class BuiltInLibraryTest {
  static final TemplateLibrary LIBRARY = TemplateLibrary.builtIn();
  private static final Set<String> DEFAULT_PROVIDERS = Set.of("claude", "chatgpt", "gemini");

  static Stream<String> ids() {
    return Stream.of("blog_post_pipeline", "social_media_campaign", "documentation_set", "feature_implementation",
        "bug_fix_workflow", "code_review_pipeline", "product_launch", "email_campaign", "brand_voice_post");
  }

  @Test
  void loadsWithoutProblemsLaidOutAsTheRoadmapShows() {
    assertThat(LIBRARY.problems()).isEmpty();
    assertThat(LIBRARY.shadowed()).isEmpty();
    assertThat(LIBRARY.categories()).containsExactly("content_generation", "development", "marketing");
    assertThat(LIBRARY.list("content_generation")).extracting(Template::id)
        .containsExactly("blog_post_pipeline", "documentation_set", "social_media_campaign");
    assertThat(LIBRARY.list("development")).extracting(Template::id)
        .containsExactly("bug_fix_workflow", "code_review_pipeline", "feature_implementation");
    assertThat(LIBRARY.list("marketing")).extracting(Template::id)
        .containsExactly("brand_voice_post", "email_campaign", "product_launch");
    assertThat(LIBRARY.list()).allSatisfy(t -> assertThat(t.origin().kind()).isEqualTo(SourceKind.BUILT_IN));
  }

  @Test
  void theIndexListsEveryFileOfTheLibraryFolder() throws IOException {
    Path root = Path.of("src/main/resources", BuiltInTemplateSource.ROOT);
    Set<String> files = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> p.toString().endsWith(".json"))
          .forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/')));
    }
    Set<String> indexed = new TreeSet<>();
    for (String line : GoldenFiles.resource("/" + BuiltInTemplateSource.ROOT + "/" + ClasspathTemplateSource.INDEX)
        .split("\\R")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        indexed.add(line.trim());
      }
    }
    assertThat(indexed).isEqualTo(files);
  }

  @ParameterizedTest
  @MethodSource("ids")
  void instantiatesWithItsExampleValuesIntoAValidWorkflow(String id) throws IOException {
    Template t = LIBRARY.require(id);
    BoundTemplate bound = t.bind(t.exampleValues());
    Workflow w = bound.workflow();

    assertThat(w.missingParameters(java.util.Map.of())).as("every parameter has its value").isEmpty();
    assertThat(w.tasks()).hasSizeGreaterThanOrEqualTo(4);
    for (TaskSpec task : w.tasks()) {
      assertThat(task.providers()).as("task %s names providers", task.id()).isNotEmpty();
      assertThat(DEFAULT_PROVIDERS).containsAll(task.providers());
      assertThat(task.instructions()).as("task %s has real instructions", task.id()).hasSizeGreaterThan(150);
      for (String ref : PromptTemplate.of(task.instructions()).taskReferences()) {
        assertThat(w.indexOf(ref)).isLessThan(w.indexOf(task.id()));
      }
    }
    assertThat(t.parameters()).allSatisfy(p ->
        assertThat(p.description()).as("parameter %s of %s is described", p.name(), id).isNotBlank());
    assertThat(t.parameters()).allSatisfy(p ->
        assertThat(p.required() ? p.example() : "optional").as("required parameter %s has an example", p.name())
            .isNotNull());
    assertThat(t.description()).isNotBlank();
    assertThat(t.tags()).isNotEmpty();
    assertThat(t.origin().location()).contains(t.category() + "/" + id + ".json");
    GoldenFiles.assertMatches(id, bound);
  }

  @Test
  void theBrandVoicePostsWriterConsultsAnotherProvider() {
    Workflow w = LIBRARY.require("brand_voice_post").bind(LIBRARY.require("brand_voice_post").exampleValues())
        .workflow();
    assertThat(w.task("draft").providers()).containsExactly("chatgpt");
    assertThat(w.task("draft").collaborators()).containsExactly("claude");
    assertThat(w.task("draft").maxExchanges()).isEqualTo(2);
    assertThat(w.task("voice").collaborators()).isEmpty();
  }

  @Test
  void projectTemplatesLoadAndSetUpAProjectInOneStep() {
    assertThat(LIBRARY.projectTemplates()).extracting(ProjectTemplate::id)
        .containsExactly("content_team", "marketing_agency_client", "software_team");
    ProjectSetup setup = LIBRARY.setUpProject("quantum-self", "content_team");

    assertThat(setup.projectName()).isEqualTo("quantum-self");
    assertThat(setup.workflows()).extracting(Template::id)
        .containsExactly("blog_post_pipeline", "social_media_campaign", "documentation_set");
    ProjectTemplate p = setup.template();
    assertThat(p.providers()).extracting(c -> c.name()).containsExactly("claude", "chatgpt", "gemini");
    assertThat(p.providers().get(0).get("api_key")).isEqualTo("${env:ANTHROPIC_API_KEY}");
    assertThat(p.budgets().limits()).hasSize(4);
    assertThat(p.budgets().alertThresholds()).containsExactly(50, 75, 90);
    assertThat(p.policies().maxAttempts()).isEqualTo(4);
    assertThat(p.notifications()).hasSize(2);
  }

  @Test
  void searchesByCategoryTagAndWords() {
    assertThat(LIBRARY.search("launch")).extracting(Template::id).containsExactly("product_launch");
    assertThat(LIBRARY.search(TemplateQuery.builder().tag("code").build())).extracting(Template::id)
        .containsExactly("bug_fix_workflow", "code_review_pipeline", "feature_implementation");
    assertThat(LIBRARY.search(TemplateQuery.builder().category("Marketing").text("email").build()))
        .extracting(Template::id).containsExactly("email_campaign");
    assertThat(LIBRARY.search("review security")).extracting(Template::id).containsExactly("code_review_pipeline");
    assertThat(LIBRARY.tags()).contains("seo", "email", "code");
  }

  @Test
  void findsByIdCategoryPathAndDisplayName() {
    assertThat(LIBRARY.require("development/bug_fix_workflow").id()).isEqualTo("bug_fix_workflow");
    assertThat(LIBRARY.require("Blog Post Pipeline").id()).isEqualTo("blog_post_pipeline");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LIBRARY.require("blog_post_pipline"))
        .isInstanceOf(TemplateNotFoundException.class)
        .hasMessage("no template 'blog_post_pipline': did you mean blog_post_pipeline?");
    assertThat(LIBRARY.get("nope")).isEmpty();
    assertThat(List.of(LIBRARY.toString())).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("ids")
  void passesTheDryRunPlanWithoutProblems(String id) {
    Template t = LIBRARY.require(id);
    Workflow w = t.instantiate(t.exampleValues());
    try (Orchestrator o = Orchestrator.builder().executor(Runnable::run)
        .provider(FakeProvider.echo("claude")).provider(FakeProvider.echo("chatgpt"))
        .provider(FakeProvider.echo("gemini")).defaultProvider("claude").build()) {
      Plan plan = o.plan("templates", w, java.util.Map.of());
      assertThat(plan.problems()).as("dry run of %s", id).isEmpty();
      assertThat(plan.waves()).isNotEmpty();
      assertThat(plan.waves().stream().mapToInt(java.util.List::size).sum()).isGreaterThanOrEqualTo(w.tasks().size());
    }
  }
}
