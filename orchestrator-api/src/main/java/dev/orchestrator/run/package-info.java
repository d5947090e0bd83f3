/**
 * Runs as application developers observe and steer them: the {@link dev.orchestrator.run.Run} handle, task states
 * and their transition table, and the immutable records of runs, tasks, attempts and questions.
 */
@NullMarked
package dev.orchestrator.run;

import org.jspecify.annotations.NullMarked;
