package io.canvasflow.tools.replay;

import io.canvasflow.tools.common.CpuUse;
import java.util.List;
import java.util.Map;

/**
 * What one mode's run produced, before evaluation.
 *
 * @param mode the mode
 * @param modelVersion the version of the model it ran
 * @param streamThreads Kafka Streams threads
 * @param masks the masks of the records fed, in arrival order
 * @param accounting where every fed record went
 * @param drain how fast the backlog drained
 * @param probe the paced latency probe after the drain
 */
public record ModeOutcome(
        ReplayMode mode,
        String modelVersion,
        int streamThreads,
        List<MaskCollector.Received> masks,
        Accounting accounting,
        Drain drain,
        Probe probe) {

    /**
     * Where the records fed to a run went.
     *
     * @param fed records copied into the run's input topic
     * @param deadLetters records the topology dead-lettered
     * @param duplicates frames the topology dropped as duplicates
     * @param complete whether every fed record was accounted for before the idle timeout
     */
    public record Accounting(long fed, long deadLetters, long duplicates, boolean complete) {}

    /**
     * The backlog's drain.
     *
     * @param fps frames per second, from the first mask readable to the last
     * @param cpu where the processor time went meanwhile
     * @param loadAverage the machine's one-minute load average when the run ended, NaN if unknown
     * @param stagesMs where the stream threads' time went, milliseconds per frame ({@link
     *     StageTimes#perFrameMs})
     */
    public record Drain(
            double fps, CpuUse.Usage cpu, double loadAverage, Map<String, Double> stagesMs) {

        /** Copies the stages. */
        public Drain {
            stagesMs = Map.copyOf(stagesMs);
        }
    }

    /**
     * The paced latency probe.
     *
     * @param frames frames of the probe
     * @param rate its publishing rate, frames per second
     * @param latencyMs per probe frame: sent to its mask readable by a read_committed consumer
     */
    public record Probe(int frames, double rate, List<Double> latencyMs) {}
}
