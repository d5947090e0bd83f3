/**
 * JMH benchmarks and heap checks of the engine, for us: run by hand ({@code docs/benchmarks.md}), never by CI, and
 * not a library. No compatibility promise.
 */
@NullMarked
package dev.orchestrator.bench;

import org.jspecify.annotations.NullMarked;
