package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The template format: the roadmap's fields, the extensions, and the messages of everything rejected. */
class TemplateFormatTest {

  static String template(String parameters, String tasks) {
    return "{\"name\": \"T\", \"parameters\": {" + parameters + "}, \"tasks\": [" + tasks + "]}";
  }

  static InvalidTemplateException loadFails(String json) {
    try {
      Template.parse(json);
    } catch (InvalidTemplateException e) {
      return e;
    }
    throw new AssertionError("expected the template to be rejected: " + json);
  }

  @Nested
  class Loading {
    @Test
    void readsEveryExtension() {
      Template t = Template.parse("""
          {
            "id": "weekly_digest", "name": "Weekly digest", "category": "newsletters", "tags": ["news"],
            "version": "2", "author": "me", "x-owner": "team-a",
            "parameters": {
              "topic": {"type": "string", "description": "What about", "pattern": "[A-Za-z ]+", "example": "AI"},
              "count": {"type": "integer", "min": 1, "max": 10, "default": 5},
              "ratio": {"type": "number", "required": false},
              "formal": {"type": "boolean", "default": false},
              "tone": {"type": "enum", "allowed_values": ["dry", "warm"], "default": "warm"},
              "sources": {"type": "array", "default": ["a", "b"], "max": 3}
            },
            "tasks": [
              {"id": "collect", "assigned_to": ["Gemini", "chatgpt"], "priority": "high", "task_type": "Research",
               "title": "Collect {{count}} items on {{topic}}", "max_cost": "$0.40", "timeout": "1h30m",
               "max_output_tokens": 2000, "expected_output": {"type": "array"}, "schedule": "0 9 * * MON",
               "x-note": "ignored"},
              {"id": 7, "depends_on": ["collect"], "assigned_to": "claude", "system": "You are {{tone}}.",
               "question": "Anything to stress?", "instructions": "Summarise {{tasks.collect.output}}; stress {{input}}",
               "review": {"by": "gemini", "instructions": "Check {{topic}}"}, "timeout": "PT5M", "max_cost": 0.25,
               "expected_output": "Five bullets"}
            ]
          }""");
      assertThat(t.id()).isEqualTo("weekly_digest");
      assertThat(t.category()).isEqualTo("newsletters");
      assertThat(t.parameter("count").defaultValue()).isEqualTo(new BigDecimal("5"));
      assertThat(t.parameter("count").required()).isFalse();
      assertThat(t.parameter("ratio").required()).isFalse();
      assertThat(t.parameter("topic").required()).isTrue();
      TemplateTask collect = t.task("collect");
      assertThat(collect.providers()).containsExactly("gemini", "chatgpt");
      assertThat(collect.priority()).isEqualTo(Priority.HIGH);
      assertThat(collect.taskType()).isEqualTo("research");
      assertThat(collect.maxCost()).isEqualTo(Money.usd("0.40"));
      assertThat(collect.timeout()).isEqualTo(Duration.ofMinutes(90));
      assertThat(collect.expectedOutput().kind()).isEqualTo(ExpectedOutput.Kind.JSON_SCHEMA);
      assertThat(t.task("7").review()).isEqualTo(new TaskReview(List.of("gemini"), "Check {{topic}}"));

      BoundTemplate b = t.bind(Map.of("topic", "AI"));
      Workflow w = b.workflow();
      assertThat(Filled.text(w, w.task("collect").title())).isEqualTo("Collect 5 items on AI");
      assertThat(Filled.text(w, w.task("7").system())).isEqualTo("You are warm.");
      assertThat(w.task("7").instructions()).isEqualTo("Summarise {{tasks.collect.output}}; stress {{input}}");
      assertThat(w.task("7").question()).isEqualTo("Anything to stress?");
      assertThat(w.task("7").review()).as("the review reaches the engine on the task")
          .isEqualTo(dev.orchestrator.workflow.Review.by("gemini", "Check {{topic}}"));
      assertThat(Filled.text(w, w.task("7").review().criteria())).isEqualTo("Check AI");
      assertThat(b.schedules()).containsEntry("collect", "0 9 * * MON");
      assertThat(b.values()).containsEntry("sources", "a, b").containsEntry("ratio", "").containsEntry("formal", "false");
    }

