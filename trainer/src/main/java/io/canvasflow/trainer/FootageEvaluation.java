package io.canvasflow.trainer;

import io.canvasflow.model.RecurrentSegmentationNet;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.trainer.data.ClassMapping;
import io.canvasflow.trainer.data.LabelledData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A model scored on labelled real footage: mIoU against the labels per iteration from a zero
 * canvas, seeded as the topology seeds a camera's frames, per class, and temporal flicker of the
 * seeded masks next to the labels' own. A feed-forward model, which runs one pass a frame and reads
 * no canvas, is scored as that pass (mIoU, per class, flicker of its masks), with no curve, seeded
 * figure or ratio. When the labels came from a teacher, the score is agreement with the teacher,
 * not accuracy.
 *
 * @param modelVersion the model
 * @param data what it was scored on
 * @param lineage where the labels came from, and how many capture-time gaps reset the seeded run
 * @param classNames the model's classes
 * @param report the figures per iteration and seeded, or a feed-forward model's one pass ({@link
 *     Evaluator.Report#onePass})
 * @param flicker temporal flicker of the seeded masks (a feed-forward model's masks) and of the
 *     labels; null where no frame follows another
 * @param seededFrames frames run from the previous frame's canvas; 0 for photos (every frame its
 *     own sequence), which have no seeded or flicker figure, and for a feed-forward model
 * @param samples frames with labels and masks, for the sample grid
 */
