package io.canvasflow.tools.bench;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.JsonOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.cli.options.OverrideOptions;
import io.canvasflow.clients.GracefulStop;
import io.canvasflow.tools.common.BenchRun;
import io.canvasflow.tools.common.StartChecks;
import io.canvasflow.tools.replay.ReplacedSettings;
import io.canvasflow.tools.replay.ReplayMode;
import io.canvasflow.topology.CanvasFlowConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * What the benchmarks through Kafka ({@code bench pipeline}, {@code soak} and {@code scale}) share:
 * the Kafka connection, the model, the JSON file and the {@code -D} settings, and one way to start:
 * refuse a bad model or setting and an unreachable broker before anything runs, then run the body
 * with {@link BenchRun}'s exit codes, stopping it cleanly on Ctrl-C or SIGTERM.
 */
abstract class KafkaBenchCommand extends BaseCommand {

    /**
     * How long a stopped benchmark may take to stop its children (each gets 30 s to exit cleanly
     * before a kill) and delete its folders.
     */
    private static final Duration GRACE = Duration.ofSeconds(90);

    @Mixin KafkaOptions kafkaOptions;

    @Mixin ModelOptions modelOptions;

    @Mixin JsonOptions jsonOptions;

    @Mixin OverrideOptions overrideOptions;

    /**
     * Checks the model, the settings and the broker, then runs the benchmark.
     *
     * @param command the command's name, for messages: {@code canvasflow bench soak}
     * @param body the benchmark
     * @return the body's exit code, or {@link BenchRun}'s for a failure
     */
    final int checkAndRun(String command, BenchRun.Body body) {
        return checkAndRun(command, List.of(), body);
    }

    /**
     * Checks the model and the settings; says which of the variables serve reads ({@code
     * CANVASFLOW_*}) the runs are not given, and, as replay does, which of the modes' settings a
     * variable sets that the runs replace; checks the broker; then runs the benchmark.
     *
     * @param command the command's name, for messages: {@code canvasflow bench pipeline}
     * @param modes the modes the runs set the settings of
     * @param body the benchmark
     * @return the body's exit code, or {@link BenchRun}'s for a failure
     */
    final int checkAndRun(String command, List<ReplayMode> modes, BenchRun.Body body) {
        Map<String, String> environment = runEnvironment();
        refuseIf(
                StartChecks.benchmarkProblem(
                        modelOptions.model(), overrideOptions.overrides(), environment));
        ReplacedSettings.say(
                command, ReplacedSettings.notPassedOn(System.getenv(), environment), err());
        if (!modes.isEmpty()) {
            // the settings built above without a problem (benchmarkProblem), so this builds too
            CanvasFlowConfig config =
                    CanvasFlowConfig.builder()
                            .optEnvironment(environment)
                            .opt(overrideOptions.overrides())
                            .build();
            ReplacedSettings.say(command, ReplacedSettings.byModes(config, modes), err());
        }
        requireReachable(kafkaOptions);
        // On Ctrl-C or SIGTERM: interrupt the benchmark, so that it stops its child JVMs (broker,
        // serve) cleanly, which delete their data folders, and deletes its own temporary folders
        // before this JVM goes; a child left running would hold its ports, cores and gigabytes.
        Thread benchmark = Thread.currentThread();
        try (GracefulStop stop =
                new GracefulStop(command + " shutdown", benchmark::interrupt, GRACE)) {
            return BenchRun.exitCode(command, jsonOptions.json(), out(), err(), body);
        }
    }

    /**
     * The environment the runs read their settings from: this JVM's, where they run in it.
     *
     * @return the variables by name
     */
    Map<String, String> runEnvironment() {
        return System.getenv();
    }
}