    @Test
    void timeoutsAndCostsReadTheConfigurationGrammar() {
      Template t = Template.parse(template("", """
          {"id": "a", "timeout": "2d", "max_cost": "12"}, {"id": "b", "timeout": "1H 30M", "max_cost": "0.50 usd"},
          {"id": "c", "timeout": "1d12h", "max_cost": 1.5}, {"id": "d", "timeout": "p1d"}"""));
      assertThat(t.task("a").timeout()).isEqualTo(Duration.ofDays(2));
      assertThat(t.task("a").maxCost()).isEqualTo(Money.usd("12"));
      assertThat(t.task("b").timeout()).isEqualTo(Duration.ofMinutes(90));
      assertThat(t.task("b").maxCost()).isEqualTo(Money.usd("0.50"));
      assertThat(t.task("c").timeout()).isEqualTo(Duration.ofHours(36));
      assertThat(t.task("c").maxCost()).isEqualTo(Money.usd("1.5"));
      assertThat(t.task("d").timeout()).isEqualTo(Duration.ofDays(1));

      assertThat(loadFails(template("", """
          {"id": "z", "timeout": "0s"}, {"id": "y", "timeout": "400d"}, {"id": "x", "timeout": "-5m"},
          {"id": "w", "timeout": "30m1h"}, {"id": "v", "max_cost": -1}, {"id": "u", "max_cost": "5 EUR"},
          {"id": "t", "max_cost": true}""")).problems()).contains(
          "task 'z': timeout must be a positive duration up to 366 days such as \"90s\", \"5m\", \"1h30m\" or"
              + " \"2d\" (was '0s')",
          "task 'y': timeout must be a positive duration up to 366 days such as \"90s\", \"5m\", \"1h30m\" or"
              + " \"2d\" (was '400d')",
          "task 'x': timeout must not be negative: write a duration such as 30s or 1h30m (was '-5m')",
          "task 'w': timeout must give its units from the largest to the smallest, each once, such as 1d12h or 1h30m"
              + " (was '30m1h')",
          "task 'v': max_cost must not be negative: write an amount of US dollars such as 0.50, $0.50 or 12"
              + " (was '-1')",
          "task 'u': max_cost must be in US dollars, the only currency this release accounts in: give the amount in"
              + " USD, such as 0.50, $0.50 or 12 (was '5 EUR')",
          "task 't': max_cost must be an amount of US dollars such as 0.50, \"$0.50\" or \"0.50 USD\" (was true)");
    }

    @Test
    void numericAndStringIdsMix() {
      Workflow w = Template.parse(template("", "{\"id\": 1}, {\"id\": \"two\", \"depends_on\": [1]},"
          + " {\"id\": 3, \"depends_on\": [\"two\", 1], \"instructions\": \"Use {{tasks.1.output}}\"}")).instantiate(Map.of());
      assertThat(w.tasks()).extracting(TaskSpec::id).containsExactly("1", "two", "3");
      assertThat(w.task("3").dependsOn()).containsExactly("two", "1");
    }

    @Test
    void idComesFromTheFileNameOrTheName() {
      assertThat(Template.parse("{\"name\": \"My Great Flow!\", \"tasks\": [{\"id\": 1}]}").id())
          .isEqualTo("my_great_flow");
      assertThat(Template.parse("{\"name\": \"x\", \"tasks\": [{\"id\": 1}]}", TemplateOrigin.text(),
          "from_file", "cat").id()).isEqualTo("from_file");
    }
  }

  @Nested
  class Rejecting {
    @Test
    void anUndeclaredPlaceholderAtLoadTimeWithAHint() {
      assertThat(loadFails(template("\"topic\": \"string\"", "{\"id\": 1, \"instructions\": \"About {{topc}}\"}"))
          .problems()).containsExactly("task '1': instructions uses {{topc}}, which is not a declared parameter:"
              + " declare it in 'parameters' or fix the name (did you mean {{topic}}?)");
    }

    @Test
    void malformedPlaceholders() {
      assertThat(loadFails(template("", "{\"id\": 1, \"title\": \"{{#items}}x{{/items}}\"}")).getMessage())
          .contains("title has '{{#items}}x{{/items}}', which is not a placeholder")
          .contains("Mustache sections");
      assertThat(loadFails(template("", "{\"id\": 1, \"instructions\": \"{{ two words }}\"}")).getMessage())
          .contains("which is not a placeholder");
      assertThat(loadFails(template("", "{\"id\": 1, \"instructions\": \"{{tasks.1.result}}\"}")).getMessage())
          .contains("uses {{tasks.1.result}}, which is not a task reference: write {{tasks.<id>.output}}");
    }

    @Test
    void engineValuesOnlyWhereTheEngineFillsThem() {
      assertThat(loadFails(template("", "{\"id\": 1, \"system\": \"{{input}}\", \"question\": \"q\"}")).getMessage())
          .contains("system uses {{input}}, which the engine fills only in title and instructions");
      assertThat(loadFails(template("", "{\"id\": 1, \"instructions\": \"{{input}}\"}")).getMessage())
          .contains("uses {{input}} but asks no question: add a 'question'");
    }

