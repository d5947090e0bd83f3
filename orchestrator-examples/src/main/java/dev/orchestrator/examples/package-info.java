/** Runnable example programs; each has a {@code main}. */
@NullMarked
package dev.orchestrator.examples;

import org.jspecify.annotations.NullMarked;
