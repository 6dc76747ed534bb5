package io.canvasflow.tools.common;

import picocli.CommandLine.Option;

/**
 * {@code --latency-frames N} and {@code --latency-load SHARE}: the paced latency probe that replay
 * and {@code bench pipeline} run after each throughput run.
 */
public final class LatencyProbeOptions {

    @Option(
            names = "--latency-frames",
            paramLabel = "N",
            defaultValue = "100",
            description =
                    "Frames of the paced latency probe after each throughput run; 0 skips it"
                            + " (default ${DEFAULT-VALUE}).")
    private int frames;

    @Option(
            names = {"--latency-load", "--load"},
            paramLabel = "SHARE",
            defaultValue = "0.8",
            description =
                    "The probe's rate as a share of the run's measured frames/s (default"
                            + " ${DEFAULT-VALUE}).")
    private double load;

    /**
     * What is wrong with the values given.
     *
     * @return one sentence naming the option, or null when both are in range
     */
    public String problem() {
        if (frames < 0) {
            return "expected --latency-frames >= 0 but found " + frames;
        }
        if (!(load > 0 && load <= 1)) {
            return "expected --latency-load in (0, 1] but found " + load;
        }
        return null;
    }

    /**
     * The probe as given.
     *
     * @return its frames and load
     */
    public LatencyProbe probe() {
        return new LatencyProbe(frames, load);
    }
}
