package io.canvasflow.cli.options;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --idle-timeout}: how long a tool waits for the next mask before it gives up. */
public final class IdleTimeoutOptions {

    @Option(
            names = "--idle-timeout",
            defaultValue = "2m",
            paramLabel = "TIME",
            converter = DurationConverter.Positive.class,
            description =
                    "Give up after this long without a mask, for example 90s, 2m or PT2M"
                            + " (default ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    /**
     * The timeout.
     *
     * @return the timeout, two minutes unless given
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }
}
