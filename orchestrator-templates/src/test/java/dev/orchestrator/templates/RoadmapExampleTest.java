package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The roadmap's Blog Post Pipeline example, byte for byte, loads and instantiates unchanged. */
class RoadmapExampleTest {
  private static final String RESOURCE = "/roadmap/blog_post_pipeline.json";

  @Test
  void theResourceIsTheRoadmapExampleByteForByte() throws Exception {
    Path roadmap = findRoadmap();
    assumeTrue(roadmap != null, "the roadmap is not beside this checkout");
    String md = Files.readString(roadmap, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\\*\\*Example Template:\\*\\*\\n```json\\n(.*?)```", Pattern.DOTALL).matcher(md);
    assertThat(m.find()).isTrue();
    assertThat(GoldenFiles.resource(RESOURCE)).isEqualTo(m.group(1));
  }

  @Test
  void loadsVerbatim() throws Exception {
    Template t = Template.parse(GoldenFiles.resource(RESOURCE));

    assertThat(t.id()).isEqualTo("blog_post_pipeline");
    assertThat(t.name()).isEqualTo("Blog Post Pipeline");
    assertThat(t.description()).isEqualTo("Research → Outline → Draft → Edit → SEO → Publish");
    assertThat(t.parameters()).extracting(TemplateParameter::name, TemplateParameter::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("topic", ParameterType.STRING),
            org.assertj.core.groups.Tuple.tuple("target_length", ParameterType.NUMBER),
            org.assertj.core.groups.Tuple.tuple("seo_keywords", ParameterType.ARRAY));
    assertThat(t.parameters()).allMatch(TemplateParameter::required);
    assertThat(t.tasks()).extracting(TemplateTask::id).containsExactly("1", "2", "3");
    assertThat(t.task("2").dependsOn()).containsExactly("1");
    assertThat(t.task("3").instructions()).isNull();
  }

  @Test
  void instantiatesWithNumericIdsAndATaskWithoutInstructions() throws Exception {
    Template t = Template.parse(GoldenFiles.resource(RESOURCE));
    Workflow w = t.instantiate(Map.of("topic", "home composting", "target_length", 1500,
        "seo_keywords", List.of("compost", "worm bin")));

    assertThat(w.name()).isEqualTo("Blog Post Pipeline");
    assertThat(w.missingParameters(Map.of())).isEmpty();
    TaskSpec research = w.task("1");
    assertThat(Filled.text(w, research.title())).isEqualTo("Research home composting");
    assertThat(Filled.text(w, research.instructions())).isEqualTo("Research home composting and create outline");
    assertThat(research.providers()).containsExactly("chatgpt");
    assertThat(Filled.text(w, w.task("2").instructions())).isEqualTo("Write 1500 word article");
    assertThat(w.task("2").dependsOn()).containsExactly("1");
    TaskSpec edit = w.task("3");
    assertThat(edit.instructions()).as("defaults to the title").isEqualTo("Edit and refine");
    assertThat(edit.providers()).containsExactly("claude");
  }

  @Test
  void everyDeclaredParameterIsRequired() throws Exception {
    Template t = Template.parse(GoldenFiles.resource(RESOURCE));
    assertThatThrownBy(() -> t.instantiate(Map.of("topic", "x", "target_length", "long")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("parameter 'target_length': value 'long' is not a number such as 1500")
        .hasMessageContaining("parameter 'seo_keywords' is required (type array)");
  }

  @Test
  void matchesItsGoldenFile() throws Exception {
    Template t = Template.parse(GoldenFiles.resource(RESOURCE));
    GoldenFiles.assertMatches("roadmap_blog_post_pipeline", t.bind(Map.of("topic", "home composting",
        "target_length", "1500", "seo_keywords", "compost, worm bin")));
  }

  private static Path findRoadmap() {
    for (String candidate : List.of("../../shared/seed/orchestrator-roadmap.md", "../shared/seed/orchestrator-roadmap.md",
        "../../../shared/seed/orchestrator-roadmap.md", "/work/shared/seed/orchestrator-roadmap.md")) {
      Path p = Path.of(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
