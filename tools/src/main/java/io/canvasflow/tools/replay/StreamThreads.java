package io.canvasflow.tools.replay;

import io.canvasflow.tools.common.CorePlacement;

/**
 * The Kafka Streams threads of a replayed run and the cores they start on.
 *
 * @param count stream threads per run
 * @param cores where the topology's threads run: the processor's cores of a pinned benchmark, or
 *     every core
 */
public record StreamThreads(int count, CorePlacement cores) {

    /**
     * Stream threads on whatever cores the process has.
     *
     * @param count stream threads per run
     * @return the threads
     */
    public static StreamThreads anywhere(int count) {
        return new StreamThreads(count, CorePlacement.shared("not pinned"));
    }
}
