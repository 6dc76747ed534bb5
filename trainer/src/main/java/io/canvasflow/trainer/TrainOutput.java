package io.canvasflow.trainer;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code train --output} may replace: a folder that already holds a model or a checkpoint is
 * refused before any training, unless {@code --resume} continues its checkpoint or {@code
 * --overwrite} replaces what it holds (a 1-step run replaced the shipped {@code models/rnn} without
 * a word). {@code --resume} where there is no checkpoint yet starts from the first step, as a
 * retried Job's first attempt does, unless that would replace a model; nor does it continue the
 * checkpoint a finished run kept, unless asked for more steps than that run trained.
 */
final class TrainOutput {

    /** The folder under the output where checkpoints go. */
    static final String CHECKPOINT = "checkpoint";

    /**
     * The file in the checkpoint folder that says the run it belongs to finished, and after how
     * many steps: written with the model, deleted when a later run writes a checkpoint there.
     */
    static final String FINISHED = "finished-run";

    private TrainOutput() {}

    /**
     * Refuses an output folder this run would replace without being asked to.
     *
     * @param output the {@code --output} folder
     * @param init the {@code --init} model folder, or null
     * @param resume whether {@code --resume} was given
     * @param overwrite whether {@code --overwrite} was given
     * @param steps the {@code --steps} of this run
     * @throws IllegalArgumentException one sentence: what the folder holds and what to do
     */
    static void check(Path output, Path init, boolean resume, boolean overwrite, int steps) {
        boolean model = Files.exists(output.resolve(ModelSpec.FILE_NAME));
        boolean checkpoint = hasCheckpoint(output);
        Integer finished = model && checkpoint ? finishedSteps(output) : null;
        if (resume && finished != null && steps <= finished) {
            // with --overwrite too: that resumes a stopped run's checkpoint, never a finished one's
            throw new IllegalArgumentException(
                    "--output "
                            + output
                            + " holds a model of "
                            + finished
                            + " steps, and the checkpoint ("
                            + CHECKPOINT
                            + "/) its run kept, which --resume would train again from and replace"
                            + " the model with; name a new folder, give more --steps than "
                            + finished
                            + " to train on from the checkpoint, or leave out --resume (with"
                            + " --overwrite) to train afresh");
        }
        if (resume && checkpoint && model && !overwrite && finished == null) {
            refuseResumingAFinishedRun(output, steps);
        }
        if (resume && !checkpoint && model && !overwrite) {
            // --resume with no checkpoint starts from step 0 (a retried Job runs the same command
            // every time), but not over a finished model it would then replace
            throw new IllegalArgumentException(
                    "--resume found no checkpoint in --output "
                            + output
                            + " (no "
                            + output.resolve(CHECKPOINT).resolve(ModelSpec.FILE_NAME)
                            + ") and a run from the first step would replace the model it holds ("
                            + ModelSpec.FILE_NAME
                            + "); name a new folder, or give --overwrite to replace it");
        }
        if (init != null && !overwrite && sameFolder(init, output)) {
            throw new IllegalArgumentException(
                    "--init and --output are the same folder, "
                            + output
                            + ", and the model trained would replace the one it starts from; name"
                            + " a new --output folder, or give --overwrite to replace it");
        }
        if (resume || overwrite || !(model || checkpoint)) {
            return;
        }
        String holds;
        String todo;
        if (!checkpoint) {
            holds = "a model (" + ModelSpec.FILE_NAME + ")";
            todo = "name a new folder, or give --overwrite to replace it";
        } else if (!model) {
            holds = "the checkpoint of an unfinished run (" + CHECKPOINT + "/)";
            todo =
                    "give --resume to continue it, name a new folder, or give --overwrite to start"
                            + " afresh";
        } else {
            holds = "a model (" + ModelSpec.FILE_NAME + ") and a checkpoint (" + CHECKPOINT + "/)";
            todo =
                    "name a new folder, give --resume to continue the checkpoint, or give"
                            + " --overwrite to replace them";
        }
        throw new IllegalArgumentException(
                "--output " + output + " already holds " + holds + "; " + todo);
    }

