package io.canvasflow.tools.bench;

import picocli.CommandLine.Command;

/** {@code canvasflow bench}: benchmark commands that print figures as a table and JSON. */
@Command(
        name = "bench",
        description =
                "Benchmarks: model (the network alone), pipeline (through Kafka), soak (long run),"
                        + " scale (cameras, restore, take-over).",
        subcommands = {
            ModelBenchCommand.class,
            PipelineBenchCommand.class,
            SoakCommand.class,
            ScaleBenchCommand.class
        })
public final class BenchCommand {}
