package io.canvasflow.tools.replay;

import io.canvasflow.tools.common.CpuUse;
import java.util.List;

/**
 * What one mode's run produced, before evaluation.
 *
 * @param mode the mode
 * @param modelVersion the version of the model it ran
 * @param streamThreads Kafka Streams threads
 * @param fed records copied into the run's input topic
 * @param masks the masks of those records, in arrival order
 * @param deadLetters records the topology dead-lettered
 * @param duplicates frames the topology dropped as duplicates
 * @param complete whether every fed record was accounted for before the idle timeout
 * @param fps frames per second while draining the backlog, from the first mask readable to the last
 * @param latencyFrames frames of the paced latency probe
 * @param latencyRate the probe's publishing rate, frames per second
 * @param latencyMs per probe frame: sent to its mask readable by a read_committed consumer
 * @param loadAverage the machine's one-minute load average when the run ended, NaN if unknown
 * @param drainCpu where the processor time went while the backlog drained
 */
public record ModeOutcome(
        ReplayMode mode,
        String modelVersion,
        int streamThreads,
        long fed,
        List<MaskCollector.Received> masks,
        long deadLetters,
        long duplicates,
        boolean complete,
        double fps,
        int latencyFrames,
        double latencyRate,
        List<Double> latencyMs,
        double loadAverage,
        CpuUse.Usage drainCpu) {}
