package io.canvasflow.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --cameras N} and {@code --partitions N}: the synthetic cameras a benchmark publishes and
 * the partitions of its frames topic.
 */
public final class CameraLoadOptions {

    @Option(
            names = "--cameras",
            defaultValue = "4",
            description = "Synthetic cameras (default ${DEFAULT-VALUE}).")
    private int cameras;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Partitions of the frames topic (default ${DEFAULT-VALUE}).")
    private int partitions;

    /**
     * The synthetic cameras.
     *
     * @return how many, four unless given
     */
    public int cameras() {
        return cameras;
    }

    /**
     * The frames topic's partitions.
     *
     * @return how many, four unless given
     */
    public int partitions() {
        return partitions;
    }
}
