/**
 * The public types of Orchestrator and every service-provider interface (SPI) its plugins implement. Everything
 * exported here is kept compatible across minor versions; the implementation modules' {@code internal} packages are
 * not part of it. Plugins are found by {@link java.util.ServiceLoader}, on the class path or the module path.
 */
module dev.orchestrator.api {
  requires static transitive org.jspecify;

  exports dev.orchestrator;
  exports dev.orchestrator.budget;
  exports dev.orchestrator.event;
  exports dev.orchestrator.learn;
  exports dev.orchestrator.policy;
  exports dev.orchestrator.project;
  exports dev.orchestrator.report;
  exports dev.orchestrator.run;
  exports dev.orchestrator.schedule;
  exports dev.orchestrator.spi;
  exports dev.orchestrator.spi.guard;
  exports dev.orchestrator.spi.notifier;
  exports dev.orchestrator.spi.provider;
  exports dev.orchestrator.spi.store;
  exports dev.orchestrator.workflow;
}
