package dev.orchestrator.cli.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.Event;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.store.ProviderHealth;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code providers}: every configured instance with its mode, its health from a free probe (with its latency), its
 * circuit as the store shares it with every process, and today's spend.
 */
@Command(name = "providers", mixinStandardHelpOptions = true)
final class ProvidersCommand extends CliCommand {
  ProvidersCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    Config config = cli.config();
    ProviderSetup setup = cli.setup();
    ZoneId zone = config.timeZone();
    LocalDate today = LocalDate.now(zone);
    Map<String, Money> spentToday = spentOn(today, zone);
    Map<String, String> circuits = circuits();
    List<dev.orchestrator.spi.PluginConfig> probed = setup.configs().stream()
        .filter(pc -> !setup.isSimulated(pc.name()) && !setup.missingKeys().containsKey(pc.name())).toList();
    Map<String, Health> probes = HealthChecks.probe(probed, cli.env());
    Map<String, Money> daily = new HashMap<>();
    for (Budget b : cli.store().budgets()) {
      if (b.scope().kind() == BudgetScope.Kind.PROVIDER_DAILY) {
        daily.put(b.scope().name(), b.limit());
      }
    }
    List<Map<String, Object>> json = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (Config.Instance i : config.instances().values()) {
      String mode;
      String health;
      if (setup.isSimulated(i.name())) {
        mode = Messages.get("providers.simulated");
        health = Messages.get("providers.health.simulated", setup.simulated().get(i.name()));
      } else if (setup.missingKeys().containsKey(i.name())) {
        mode = Messages.get("providers.real");
        health = Messages.get("providers.health.noKey", setup.missingKeys().get(i.name()));
      } else {
        mode = Messages.get("providers.real");
        health = describe(probes.get(i.name()));
      }
      String circuit = circuits.getOrDefault(i.name(), "CLOSED");
      Money spent = spentToday.getOrDefault(i.name(), Money.ZERO);
      Money limit = daily.get(i.name());
      rows.add(List.of(i.name(), i.type(), i.properties().getOrDefault("model", "-"), mode, health, circuit,
          Tables.money(spent), limit == null ? "-" : Tables.money(limit)));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", i.name());
      m.put("type", i.type());
      m.put("runsOn", setup.effectiveType(i.name()));
      m.put("model", i.properties().get("model"));
      m.put("simulated", setup.isSimulated(i.name()));
      m.put("health", health);
      Health h = probes.get(i.name());
      if (h != null) {
        m.put("probe", h.status());
        m.put("probeLatencyMs", h.latency() == null ? null : h.latency().toMillis());
        m.put("probeDetail", h.detail());
      }
      m.put("circuit", circuit);
      m.put("spentToday", spent);
      m.put("dailyLimit", limit);
      json.add(m);
    }
    if (cli.json()) {
      cli.printJson(json);
      return ExitCodes.OK;
    }
    cli.out().print(Tables.render(List.of(Messages.get("table.instance"), Messages.get("table.type"),
        Messages.get("table.model"), Messages.get("table.mode"), Messages.get("table.health"),
        Messages.get("table.circuit"), Messages.get("table.today"), Messages.get("table.dailyLimit")), rows));
    cli.out().println(cli.simulationLine());
    cli.say("providers.configHint", cli.configFile());
    return ExitCodes.OK;
  }

  /** Today's settled cost per instance, over every project. */
  private Map<String, Money> spentOn(LocalDate day, ZoneId zone) {
    Map<String, Money> out = new HashMap<>();
    for (Project p : cli.store().projectList(true)) {
      for (RunRecord r : cli.store().runs(p.name())) {
        for (TaskRecord t : cli.store().tasks(p.name(), r.id())) {
          for (Attempt a : t.attempts()) {
            Instant at = a.finishedAt();
            // a call in flight holds its reservation, which is not spending yet
            if (at != null && LocalDate.ofInstant(at, zone).equals(day)) {
              out.merge(a.provider(), a.cost(), Money::plus);
            }
          }
        }
      }
    }
    return out;
  }

  /** A probe's answer for the HEALTH column: up with its latency, or down and why (cut to fit a table). */
  static String describe(@Nullable Health h) {
    if (h == null) {
      return Messages.get("providers.health.unknown", "not probed");
    }
    return switch (h.status()) {
      case UP -> Messages.get("providers.health.up", h.latency() == null ? 0 : h.latency().toMillis());
      case DOWN -> Messages.get("providers.health.down", Texts.shorten(h.detail(), 70));
      case UNKNOWN -> Messages.get("providers.health.unknown", Texts.shorten(h.detail(), 70));
    };
  }

  /**
   * Each instance's circuit as every process sees it: the store's shared state when it keeps one, else the last
   * circuit event of the engine-wide log.
   */
  private Map<String, String> circuits() {
    Map<String, String> out = new HashMap<>();
    Instant now = Instant.now();
    try {
      ProviderHealth health = cli.store().providerHealth();
      for (String name : cli.config().instances().keySet()) {
        ProviderHealth.Circuit c = health.circuit(name, now);
        out.put(name, switch (c.state()) {
          case CLOSED -> "CLOSED";
          case OPEN -> Messages.get("providers.circuitOpen", StatusCommand.WHEN.format(
              java.util.Objects.requireNonNull(c.openUntil()).atZone(cli.config().timeZone())));
          case HALF_OPEN -> Messages.get("providers.circuitHalfOpen");
        });
      }
      return out;
    } catch (UnsupportedOperationException e) {
      // a store without shared provider health: what the events said last
    }
    for (Event e : cli.store().events("", "")) {
      if (e instanceof CircuitOpenedEvent o) {
        out.put(o.provider(), Messages.get("providers.circuitOpen", o.at().plus(o.openFor())));
      } else if (e instanceof CircuitHalfOpenedEvent h) {
        out.put(h.provider(), "HALF_OPEN");
      } else if (e instanceof CircuitClosedEvent c) {
        out.put(c.provider(), "CLOSED");
      }
    }
    return out;
  }
}
