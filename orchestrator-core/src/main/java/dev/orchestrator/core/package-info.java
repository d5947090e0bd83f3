/**
 * The engine, for application developers: build an {@link dev.orchestrator.core.Orchestrator}, register providers
 * and listeners, submit workflows, and steer runs. {@link dev.orchestrator.core.InMemoryStore} is the default store.
 */
@NullMarked
package dev.orchestrator.core;

import org.jspecify.annotations.NullMarked;
