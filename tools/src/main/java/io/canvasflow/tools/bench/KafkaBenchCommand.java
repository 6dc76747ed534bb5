package io.canvasflow.tools.bench;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.JsonOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.cli.options.OverrideOptions;
import io.canvasflow.tools.common.BenchRun;
import io.canvasflow.tools.common.StartChecks;
import picocli.CommandLine.Mixin;

/**
 * What the benchmarks through Kafka ({@code bench pipeline}, {@code soak} and {@code scale}) share:
 * the Kafka connection, the model, the JSON file and the {@code -D} settings, and one way to start:
 * refuse a bad model or setting and an unreachable broker before anything runs, then run the body
 * with {@link BenchRun}'s exit codes.
 */
abstract class KafkaBenchCommand extends BaseCommand {

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
        refuseIf(StartChecks.benchmarkProblem(modelOptions.model(), overrideOptions.overrides()));
        requireReachable(kafkaOptions);
        return BenchRun.exitCode(command, jsonOptions.json(), out(), err(), body);
    }
}