    @Test
    void graphProblems() {
      assertThat(loadFails(template("", "{\"id\": 1, \"depends_on\": [2]}, {\"id\": 2, \"depends_on\": [1]}"))
          .getMessage()).contains("dependsOn forms a cycle: 1 -> 2 -> 1");
      assertThat(loadFails(template("", "{\"id\": 1, \"depends_on\": [9]}")).getMessage())
          .contains("task '1' depends on unknown task '9'");
      assertThat(loadFails(template("", "{\"id\": 1}, {\"id\": 2, \"instructions\": \"{{tasks.1.output}}\"}"))
          .getMessage()).contains("does not depend on '1'");
      assertThat(loadFails(template("", "{\"id\": 1}, {\"id\": \"1\"}")).getMessage())
          .contains("task id '1' is used twice");
      assertThat(loadFails(template("", "")).getMessage()).contains("tasks must not be empty");
    }

    @Test
    void structuralProblemsAllAtOnce() {
      InvalidTemplateException e = loadFails("""
          {"name": "T", "asigned_to": "x", "parameters": {"n": "float", "e": {"type": "enum"},
           "d": {"type": "integer", "default": "ten"}, "input": "string"},
           "tasks": [{"id": 1.5}, {"id": "a", "assigned_to": 3, "priority": "urgent", "timeout": "soon",
           "max_cost": "free", "depends_on": "b", "schedule": "every day", "review": 5}]}""");
      assertThat(e.problems()).contains(
          "unknown field 'asigned_to': the known fields are [$schema, author, category, description, id, name,"
              + " parameters, tags, tasks, version] (prefix your own with 'x-')",
          "parameter 'n': type must be one of string, number, integer, boolean, array, enum (was 'float')",
          "parameter 'e' is an enum without allowed_values: list the values it accepts",
          "parameter 'd': default 'ten' is not an integer such as 3 (the parameter's type is integer)",
          "tasks[0]: id must be a task id, a string or a whole number such as 1 (was a number 1.5)",
          "task 'a': assigned_to must be a string or an array of strings (was a number 3)",
          "task 'a': priority must be one of high, medium, low (was 'urgent')",
          "task 'a': depends_on must be an array of task ids such as [1, 2] (was a string \"b\")");
      assertThat(e.getMessage()).contains("timeout must be a duration such as 500ms",
          "max_cost must be an amount of US dollars",
          "review must be a provider name", "parameter 'input': parameter name must be");
    }

    @Test
    void badJsonNamesTheLine() {
      assertThat(loadFails("{\n \"name\": \"x\",\n \"tasks\": [\n}").getMessage()).contains("not valid JSON at line 4");
      assertThat(loadFails("{\"name\": \"a\", \"name\": \"b\", \"tasks\": [{\"id\": 1}]}").getMessage())
          .contains("Duplicate field 'name'");
      assertThat(loadFails("[]").getMessage()).contains("must be a JSON object");
      assertThat(loadFails("").getMessage()).contains("empty");
    }

    @Test
    void theScheduleShape() {
      assertThat(loadFails(template("", "{\"id\": 1, \"schedule\": \"every day\"}")).getMessage())
          .contains("task '1': schedule: cron expression 'every day' has 2 fields", "write 5");
      assertThat(loadFails(template("", "{\"id\": 1, \"schedule\": \"@reboot\"}")).getMessage())
          .contains("task '1': schedule: cron macro '@reboot' has no meaning for a schedule");
      Template.parse(template("", "{\"id\": 1, \"schedule\": \"@daily\"}"));
      // The same shapes as Trigger.cron and the command line: Quartz's 7-field form, with a year, too.
      Template.parse(template("", "{\"id\": 1, \"schedule\": \"0 0 9 ? * MON-FRI 2030\"}"));
      assertThat(loadFails(template("", "{\"id\": 1, \"repeat\": true}")).getMessage())
          .contains("task '1': repeat is true but there is no schedule");
      assertThat(loadFails(template("", "{\"id\": 1, \"schedule\": \"0 9 * * *\", \"repeat\": \"yes\"}"))
          .getMessage()).contains("repeat");
    }

    @Test
    void scheduleAndRepeatBecomeTriggers() {
      BoundTemplate b = Template.parse(template("", "{\"id\": \"report\", \"schedule\": \"0 9 * * *\","
          + " \"repeat\": true}, {\"id\": \"backup\", \"schedule\": \"@weekly\"}, {\"id\": \"plain\"}"))
          .bind(Map.of());
      assertThat(b.template().task("report").repeat()).isTrue();
      assertThat(b.template().task("backup").repeat()).isFalse();
      assertThat(b.triggers()).containsOnlyKeys("report", "backup")
          .containsEntry("report", Trigger.cron("0 9 * * *", true))
          .containsEntry("backup", Trigger.cron("0 0 * * 0", false));
      assertThat(b.schedules()).containsEntry("backup", "@weekly");
    }
  }

