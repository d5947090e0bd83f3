package dev.orchestrator.core;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.internal.EventRing;
import dev.orchestrator.event.Event;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Claim;
import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.spi.store.Ledger;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.core.internal.InMemoryLeases;
import dev.orchestrator.core.internal.InMemoryLedger;
import java.util.Collection;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoredEvent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} in memory: for tests and embedding, lost when the process ends. Thread-safe.
 *
 * <p>It keeps every project, run, task and budget, and the most recent events of each project (100,000 by default, see
 * {@link #withEventCapacity(int)}), so a long-lived process does not grow without bound. The store-wide event stream
 * ({@link #eventsAfter(long, int)}) keeps as many of the newest events of all projects together: their sequence
 * numbers keep growing as old events are dropped, and a reader that asks from a number already dropped gets the oldest
 * kept. An event gets its number and becomes readable in one step, so a reader never misses one.
 *
 * <p>It leases runs ({@link #claimRuns}), so several engines in one process can share it (tests, demos); it is also a
 * {@link ClaimStore} (the task-claim protocol): every claim-protocol
 * call holds one lock, and leases, queue ages and due retries are read from the store's clock
 * ({@link #create(Clock)}; the system UTC clock by default).
 */
public final class InMemoryStore implements ClaimStore {
  /** How many events each project keeps by default. */
  public static final int DEFAULT_EVENT_CAPACITY = 100_000;

  private final int eventCapacity;
  /** The newest events of every project in one sequence: the stream that {@link #eventsAfter} reads. */
  private final EventRing stream;
  /** The store's clock, for leases, queue times and due retries of the claim protocol. */
  private final Clock clock;
  private final ConcurrentHashMap<String, ProjectData> projects = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<BudgetScope, Budget> budgets = new ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<dev.orchestrator.spi.store.Command> commands =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final InMemoryLeases leases;
  /**
   * The run of the last fenced task write: an engine writes one run's tasks in a row, and runs are never removed, so
   * this spares two map lookups per write. Any thread may read and replace it.
   */
  private volatile @Nullable RunData lastWritten;
  private final InMemoryLedger ledger = new InMemoryLedger(budgets::get);
  private final ConcurrentHashMap<List<Object>, Pause> pauses = new ConcurrentHashMap<>();
  private final dev.orchestrator.core.internal.InMemoryProviderHealth providerHealth =
      new dev.orchestrator.core.internal.InMemoryProviderHealth();

  private InMemoryStore(int eventCapacity, Clock clock) {
    this.eventCapacity = eventCapacity;
    this.stream = new EventRing(eventCapacity);
    this.clock = clock;
    this.leases = new InMemoryLeases(clock);
  }

  /** A store that keeps the last {@value #DEFAULT_EVENT_CAPACITY} events of each project. */
  public static InMemoryStore create() {
    return new InMemoryStore(DEFAULT_EVENT_CAPACITY, Clock.system(ZoneOffset.UTC));
  }

  /**
   * A store whose claim protocol ({@link ClaimStore}: leases, queue ages, due retries) reads {@code clock}, so tests
   * can move time; keeps the last {@value #DEFAULT_EVENT_CAPACITY} events of each project.
   */
  public static InMemoryStore create(Clock clock) {
    return new InMemoryStore(DEFAULT_EVENT_CAPACITY, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * A store that keeps the last {@code capacity} events of each project, and as many in its store-wide stream.
   *
   * @throws IllegalArgumentException when capacity is negative
   */
  public static InMemoryStore withEventCapacity(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("event capacity must be >= 0 (was " + capacity + ")");
    }
    return new InMemoryStore(capacity, Clock.system(ZoneOffset.UTC));
  }

  private ProjectData data(String name) {
    return projects.computeIfAbsent(name, k -> new ProjectData(null));
  }

  @Override
  public void createRun(RunRecord run, String definition, List<TaskRecord> tasks) {
    Objects.requireNonNull(definition, "definition");
    createRun(run, () -> definition, tasks);
  }

  private void createRun(RunRecord run, Supplier<String> definition, List<TaskRecord> tasks) {
    TaskRecord[] array = tasks.toArray(new TaskRecord[0]);
    for (TaskRecord t : array) {
      if (!t.project().equals(run.project()) || !t.runId().equals(run.id())) {
        throw new IllegalArgumentException("task '" + t.taskId() + "' belongs to " + t.project() + "/" + t.runId()
            + ", not to " + run.project() + "/" + run.id());
      }
    }
    TaskIndex.of(array, run.id()); // checks that no id appears twice; built again on the first lookup by id
    ProjectData p = data(run.project());
    synchronized (p) {
      if (p.runs.containsKey(run.id())) {
        throw new IllegalStateException("run " + run.id() + " already exists in project " + run.project());
      }
      if (p.project == null) {
        p.project = Project.of(run.project(), run.submittedAt(), java.time.ZoneOffset.UTC);
      }
      p.runs.put(run.id(), new RunData(run, definition, array));
      p.order.add(run.id());
    }
    if (run.status() == RunStatus.RUNNING) {
      leases.created(run.project(), run.id());
    }
  }

  @Override
  public void updateRun(RunRecord run) {
    RunData d = requireRun(run.project(), run.id());
    RunStatus before = d.run.status();
    d.run = run;
    if (before != run.status()) {
      leases.statusChanged(run.project(), run.id(), run.status() == RunStatus.RUNNING);
    }
  }

  @Override
  public void updateTask(TaskRecord task, int position) {
    requireRun(task.project(), task.runId()).put(task, position);
  }

  @Override
  public void updateTask(TaskRecord task) {
    RunData data = requireRun(task.project(), task.runId());
    int i = data.index().position(task.taskId());
    if (i < 0) {
      throw new IllegalArgumentException("run " + task.runId() + " has no task '" + task.taskId() + "'");
    }
    data.tasks[i] = task;
  }

  @Override
  public void append(Event event) {
    Objects.requireNonNull(event, "event");
    stream.append(event);
    if (eventCapacity == 0) {
      return;
    }
    ProjectData p = data(event.project());
    synchronized (p.events) {
      if (p.events.size() == eventCapacity) {
        p.events.pollFirst();
      }
      p.events.addLast(event);
    }
  }

  @Override
  public Optional<RunRecord> run(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    return d == null ? Optional.empty() : Optional.of(d.run);
  }

  @Override
  public Optional<String> definition(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    return d == null ? Optional.empty() : Optional.of(d.definition.get());
  }

  @Override
  public List<RunRecord> unfinishedRuns() {
    List<RunRecord> out = new ArrayList<>();
    for (ProjectData p : projects.values()) {
      for (RunData d : p.runs.values()) {
        if (d.run.status() == RunStatus.RUNNING) {
          out.add(d.run);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(RunRecord::submittedAt).thenComparing(RunRecord::id));
    return out;
  }

  @Override
  public void createProject(Project project) {
    ProjectData p = data(project.name());
    synchronized (p) {
      if (p.project != null) {
        throw new IllegalStateException("project '" + project.name() + "' already exists");
      }
      p.project = project;
    }
  }

  @Override
  public Optional<Project> project(String name) {
    ProjectData p = projects.get(name);
    return p == null ? Optional.empty() : Optional.ofNullable(p.project);
  }

  @Override
  public void updateProject(Project project) {
    ProjectData p = projects.get(project.name());
    if (p == null || p.project == null) {
      throw new IllegalArgumentException("there is no project '" + project.name() + "'");
    }
    p.project = project;
  }

  @Override
  public List<Project> projectList(boolean includeArchived) {
    List<Project> out = new ArrayList<>();
    for (ProjectData p : projects.values()) {
      Project project = p.project;
      if (project != null && (includeArchived || !project.archived())) {
        out.add(project);
      }
    }
    out.sort(java.util.Comparator.comparing(Project::name));
    return out;
  }

  @Override
  public void submitCommand(dev.orchestrator.spi.store.Command command) {
    commands.add(command);
  }

  @Override
  public List<dev.orchestrator.spi.store.Command> takeCommands() {
    List<dev.orchestrator.spi.store.Command> out = new ArrayList<>();
    dev.orchestrator.spi.store.Command c;
    while ((c = commands.poll()) != null) {
      out.add(c);
    }
    return out;
  }

  @Override
  public void saveBudget(Budget budget) {
    ledger.limitSaved(budgets.put(budget.scope(), budget), budget);
  }

  @Override
  public boolean deleteBudget(BudgetScope scope) {
    return budgets.remove(scope) != null;
  }

  @Override
  public List<Budget> budgets() {
    return List.copyOf(budgets.values());
  }

  @Override
  public List<RunRecord> runs(String project) {
    ProjectData p = projects.get(project);
    if (p == null) {
      return List.of();
    }
    synchronized (p) {
      List<RunRecord> out = new ArrayList<>(p.order.size());
      for (String id : p.order) {
        out.add(p.runs.get(id).run);
      }
      return out;
    }
  }

  @Override
  public List<TaskRecord> tasks(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    return d == null ? List.of() : Arrays.asList(d.tasks.clone());
  }

  @Override
  public Optional<TaskRecord> task(String project, String runId, String taskId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    int i = d == null ? -1 : d.index().position(taskId);
    return i < 0 ? Optional.empty() : Optional.of(d.tasks[i]);
  }

  @Override
  public List<Event> events(String project, String runId) {
    ProjectData p = projects.get(project);
    if (p == null) {
      return List.of();
    }
    List<Event> out = new ArrayList<>();
    synchronized (p.events) {
      for (Event e : p.events) {
        if (e.runId().equals(runId)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>From the newest events this store keeps: when {@code sequence} was dropped already, from the oldest kept.
   */
  @Override
  public List<StoredEvent> eventsAfter(long sequence, int max) {
    checkStreamRead(sequence, max);
    return stream.after(sequence, max);
  }

  @Override
  public long lastEventSequence() {
    return stream.last();
  }

  private static void checkStreamRead(long sequence, int max) {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0 (was " + sequence + "): start from 0 for the "
          + "oldest event kept, or from lastEventSequence() for new ones");
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
  }

  private RunData requireRun(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    if (d == null) {
      throw new IllegalArgumentException("project " + project + " has no run " + runId);
    }
    return d;
  }

  // ------------------------------------------------------------------ claims (ClaimStore)

  /** Guards every run's {@link ClaimState} and the accounts, and makes each claim-protocol call atomic. */
  private final Object claimLock = new Object();
  /** Guarded by claimLock: [spent, reserved] per account. */
  private final Map<Account, BigDecimal[]> accounts = new HashMap<>();
  /** Guarded by claimLock: the order of enqueueing, to settle ties of equal instants. */
  private long enqueueSeq;

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the run, a task or a dependency is unknown
   */
  @Override
  public void enqueue(String project, String runId, Map<String, List<String>> dependsOn) {
    RunData d = requireRun(project, runId);
    synchronized (claimLock) {
      for (Map.Entry<String, List<String>> e : dependsOn.entrySet()) {
        if (d.index().position(e.getKey()) < 0) {
          throw new IllegalArgumentException("run " + project + "/" + runId + " has no task '" + e.getKey()
              + "': enqueue only the tasks created with the run");
        }
        for (String dep : e.getValue()) {
          if (d.index().position(dep) < 0) {
            throw new IllegalArgumentException("task '" + e.getKey() + "' depends on '" + dep + "', which is not a "
                + "task of run " + project + "/" + runId + ": fix the dependency");
          }
        }
      }
      int n = d.tasks.length;
      ClaimState cs = new ClaimState(n);
      List<List<Integer>> dependants = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        dependants.add(new ArrayList<>());
      }
      for (Map.Entry<String, List<String>> e : dependsOn.entrySet()) {
        int t = d.index().position(e.getKey());
        for (String dep : new java.util.LinkedHashSet<>(e.getValue())) {
          dependants.get(d.index().position(dep)).add(t);
          cs.pending[t]++;
        }
      }
      for (int i = 0; i < n; i++) {
        cs.dependants[i] = dependants.get(i).stream().mapToInt(Integer::intValue).toArray();
      }
      d.claims = cs;
      Instant now = clock.instant();
      for (int i = 0; i < n; i++) {
        if (d.tasks[i].state() == TaskState.BLOCKED && cs.pending[i] == 0) {
          d.tasks[i] = d.tasks[i].moveTo(TaskState.READY, d.tasks[i].updatedAt());
          cs.ready(i, now, enqueueSeq++);
        }
      }
    }
  }

  /** {@inheritDoc} Leases and waiting times come from this store's clock. */
  @Override
  public List<Claim> claim(String worker, int max, Duration lease, Duration boost) {
    Objects.requireNonNull(worker, "worker");
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    if (lease.isNegative()) {
      throw new IllegalArgumentException("lease must be >= 0 (was " + lease + "): give workers time to heartbeat");
    }
    if (boost.isNegative() || boost.isZero()) {
      throw new IllegalArgumentException("boost must be positive (was " + boost + "): the default is 24 hours");
    }
    synchronized (claimLock) {
      Instant now = clock.instant();
      List<long[]> ready = new ArrayList<>(); // effective lane, enqueued nanos, seq
      List<RunData> owners = new ArrayList<>();
      List<Integer> slots = new ArrayList<>();
      for (ProjectData p : projects.values()) {
        for (RunData d : p.runs.values()) {
          ClaimState cs = d.claims;
          if (cs == null || !live(d)) {
            continue;
          }
          for (int i = 0; i < d.tasks.length; i++) {
            TaskRecord t = d.tasks[i];
            if (t.state() != TaskState.READY || t.cancellation() != null || cs.enqueuedAt[i] == null) {
              continue;
            }
            long waited = Duration.between(cs.enqueuedAt[i], now).toNanos();
            long effective = Math.max(0, t.lane().ordinal() - Math.max(0, waited) / Math.max(1, boost.toNanos()));
            Instant e = cs.enqueuedAt[i];
            ready.add(new long[] {effective, e.getEpochSecond(), e.getNano(), cs.seq[i], ready.size()});
            owners.add(d);
            slots.add(i);
          }
        }
      }
      ready.sort(java.util.Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1])
          .thenComparingLong(a -> a[2]).thenComparingLong(a -> a[3]));
      List<Claim> out = new ArrayList<>();
      for (int k = 0; k < ready.size() && out.size() < max; k++) {
        int at = (int) ready.get(k)[4];
        RunData d = owners.get(at);
        int i = slots.get(at);
        ClaimState cs = d.claims;
        d.tasks[i] = d.tasks[i].moveTo(TaskState.RUNNING, d.tasks[i].updatedAt());
        cs.fence[i]++;
        cs.attempts[i]++;
        cs.owner[i] = worker;
        cs.leaseUntil[i] = now.plus(lease);
        cs.enqueuedAt[i] = null;
        TaskRecord t = d.tasks[i];
        out.add(Claim.builder().project(t.project()).runId(t.runId()).taskId(t.taskId()).fence(cs.fence[i])
            .attempt(cs.attempts[i]).leaseUntil(cs.leaseUntil[i]).build());
      }
      return out;
    }
  }

  @Override
  public List<Claim> heartbeat(String worker, List<Claim> held, Duration lease) {
    if (lease.isNegative()) {
      throw new IllegalArgumentException("lease must be >= 0 (was " + lease + "): give workers time to heartbeat");
    }
    synchronized (claimLock) {
      Instant now = clock.instant();
      List<Claim> lost = new ArrayList<>();
      for (Claim c : held) {
        RunData d = runOrNull(c.project(), c.runId());
        Integer i = d == null ? null : d.index().find(c.taskId());
        ClaimState cs = d == null ? null : d.claims;
        if (i == null || cs == null || !live(d) || d.tasks[i].state() != TaskState.RUNNING
            || d.tasks[i].cancellation() != null || cs.fence[i] != c.fence() || !worker.equals(cs.owner[i])) {
          lost.add(c);
        } else {
          cs.leaseUntil[i] = now.plus(lease);
        }
      }
      return lost;
    }
  }

  @Override
  public boolean finish(Claim claim, TaskRecord record, @Nullable Instant retryAt, List<Account> accounts,
      BigDecimal reserved, BigDecimal actual) {
    claim.checkFinish(record, retryAt);
    TaskState to = record.state();
    synchronized (claimLock) {
      RunData d = runOrNull(claim.project(), claim.runId());
      Integer idx = d == null ? null : d.index().find(claim.taskId());
      ClaimState cs = d == null ? null : d.claims;
      if (idx == null || cs == null || d.tasks[idx].state() != TaskState.RUNNING || cs.fence[idx] != claim.fence()) {
        return false;
      }
      int i = idx;
      d.tasks[i] = record;
      cs.owner[i] = null;
      cs.leaseUntil[i] = null;
      cs.retryAt[i] = to == TaskState.RETRY_WAIT ? retryAt : null;
      if (to == TaskState.SUCCEEDED) {
        Instant now = clock.instant();
        for (int dep : cs.dependants[i]) {
          if (--cs.pending[dep] <= 0 && d.tasks[dep].state() == TaskState.BLOCKED) {
            d.tasks[dep] = d.tasks[dep].moveTo(TaskState.READY, d.tasks[dep].updatedAt());
            cs.ready(dep, now, enqueueSeq++);
          }
        }
      } else if (to == TaskState.FAILED || to == TaskState.CANCELLED) {
        ArrayDeque<Integer> frontier = new ArrayDeque<>();
        frontier.add(i);
        while (!frontier.isEmpty()) {
          for (int dep : cs.dependants[frontier.poll()]) {
            if (d.tasks[dep].state() == TaskState.BLOCKED) {
              d.tasks[dep] = d.tasks[dep].moveTo(TaskState.SKIPPED, record.updatedAt());
              frontier.add(dep);
            }
          }
        }
      }
      if (to.isTerminal()) {
        boolean cancelled = d.run.cancellation() != null;
        boolean failed = false;
        boolean open = false;
        for (TaskRecord t : d.tasks) {
          TaskState s = t.state();
          open |= !s.isTerminal();
          cancelled |= s == TaskState.CANCELLED;
          failed |= s == TaskState.FAILED || s == TaskState.SKIPPED;
        }
        if (!open) {
          RunRecord r = d.run;
          if (r.status() == RunStatus.RUNNING) {
            d.run = r.withStatus(cancelled ? RunStatus.CANCELLED : failed ? RunStatus.FAILED : RunStatus.SUCCEEDED,
                record.updatedAt());
          } else if (r.finishedAt() == null) {
            d.run = r.withStatus(r.status(), record.updatedAt());
          }
        }
      }
      if (reserved.signum() != 0 || actual.signum() != 0) {
        for (Account a : accounts) {
          BigDecimal[] acc = this.accounts.computeIfAbsent(a, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
          acc[0] = acc[0].add(actual);
          acc[1] = acc[1].subtract(reserved).max(BigDecimal.ZERO);
        }
      }
      return true;
    }
  }

  /** {@inheritDoc} Leases and retry times are compared with this store's clock. */
  @Override
  public int sweep() {
    synchronized (claimLock) {
      Instant now = clock.instant();
      int moved = 0;
      for (ProjectData p : projects.values()) {
        for (RunData d : p.runs.values()) {
          ClaimState cs = d.claims;
          if (cs == null || !live(d)) {
            continue;
          }
          for (int i = 0; i < d.tasks.length; i++) {
            TaskRecord t = d.tasks[i];
            if (t.cancellation() != null) {
              continue;
            }
            boolean expired = t.state() == TaskState.RUNNING && cs.leaseUntil[i] != null
                && !cs.leaseUntil[i].isAfter(now);
            boolean due = t.state() == TaskState.RETRY_WAIT && cs.retryAt[i] != null && !cs.retryAt[i].isAfter(now);
            if (expired || due) {
              d.tasks[i] = t.moveTo(TaskState.READY, t.updatedAt());
              if (expired) {
                cs.fence[i]++;
              }
              cs.owner[i] = null;
              cs.leaseUntil[i] = null;
              cs.retryAt[i] = null;
              cs.ready(i, now, enqueueSeq++);
              moved++;
            }
          }
        }
      }
      return moved;
    }
  }

  @Override
  public @Nullable BudgetScope reserve(List<Account> accounts, BigDecimal amount,
      @Nullable BigDecimal implicitTaskLimit) {
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must be >= 0 (was " + amount.toPlainString() + ")");
    }
    synchronized (claimLock) {
      for (Account a : accounts) {
        Budget b = budgets.get(a.scope());
        BigDecimal limit = b != null ? b.limit().amount()
            : a.scope().kind() == BudgetScope.Kind.TASK ? implicitTaskLimit : null;
        BigDecimal[] acc = this.accounts.get(a);
        BigDecimal used = acc == null ? BigDecimal.ZERO : acc[0].add(acc[1]);
        if (limit != null && used.add(amount).compareTo(limit) > 0) {
          return a.scope();
        }
      }
      for (Account a : accounts) {
        BigDecimal[] acc = this.accounts.computeIfAbsent(a, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        acc[1] = acc[1].add(amount);
      }
      return null;
    }
  }

  @Override
  public BigDecimal spent(Account account) {
    synchronized (claimLock) {
      BigDecimal[] acc = accounts.get(account);
      return acc == null ? BigDecimal.ZERO : acc[0];
    }
  }

  private static boolean live(RunData d) {
    return d.run.status() == RunStatus.RUNNING && d.run.cancellation() == null;
  }

  private @Nullable RunData runOrNull(String project, String runId) {
    ProjectData p = projects.get(project);
    return p == null ? null : p.runs.get(runId);
  }

  /** What the claim protocol keeps per task of an enqueued run; guarded by claimLock. */
  private static final class ClaimState {
    final int[] pending;
    final int[][] dependants;
    final long[] fence;
    final int[] attempts;
    final @Nullable String[] owner;
    final @Nullable Instant[] leaseUntil;
    final @Nullable Instant[] retryAt;
    final @Nullable Instant[] enqueuedAt;
    final long[] seq;

    ClaimState(int n) {
      pending = new int[n];
      dependants = new int[n][];
      fence = new long[n];
      attempts = new int[n];
      owner = new String[n];
      leaseUntil = new Instant[n];
      retryAt = new Instant[n];
      enqueuedAt = new Instant[n];
      seq = new long[n];
    }

    void ready(int i, Instant now, long order) {
      enqueuedAt[i] = now;
      seq[i] = order;
    }
  }

  // ------------------------------------------------------------------ run leases, ledger, pauses

  @Override
  public boolean leasesRuns() {
    return true;
  }

  /** {@inheritDoc} Leases are read from this store's clock. */
  @Override
  public @Nullable RunLease createRun(RunRecord run, String definition, List<TaskRecord> tasks,
      @Nullable String owner, Duration lease) {
    checkLease(lease);
    if (run.status() != RunStatus.RUNNING) {
      throw new IllegalArgumentException("a new run must be RUNNING (was " + run.status() + ")");
    }
    Objects.requireNonNull(definition, "definition");
    return createRun(run, () -> definition, tasks, owner, lease);
  }

  /**
   * {@inheritDoc} The definition is kept as given and written out only when {@link #definition} is read.
   */
  @Override
  public @Nullable RunLease createRun(RunRecord run, Supplier<String> definition, List<TaskRecord> tasks,
      @Nullable String owner, Duration lease) {
    Objects.requireNonNull(definition, "definition");
    checkLease(lease);
    if (run.status() != RunStatus.RUNNING) {
      throw new IllegalArgumentException("a new run must be RUNNING (was " + run.status() + ")");
    }
    createRun(run, definition, tasks);
    return owner == null ? null : leases.hold(run.project(), run.id(), owner, lease);
  }

  @Override
  public List<RunLease> claimRuns(String owner, int max, Duration lease) {
    Objects.requireNonNull(owner, "owner");
    checkLease(lease);
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    return leases.claim(owner, max, lease, ledger::releaseRun);
  }

  @Override
  public List<RunLease> renewRuns(String owner, Collection<RunLease> held, Duration lease) {
    checkLease(lease);
    return leases.renew(owner, held, lease);
  }

  @Override
  public void releaseRun(RunLease lease) {
    leases.release(lease);
  }

  @Override
  public Optional<RunLease> acquireRun(String project, String runId, String owner, Duration lease) {
    checkLease(lease);
    RunData d = runOrNull(project, runId);
    if (d == null) {
      return Optional.empty();
    }
    synchronized (d) {
      RunRecord r = d.run;
      if (r.status() != RunStatus.RUNNING) {
        d.run = r.withStatus(RunStatus.RUNNING, null).withCancellation(null);
        leases.statusChanged(project, runId, true);
      }
    }
    return leases.acquire(project, runId, owner, lease, ledger::releaseRun);
  }

  @Override
  public boolean updateTask(RunLease lease, TaskRecord task, int position) {
    if (!lease.runId().equals(task.runId()) || !lease.project().equals(task.project())) {
      return leases.fenced(lease, () -> updateTask(task, position));
    }
    // The engine's hot path: the run's lease state is kept beside it, so a write takes no store-wide monitor.
    RunData data = lastWritten;
    if (data == null || !data.id.equals(task.runId()) || !data.project.equals(task.project())) {
      data = requireRun(task.project(), task.runId());
      lastWritten = data;
    }
    InMemoryLeases.State s = data.leaseState(leases);
    if (s == null) {
      return false;
    }
    synchronized (s) {
      if (!InMemoryLeases.holds(s, lease)) {
        return false;
      }
      data.put(task, position);
      return true;
    }
  }

  @Override
  public boolean updateRun(RunLease lease, RunRecord run) {
    // The lease is checked under its monitor, and the status change takes the leases' monitor after it: never the
    // other way round, so the two cannot deadlock.
    RunData d = requireRun(run.project(), run.id());
    RunStatus[] before = new RunStatus[1];
    boolean held = leases.fenced(lease, () -> {
      before[0] = d.run.status();
      d.run = run;
    });
    if (held && before[0] != run.status()) {
      leases.statusChanged(run.project(), run.id(), run.status() == RunStatus.RUNNING);
    }
    return held;
  }

  @Override
  public Optional<RunLease> lease(String project, String runId) {
    return leases.lease(project, runId);
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  /** The agent processes of runs, by host, pid and start time. */
  private final Map<String, dev.orchestrator.spi.store.AgentProcess> agentProcesses = new ConcurrentHashMap<>();

  private static String key(dev.orchestrator.spi.store.AgentProcess p) {
    return p.host() + "/" + p.pid() + "/" + p.processStart();
  }

  @Override
  public void saveAgentProcess(dev.orchestrator.spi.store.AgentProcess process) {
    agentProcesses.put(key(process), process);
  }

  @Override
  public void deleteAgentProcess(dev.orchestrator.spi.store.AgentProcess process) {
    agentProcesses.remove(key(process));
  }

  @Override
  public List<dev.orchestrator.spi.store.AgentProcess> agentProcesses(String project, String runId) {
    return agentProcesses.values().stream().filter(p -> p.project().equals(project) && p.runId().equals(runId))
        .toList();
  }

  @Override
  public void savePause(Pause pause) {
    pauses.put(List.of(pause.kind(), pause.name()), pause);
  }

  @Override
  public boolean deletePause(Pause.Kind kind, String name) {
    String n = kind == Pause.Kind.PROVIDER ? name.toLowerCase(java.util.Locale.ROOT) : name;
    return pauses.remove(List.of(kind, n)) != null;
  }

  @Override
  public List<Pause> pauses() {
    List<Pause> out = new ArrayList<>(pauses.values());
    out.sort(java.util.Comparator.comparing(Pause::kind).thenComparing(Pause::name));
    return out;
  }

  @Override
  public List<dev.orchestrator.spi.store.Command> takeCommands(String owner) {
    Objects.requireNonNull(owner, "owner");
    List<dev.orchestrator.spi.store.Command> out = new ArrayList<>();
    synchronized (commands) {
      for (java.util.Iterator<dev.orchestrator.spi.store.Command> it = commands.iterator(); it.hasNext(); ) {
        dev.orchestrator.spi.store.Command c = it.next();
        if (c.runId() != null && leases.heldBy(owner, c.project(), c.runId())) {
          it.remove();
          out.add(c);
        }
      }
    }
    return out;
  }

  private static void checkLease(Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive (was " + lease + "): give engines time to renew it");
    }
  }

  /** Created on first use; its leases and due times read this store's clock. */
  private volatile dev.orchestrator.core.internal.@Nullable InMemoryOutbox outbox;

  /** {@inheritDoc} In memory, on this store's clock, lost with the process. */
  @Override
  public dev.orchestrator.spi.store.Outbox outbox() {
    dev.orchestrator.core.internal.InMemoryOutbox o = outbox;
    if (o == null) {
      synchronized (this) {
        o = outbox;
        if (o == null) {
          o = new dev.orchestrator.core.internal.InMemoryOutbox(clock);
          outbox = o;
        }
      }
    }
    return o;
  }

  /** {@inheritDoc} In memory, lost with the process; shared by every engine using this store instance. */
  @Override
  public dev.orchestrator.spi.store.ProviderHealth providerHealth() {
    return providerHealth;
  }

  @Override
  public String toString() {
    return "InMemoryStore[projects=" + projects.keySet() + "]";
  }

  private static final class ProjectData {
    volatile @Nullable Project project;
    final ConcurrentHashMap<String, RunData> runs = new ConcurrentHashMap<>();
    /** Guarded by the Project's monitor. */
    final List<String> order = new ArrayList<>();
    /** Guarded by its own monitor. */
    final ArrayDeque<Event> events = new ArrayDeque<>();

    ProjectData(@Nullable Project project) {
      this.project = project;
    }
  }

  private static final class RunData {
    final String project;
    final String id;
    volatile RunRecord run;
    /** Writes the workflow definition; kept unwritten until it is read, since most runs never need it. */
    final Supplier<String> definition;
    /** Each slot is written by one thread at a time (the engine's) and read by any: a racy read sees a whole record. */
    final TaskRecord[] tasks;
    /** Task id to position, built on the first lookup by id: the engine updates by position. */
    private volatile @Nullable TaskIndex index;
    /** Set when the run is enqueued for workers; guarded by the store's claimLock. */
    @Nullable ClaimState claims;
    private volatile InMemoryLeases.@Nullable State leaseState;

    RunData(RunRecord run, Supplier<String> definition, TaskRecord[] tasks) {
      this.project = run.project();
      this.id = run.id();
      this.run = run;
      this.definition = definition;
      this.tasks = tasks;
    }

    /** Replaces a task's record, found at {@code position} when that is its place, else by id. */
    void put(TaskRecord task, int position) {
      if (position >= 0 && position < tasks.length && tasks[position].taskId().equals(task.taskId())) {
        tasks[position] = task;
        return;
      }
      int i = index().position(task.taskId());
      if (i < 0) {
        throw new IllegalArgumentException("run " + task.runId() + " has no task '" + task.taskId() + "'");
      }
      tasks[i] = task;
    }

    /** The run's lease state, looked up once it exists (it never changes after). */
    InMemoryLeases.@Nullable State leaseState(InMemoryLeases leases) {
      InMemoryLeases.State s = leaseState;
      if (s == null) {
        s = leases.state(run.project(), run.id());
        leaseState = s;
      }
      return s;
    }

    TaskIndex index() {
      TaskIndex i = index;
      if (i == null) {
        synchronized (this) {
          i = index;
          if (i == null) {
            i = TaskIndex.of(tasks, run.id());
            index = i;
          }
        }
      }
      return i;
    }
  }

  /**
   * The positions of a run's tasks by id: open addressing over a power-of-two table of positions + 1 (0 is empty),
   * the keys read from the tasks themselves (a position's task id never changes). About 8 bytes a task, where a
   * {@code HashMap<String, Integer>} takes 56.
   */
  private static final class TaskIndex {
    private final TaskRecord[] tasks;
    private final int[] table;

    private TaskIndex(TaskRecord[] tasks, int[] table) {
      this.tasks = tasks;
      this.table = table;
    }

    /** @throws IllegalArgumentException when an id appears twice */
    static TaskIndex of(TaskRecord[] tasks, String runId) {
      int capacity = Integer.highestOneBit(Math.max(2, tasks.length * 2 - 1)) << 1;
      int[] table = new int[capacity];
      int mask = capacity - 1;
      for (int t = 0; t < tasks.length; t++) {
        String id = tasks[t].taskId();
        int slot = spread(id.hashCode()) & mask;
        while (table[slot] != 0) {
          if (tasks[table[slot] - 1].taskId().equals(id)) {
            throw new IllegalArgumentException("task id '" + id + "' appears twice in run " + runId);
          }
          slot = (slot + 1) & mask;
        }
        table[slot] = t + 1;
      }
      return new TaskIndex(tasks, table);
    }

    /** The task's position, or -1. */
    int position(String taskId) {
      int mask = table.length - 1;
      int slot = spread(taskId.hashCode()) & mask;
      int at;
      while ((at = table[slot]) != 0) {
        if (tasks[at - 1].taskId().equals(taskId)) {
          return at - 1;
        }
        slot = (slot + 1) & mask;
      }
      return -1;
    }

    @Nullable Integer find(String taskId) {
      int at = position(taskId);
      return at < 0 ? null : at;
    }

    private static int spread(int h) {
      return h ^ (h >>> 16);
    }
  }
}