public record FootageEvaluation(
        String modelVersion,
        String data,
        Map<String, Object> lineage,
        List<String> classNames,
        Evaluator.Report report,
        Flickers flicker,
        int seededFrames,
        Samples samples) {

    /**
     * Share of static pixels whose label changes between consecutive frames.
     *
     * @param masks flicker of the seeded masks
     * @param labels flicker of the labels themselves, a change to or from the ignore label counted
     *     as a change
     * @param labelsWhereLabelled flicker of the labels on pixels labelled (not ignored) in both
     *     frames
     */
    public record Flickers(double masks, double labels, double labelsWhereLabelled) {}

    /** Seeded iterations per frame, as the topology runs them by default. */
    public static final int SEEDED_ITERATIONS = RecurrentSegmentationNet.DEFAULT_SEEDED_ITERATIONS;

    /**
     * Scores {@code model} on {@code labelled} (already at the model's input size).
     *
     * @param mapping the labels' classes into the model's ({@link ModelClassMapping})
     * @param maxIterations the longest zero-canvas run; no matter for a feed-forward model
     * @param maxGapMs the seeded run starts again from a zero canvas after a larger capture-time
     *     gap between consecutive frames, as serve does after {@code canvas.max.gap.ms}; 0 for no
     *     limit; no matter for frames without capture times, or a feed-forward model
     */
    public static FootageEvaluation run(
            SegmentationModel model,
            LabelledData labelled,
            ClassMapping mapping,
            int maxIterations,
            long maxGapMs) {
        LabelledData data = labelled.mapped(mapping);
        if (!model.spec().network().type().readsCanvas()) {
            return onePass(model, labelled.lineage(), data);
        }
        int full = model.spec().defaultFullIterations();
        int firstFrame = EvaluationReport.firstFrameIterations(maxIterations, full);
        // per sequence, the runs serve seeds through: a capture-time gap starts one from zero
        List<List<VideoSequence>> runs = data.seededRuns(maxGapMs);
        List<VideoSequence> allRuns = new ArrayList<>();
        runs.forEach(allRuns::addAll);
        int seededFrames = allRuns.stream().mapToInt(r -> r.size() - 1).sum();
        Evaluator.Report report =
                Evaluator.evaluate(
                        model, null, allRuns, maxIterations, full, SEEDED_ITERATIONS, 4, 8);
        // the masks serve makes; the two frames either side of a gap are still compared, as
        // serve shows both masks
        Flickers flicker =
                flickers(
                        data.sequences(),
                        i -> {
                            List<byte[]> masks = new ArrayList<>();
                            for (VideoSequence run : runs.get(i)) {
                                masks.addAll(
                                        Evaluator.seededMasks(
                                                model, run, firstFrame, SEEDED_ITERATIONS));
                            }
                            return masks;
                        });
        Map<String, Object> lineage = new LinkedHashMap<>(labelled.lineage());
        if (data.hasCaptureTimes() && maxGapMs > 0) {
            // where the seeded run started again from a zero canvas: capture-time gaps over
            // maxGapMs, as serve's canvas.max.gap.ms
            lineage.put("seededResets", allRuns.size() - runs.size());
            lineage.put("maxGapMs", maxGapMs);
        }
        return scored(model, data, lineage, report, flicker, seededFrames, firstFrame);
    }

    /**
     * Scores a feed-forward model's one pass a frame, and the flicker of its masks where a frame
     * follows another: it has no canvas, so nothing is seeded or reset at a gap.
     */
    private static FootageEvaluation onePass(
            SegmentationModel model, Map<String, Object> lineage, LabelledData data) {
        Evaluator.Report report = Evaluator.onePass(model, data.sequences(), 8);
        List<VideoSequence> sequences = data.sequences();
        // the net ignores the seed, so each mask is its frame's one pass, as serve makes it
        Flickers flicker =
                flickers(sequences, i -> Evaluator.seededMasks(model, sequences.get(i), 1, 1));
        return scored(model, data, lineage, report, flicker, 0, 1);
    }

    /** The evaluation of a model on the data, with 4 sample frames after these iterations. */
    private static FootageEvaluation scored(
            SegmentationModel model,
            LabelledData data,
            Map<String, Object> lineage,
            Evaluator.Report report,
            Flickers flicker,
            int seededFrames,
            int sampleIterations) {
        return new FootageEvaluation(
                model.spec().version(),
                data.description(),
                lineage,
                model.spec().classNames(),
                report,
                flicker,
                seededFrames,
                Samples.of(model, data.sequences(), 4, sampleIterations));
    }

    /**
     * Flicker of the model's masks and of the labels over each sequence's consecutive frames.
     *
     * @param masksOf the masks of the sequence at an index, one a frame
     * @return the flickers, or null where no sequence has two frames
     */
    private static Flickers flickers(
            List<VideoSequence> sequences, IntFunction<List<byte[]>> masksOf) {
        Flicker.Count modelFlicker = Flicker.Count.NONE;
        Flicker.Count labelFlicker = Flicker.Count.NONE;
        Flicker.Count labelSureFlicker = Flicker.Count.NONE;
        boolean consecutive = false;
        for (int i = 0; i < sequences.size(); i++) {
            VideoSequence s = sequences.get(i);
            if (s.size() < 2) {
                continue;
            }
            consecutive = true;
            List<byte[]> labels = new ArrayList<>();
            s.frames().forEach(f -> labels.add(f.labels()));
            modelFlicker = modelFlicker.plus(Flicker.count(s.frames(), masksOf.apply(i), false));
            labelFlicker = labelFlicker.plus(Flicker.count(s.frames(), labels, false));
            labelSureFlicker = labelSureFlicker.plus(Flicker.count(s.frames(), labels, true));
        }
        return consecutive
                ? new Flickers(modelFlicker.share(), labelFlicker.share(), labelSureFlicker.share())
                : null;
    }

    /** Whether the labels came from a teacher (then scores are agreement with it). */
    public boolean fromTeacher() {
        return lineage.containsKey("teacher");
    }

    /** Seeded mIoU over zero-canvas mIoU at the topology's full iteration count. */
    public double seededRatio() {
        return report.seeded().miou() / report.zeroMiou(firstFrameIterations());
    }

    /** Whether fewer iterations were run than the model's full count, its reference. */
    private boolean shortOfReference() {
        return firstFrameIterations() < report.referenceIterations();
    }

    /**
     * The zero-canvas iterations the seeded figure is compared with: serve's full count, or fewer
     * where fewer were run.
     */
    private int firstFrameIterations() {
        return EvaluationReport.firstFrameIterations(
                report.zeroCanvas().size(), report.referenceIterations());
    }

    /** The figures as Markdown. */
    public String markdown() {
        String score = fromTeacher() ? "agreement with the teacher (mIoU)" : "mIoU";
        StringBuilder md = new StringBuilder("# CanvasFlow evaluation on labelled footage\n\n");
        md.append("- Model: `").append(modelVersion).append('`');
        md.append(report.onePass() ? ", feed-forward: one pass a frame\n" : "\n");
        md.append("- Data: ").append(data).append(", ").append(report.frames()).append(" frames\n");
        lineage.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("- Score: ").append(score).append("\n\n");
        md.append("| run | iterations | ").append(score);
        classNames.forEach(c -> md.append(" | IoU ").append(c));
        md.append(" |\n|---|---:|---:");
        classNames.forEach(c -> md.append("|---:"));
        md.append("|\n");
        if (report.onePass()) {
            return onePassMarkdown(md);
        }
        for (Evaluator.Point p : report.zeroCanvas()) {
            row(md, "zero canvas", p);
        }
        if (seededFrames == 0) {
            // every frame ran from a zero canvas: a "seeded" row would repeat the zero-canvas one
            md.append(
                    "\nNo frame here was seeded from the one before it (these are photos, not"
                            + " a sequence, or frames apart), so there is no seeded or flicker"
                            + " figure\n");
            return md.toString();
        }
        row(md, "seeded from the previous frame", report.seeded());
        md.append(
                String.format(
                        Locale.ROOT,
                        "%nSeeded %d iterations / zero canvas %d: %.3f%s%n%n",
                        SEEDED_ITERATIONS,
                        firstFrameIterations(),
                        seededRatio(),
                        shortOfReference()
                                ? String.format(
                                        Locale.ROOT,
                                        " (over zero canvas %d, the most run: the reference, zero"
                                                + " canvas %d, what the model runs from zero, is"
                                                + " not measured)",
                                        firstFrameIterations(),
                                        report.referenceIterations())
                                : ""));
        flickerLine(md, "seeded masks");
        return md.toString();
    }

    /** A feed-forward model's table: its one pass, what does not apply, and its flicker. */
    private String onePassMarkdown(StringBuilder md) {
        row(md, "one pass (feed-forward)", report.feedForward());
        md.append(
                "\nA feed-forward model runs one pass a frame and reads no canvas, so the"
                        + " zero-canvas curve, the seeded row and the seeded / zero canvas ratio do"
                        + " not apply");
        if (flicker == null) {
            md.append(
                    "; no frame here follows another (these are photos, not a sequence), so"
                            + " there is no flicker figure\n");
            return md.toString();
        }
        md.append("\n\n");
        flickerLine(md, "masks");
        return md.toString();
    }

    private void flickerLine(StringBuilder md, String masks) {
        md.append(
                String.format(
                        Locale.ROOT,
                        "Flicker (share of static pixels whose label changes between consecutive"
                                + " frames): %s %.4f, labels %.4f (%.4f on pixels labelled in both"
                                + " frames)%n",
                        masks,
                        flicker.masks(),
                        flicker.labels(),
                        flicker.labelsWhereLabelled()));
    }

    private void row(StringBuilder md, String run, Evaluator.Point p) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.4f", run, p.iterations(), p.miou()));
        for (double iou : p.perClassIou()) {
            md.append(String.format(Locale.ROOT, " | %.4f", iou));
        }
        md.append(" |\n");
    }

    /** The figures as JSON. */
    public String json() {
        boolean onePass = report.onePass();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", modelVersion);
        m.put("modelType", onePass ? "feed-forward" : "recurrent");
        m.put("data", data);
        m.put("lineage", lineage);
        m.put("scoreIs", fromTeacher() ? "agreement with the teacher" : "mIoU against labels");
        // a feed-forward model's one pass is its figures' feedForward point
        Map<String, Object> figures = Evaluator.toMap(report, classNames);
        boolean seeded = seededFrames > 0;
        if (!seeded) {
            // not measured (ReportJson: null, not missing): no frame was seeded
            figures.put("seeded", null);
        }
        m.put("figures", figures);
        m.put("seededFrames", seededFrames);
        m.put("seededOverZeroCanvas", seeded ? seededRatio() : Double.NaN);
        // the zero-N it divides by, which is below the reference where fewer iterations ran
        m.put("zeroIterations", onePass ? null : firstFrameIterations());
        m.put("referenceIterations", onePass ? null : report.referenceIterations());
        m.put("flickerSeededMasks", seeded ? flicker.masks() : Double.NaN);
        boolean flickers = onePass ? flicker != null : seeded;
        if (onePass) {
            m.put("flickerOnePassMasks", flickers ? flicker.masks() : Double.NaN);
        }
        m.put("flickerLabels", flickers ? flicker.labels() : Double.NaN);
        m.put("flickerLabelsWhereLabelled", flickers ? flicker.labelsWhereLabelled() : Double.NaN);
        return ReportJson.pretty(m);
    }
}