    /**
     * Refuses {@code --resume} over a finished model whose run the checkpoint belongs to: a run
     * keeps its last checkpoint when it finishes, and continuing it would train the last steps
     * again and replace the finished model (a retried Job's same command did). The steps tell: a
     * run of N steps checkpoints only before step N, so a checkpoint at a step no later than the
     * model's {@code trainingSteps} is that run's (or an older one's, as an {@code --overwrite} run
     * that stopped leaves it, which {@code --overwrite} resumes), and one beyond them can only be a
     * later run's, which resumes. File times decide only where a step is not recorded: a copy
     * ({@code cp -r}, {@code kubectl cp}, a restored volume) reorders them. More {@code --steps}
     * than the model trained go on from the checkpoint under the longer schedule, as asked, and a
     * model.json that does not read is no finished model: both resume.
     */
    private static void refuseResumingAFinishedRun(Path output, int steps) {
        Path checkpoint = output.resolve(CHECKPOINT);
        Integer trained;
        Integer checkpointStep;
        try {
            trained =
                    recordedInt(SegmentationModel.readSpec(output).metrics().get("trainingSteps"));
            checkpointStep = stepOf(checkpoint);
            boolean finishedRun =
                    trained != null && checkpointStep != null
                            ? checkpointStep <= trained
                            : Files.getLastModifiedTime(output.resolve(ModelSpec.FILE_NAME))
                                            .compareTo(
                                                    Files.getLastModifiedTime(
                                                            checkpoint.resolve(
                                                                    ModelSpec.FILE_NAME)))
                                    >= 0;
            if (!finishedRun) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (trained != null && steps > trained) {
            return;
        }
        throw new IllegalArgumentException(
                "--output "
                        + output
                        + " holds a model ("
                        + ModelSpec.FILE_NAME
                        + ")"
                        + (trained == null ? "" : " of " + trained + " steps")
                        + " and a checkpoint ("
                        + CHECKPOINT
                        + "/"
                        + (checkpointStep == null ? "" : ", step " + checkpointStep)
                        + ") of that run or an earlier one, which --resume would train again from"
                        + " the checkpoint and replace; name a new folder, "
                        + (trained == null
                                ? ""
                                : "give more --steps than "
                                        + trained
                                        + " to train on from the"
                                        + " checkpoint, ")
                        + "or add --overwrite to replace the model (a stopped run that was given"
                        + " --overwrite resumes with it too)");
    }

    /**
     * Marks the output's checkpoint, if there is one, as that of a run that finished after these
     * steps (the model it wrote beside it).
     */
    static void markFinished(Path output, int steps) throws IOException {
        Path dir = output.resolve(CHECKPOINT);
        if (Files.isDirectory(dir)) {
            Files.writeString(dir.resolve(FINISHED), steps + "\n");
        }
    }

    /** Takes the mark away before a run writes its own checkpoint over a finished run's. */
    static void unmarkFinished(Path output) throws IOException {
        Files.deleteIfExists(output.resolve(CHECKPOINT).resolve(FINISHED));
    }

    /** The steps of the finished run whose checkpoint the output holds, or null. */
    private static Integer finishedSteps(Path output) {
        try {
            return Integer.valueOf(
                    Files.readString(output.resolve(CHECKPOINT).resolve(FINISHED)).strip());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** The step a checkpoint was written at, or null where it records none. */
    private static Integer stepOf(Path checkpoint) {
        try {
            return recordedInt(SegmentationModel.readSpec(checkpoint).metrics().get("step"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Integer recordedInt(Object recorded) {
        return recorded instanceof Number n ? n.intValue() : null;
    }

    /** Whether the output folder holds a checkpoint that {@code --resume} continues. */
    static boolean hasCheckpoint(Path output) {
        return Files.exists(output.resolve(CHECKPOINT).resolve(ModelSpec.FILE_NAME));
    }

    /**
     * Removes the checkpoint of an earlier run from the output folder of a run that starts afresh
     * ({@code --overwrite}): left there, {@code --resume} would continue that run, not this one.
     */
    static void dropStaleCheckpoint(Path output) throws IOException {
        Path dir = output.resolve(CHECKPOINT);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> deepestFirst = files.sorted(Comparator.reverseOrder()).toList();
            for (Path p : deepestFirst) {
                Files.delete(p);
            }
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        if (!Files.exists(a) || !Files.exists(b)) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
