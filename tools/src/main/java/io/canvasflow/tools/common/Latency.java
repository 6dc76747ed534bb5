package io.canvasflow.tools.common;

/**
 * A latency probe's figures: frames published at a fixed rate, each timed from send to its mask
 * readable by a read_committed consumer. NaN where no probe ran.
 *
 * @param frames frames of the probe
 * @param rateFps the probe's rate, frames per second
 * @param p50Ms median latency
 * @param p99Ms 99th percentile latency
 */
public record Latency(int frames, double rateFps, double p50Ms, double p99Ms) {

    /** No probe. */
    public static Latency none() {
        return new Latency(0, Double.NaN, Double.NaN, Double.NaN);
    }
}
