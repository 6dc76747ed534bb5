package io.canvasflow.tools.common;

/**
 * The latency probe run after a mode's throughput run: frames published at a share of the measured
 * rate, each timed from send to its mask readable.
 *
 * @param frames frames of the probe, 0 for none
 * @param load the probe's rate as a share of the measured rate
 */
public record LatencyProbe(int frames, double load) {}