  @Nested
  class Instantiating {
    final Template t = Template.parse(template("""
        "topic": "string", "words": {"type": "integer", "min": 100, "max": 5000}, "keywords": "array",
        "tone": {"type": "enum", "allowed_values": ["warm", "dry"], "default": "warm"},
        "draft": {"type": "boolean", "default": true}, "price": {"type": "number", "default": 9.90}""",
        "{\"id\": \"w\", \"title\": \"On {{topic}}\", \"instructions\": \"{{words}} words, {{tone}}, keys: {{keywords}},"
            + " draft={{draft}}, {{price}} USD\"}"));

    @Test
    void typedValuesAreWrittenSensibly() {
      Workflow w = t.instantiate(Map.of("topic", "tea", "words", "1200", "keywords", new String[] {"green", "oolong"},
          "tone", "DRY", "draft", "false"));
      assertThat(Filled.text(w, w.task("w").instructions())).isEqualTo("1200 words, dry, keys: green, oolong, draft=false, 9.9 USD");
      Workflow w2 = t.instantiate(Map.of("topic", "tea", "words", 1200.0, "keywords", "[\"a\", 3]"));
      assertThat(Filled.text(w2, w2.task("w").instructions())).startsWith("1200 words, warm, keys: a, 3, draft=true");
    }

    @Test
    void errorsNameTheParameterTheValueAndTheType() {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("topic", List.of("x"));
      values.put("words", 12.5);
      values.put("keywords", "a,,b");
      values.put("tone", "loud");
      values.put("draft", "maybe");
      values.put("tpoic", "x");
      assertThatThrownBy(() -> t.instantiate(values))
          .isInstanceOf(InvalidParameterException.class)
          .satisfies(e -> assertThat(((InvalidParameterException) e).problems()).containsExactly(
              "'tpoic' is not a parameter of this template (value 'x'): did you mean 'topic'?",
              "parameter 'topic': value [x] (a list) is not a string such as \"home composting\" (the parameter's type is string)",
              "parameter 'words': value 12.5 (a number) is not an integer such as 3 (the parameter's type is integer)",
              "parameter 'keywords': value 'a,,b' has a blank item: remove it (the parameter's type is array)",
              "parameter 'tone': value 'loud' is not one of [warm, dry] (the parameter's type is enum)",
              "parameter 'draft': value 'maybe' is not a boolean, true or false (the parameter's type is boolean)"));
      assertThatThrownBy(() -> t.instantiate(Map.of("topic", " ", "words", 50, "keywords", List.of())))
          .hasMessageContaining("parameter 'topic': value must not be blank (was ' ')")
          .hasMessageContaining("parameter 'words': value 50 (a number) is below the minimum 100: give a larger value");
      assertThatThrownBy(() -> t.instantiate(Map.of("topic", "x", "words", "1e999999999", "keywords", "a")))
          .hasMessageContaining("has more than 60 digits");
    }

    @Test
    void aFilledInValueStaysLiteral() {
      Workflow w = t.instantiate(Map.of("topic", "{{words}} and {{tasks.w.output}} and {{input}}", "words", 100,
          "keywords", "{x}", "tone", "warm"));
      assertThat(w.missingParameters(Map.of())).as("the values travel as defaults").isEmpty();
      FakeProvider p = FakeProvider.echo("chatgpt");
      try (Orchestrator o = Orchestrator.builder().executor(Runnable::run).provider(p).defaultProvider("chatgpt")
          .provider(FakeProvider.echo("claude")).provider(FakeProvider.echo("gemini")).build()) {
        RunSnapshot done = o.submit("p", w).completion().join();
        assertThat(done.task("w").title()).isEqualTo("On {{words}} and {{tasks.w.output}} and {{input}}");
      }
    }

    @Test
    void aValueCannotFormAPlaceholderWithTheTextAroundIt() {
      Template edge = Template.parse(template("\"a\": \"string\", \"b\": \"string\"",
          "{\"id\": 1, \"instructions\": \"{{a}}{{b}}}} and {x{{b}}\"}"));
      FakeProvider p = FakeProvider.echo("p");
      try (Orchestrator o = Orchestrator.builder().executor(Runnable::run).provider(p).build()) {
        o.submit("p", edge.instantiate(Map.of("a", "{", "b", "{topic"))).completion().join();
        assertThat(p.requests().get(0).prompt()).isEqualTo("{{topic}} and {x{topic");
      }
    }

    @Test
    void aTitleMadeTooLongByAValueIsAParameterError() {
      assertThatThrownBy(() -> t.instantiate(Map.of("topic", "x".repeat(600), "words", 100, "keywords", "a")))
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("task 'w': the title is 603 characters long once filled, more than 500");
    }
  }
}
