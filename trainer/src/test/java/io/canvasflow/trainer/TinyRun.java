package io.canvasflow.trainer;

import java.util.List;

/** What keeps a test's train run tiny: 64x48 crops of 96x72 frames, batches of 2, no checkpoint. */
final class TinyRun {

    /** The options, to put before a test's own. */
    static final List<String> SIZES =
            List.of(
                    "--frame",
                    "96x72",
                    "--crop",
                    "64x48",
                    "--batch",
                    "2",
                    "--checkpoint-every",
                    "0");

    private TinyRun() {}
}
