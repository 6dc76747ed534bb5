package io.canvasflow.tools.replay;

import io.canvasflow.tools.common.CpuUse;
import io.canvasflow.tools.common.Latency;
import java.util.Collections;
import java.util.LinkedHashMap;
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
     * The backlog's drain, every figure over one span: from the stream threads running (the backlog
     * in place) to the last mask readable, or to the idle timeout for an incomplete run.
     *
     * @param fps frames segmented per second over the span
     * @param cpu where the processor time went over the same span
     * @param loadAverage the machine's one-minute load average when the run ended, NaN if unknown
     * @param stagesMs where the stream threads' time went over the same span, milliseconds per
     *     frame ({@link StageTimes#perFrameMs})
     */
    public record Drain(
            double fps, CpuUse.Usage cpu, double loadAverage, Map<String, Double> stagesMs) {

        /** Copies the stages. */
        public Drain {
            stagesMs = Collections.unmodifiableMap(new LinkedHashMap<>(stagesMs));
        }

        /**
         * The drain's figures from snapshots taken at the two ends of its span.
         *
         * @param cpu the processor time between the two ends; its wall time is the span
         * @param stagesStart the stage timers at the start
         * @param stagesEnd the stage timers at the end
         * @param frames the masks that became readable in the span: every frame segmented
         * @param streamThreads the stream threads, whose wall time the stage rows add up to
         * @param loadAverage the machine's load average at the end
         * @return the figures; frames/s NaN and no stages when no frame or no time passed
         */
        public static Drain over(
                CpuUse.Usage cpu,
                StageTimes stagesStart,
                StageTimes stagesEnd,
                long frames,
                int streamThreads,
                double loadAverage) {
            if (frames <= 0 || !(cpu.wallMs() > 0)) {
                return new Drain(Double.NaN, cpu, loadAverage, Map.of());
            }
            return new Drain(
                    frames * 1000.0 / cpu.wallMs(),
                    cpu,
                    loadAverage,
                    stagesEnd.perFrameMs(stagesStart, streamThreads * cpu.wallMs() / frames));
        }
    }

    /**
     * The paced latency probe.
     *
     * @param frames frames the probe was to time (0: none ran)
     * @param rate its publishing rate, frames per second
     * @param latencyMs per probe mask that arrived: sent to readable by a read_committed consumer;
     *     fewer than {@code frames} when the probe is incomplete
     */
    public record Probe(int frames, double rate, List<Double> latencyMs) {

        /** Copies the latencies. */
        public Probe {
            latencyMs = List.copyOf(latencyMs);
        }

        /** The figures: percentiles, and how many masks arrived. */
        public Latency latency() {
            return frames == 0 ? Latency.none() : Latency.of(frames, rate, latencyMs);
        }
    }
}
