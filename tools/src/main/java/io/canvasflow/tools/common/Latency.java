package io.canvasflow.tools.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A latency probe's figures: frames published at a fixed rate, each timed from send to its mask
 * readable by a read_committed consumer. NaN where no probe ran.
 *
 * <p>A probe whose masks did not all arrive before the idle timeout is incomplete: a mask that
 * never came counts as slower than every mask that did, so a percentile is given only where the
 * masks that came decide it (p50 with a few missing), and is NaN where a missing one would be it
 * (p99, as a rule).
 *
 * @param frames frames the probe sent (or was to send)
 * @param received masks of them that arrived
 * @param rateFps the probe's rate, frames per second
 * @param p50Ms median latency
 * @param p99Ms 99th percentile latency
 */
public record Latency(int frames, int received, double rateFps, double p50Ms, double p99Ms) {

    /** No probe. */
    public static Latency none() {
        return new Latency(0, 0, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * The figures of a probe.
     *
     * @param frames frames the probe sent (or was to send)
     * @param rateFps its rate
     * @param latencyMs the latency of each mask that arrived
     * @return the figures
     */
    public static Latency of(int frames, double rateFps, List<Double> latencyMs) {
        List<Double> all = new ArrayList<>(latencyMs);
        all.addAll(Collections.nCopies(Math.max(0, frames - latencyMs.size()), Double.MAX_VALUE));
        return new Latency(
                frames,
                latencyMs.size(),
                rateFps,
                measured(Stats.percentile(all, 50)),
                measured(Stats.percentile(all, 99)));
    }

    /** Whether every frame the probe sent got its mask. */
    public boolean complete() {
        return received >= frames;
    }

    /** One line for a report when the probe is incomplete, else null. */
    public String incompleteLine() {
        return complete()
                ? null
                : String.format(
                        java.util.Locale.ROOT,
                        "latency probe incomplete: %d of %d masks arrived before the idle"
                                + " timeout; a percentile a missing mask would decide is not"
                                + " given",
                        received,
                        frames);
    }

    /**
     * Puts the figures into a report's JSON object beside its other figures, as {@code
     * latencyFrames}, {@code latencyReceived}, {@code latencyComplete}, {@code latencyRateFps},
     * {@code latencyP50Ms} and {@code latencyP99Ms}, in that order; a figure not measured is null.
     *
     * @param json the object, a map that keeps the order its keys are put in
     */
    public void putInto(Map<String, Object> json) {
        json.put("latencyFrames", frames);
        json.put("latencyReceived", received);
        json.put("latencyComplete", complete());
        json.put("latencyRateFps", Stats.finite(rateFps));
        json.put("latencyP50Ms", Stats.finite(p50Ms));
        json.put("latencyP99Ms", Stats.finite(p99Ms));
    }

    private static double measured(double v) {
        return v == Double.MAX_VALUE ? Double.NaN : v;
    }
}
