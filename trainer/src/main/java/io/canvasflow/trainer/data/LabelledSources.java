package io.canvasflow.trainer.data;

import io.canvasflow.schemas.Topics;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Opens labelled data named the way the command line names it:
 *
 * <ul>
 *   <li>{@code voc:DIR[:SPLIT]}: a PASCAL VOC layout (as labelme exports it), one frame per image;
 *       every labelled image, or those {@code ImageSets/Segmentation/SPLIT.txt} lists;
 *   <li>{@code cityscapes:DIR[:SPLIT]}: {@code leftImg8bit/} and {@code gtFine/*_labelIds.png},
 *       label ids mapped to the 19 training ids (default split {@code train});
 *   <li>{@code topic:NAME}: labelled frames in Kafka, a camera's consecutive frames chained;
 *   <li>{@code labelme:DIR}: labelme's JSON polygons, a person's labels for a few frames; files
 *       named with consecutive frame numbers are chained, any other is a photo of its own.
 * </ul>
 *
 * ({@code synthetic}, the generator, is endless and not opened here.)
 */
public final class LabelledSources {

    /** The name of the synthetic generator as a data source. */
    public static final String SYNTHETIC = "synthetic";

    /**
     * The kind of a Kafka topic of labelled frames, the only data with cameras and frame numbers.
     */
    public static final String TOPIC = "topic";

    private static final List<String> KINDS =
            List.of(SYNTHETIC, "voc", "cityscapes", "labelme", TOPIC);

    private LabelledSources() {}

    /**
     * The kind of data a {@code --data} value names: {@code synthetic}, {@code voc}, {@code
     * cityscapes}, {@code labelme} or {@link #TOPIC}.
     *
     * @throws IllegalArgumentException in one sentence when it names no known kind
     */
    public static String kind(String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        if (!KINDS.contains(kind) || (SYNTHETIC.equals(kind) && colon >= 0)) {
            throw new IllegalArgumentException(
                    "--data must be synthetic, voc:DIR[:SPLIT], cityscapes:DIR[:SPLIT],"
                            + " labelme:DIR or topic:NAME; got "
                            + spec);
        }
        return kind;
    }

    /**
     * Where and which frames to read.
     *
     * @param kafka the cluster's client configuration, for {@code topic:}: {@code
     *     bootstrap.servers} and any security settings
     * @param camera only this camera (topics), or null
     * @param range only these sequence numbers (topics)
     * @param exclude none of these sequence numbers (topics), or null
     * @param width resize frames to this width as they are read
     * @param height likewise
     */
    public record Selection(
            Map<String, String> kafka,
            String camera,
            SequenceRange range,
            SequenceRange exclude,
            int width,
            int height) {}

    /**
     * Opens and reads a source.
     *
     * @throws IllegalArgumentException when the spec names no known kind of source
     * @throws DatasetException naming the file or record, when the data is missing or malformed
     */
    public static LabelledData open(String spec, Selection selection) {
        String kind = kind(spec);
        String where = spec.substring(Math.min(spec.length(), kind.length() + 1));
        if (where.isBlank() && !SYNTHETIC.equals(kind)) {
            throw new IllegalArgumentException(
                    "--data " + spec + " names no location; write " + kind + ":PATH");
        }
        if (!TOPIC.equals(kind)
                && (selection.camera() != null
                        || !SequenceRange.ALL.equals(selection.range())
                        || selection.exclude() != null)) {
            // the commands refuse such options first, naming them; this keeps any other caller
            // from recording a selection that was never applied
            throw new IllegalArgumentException(
                    "a camera or frame range selects frames of topic data only, and --data "
                            + spec
                            + " has neither");
        }
        LabelledData data =
                switch (kind) {
                    case "voc" -> voc(where, selection);
                    case "cityscapes" -> cityscapes(where, selection);
                    case TOPIC -> topic(where, selection);
                    case "labelme" ->
                            LabelmeJsonDataset.read(
                                    Path.of(where), selection.width(), selection.height());
                    default ->
                            throw new IllegalArgumentException(
                                    "--data "
                                            + spec
                                            + " is the endless generator, not a labelled source");
                };
        if (data.frameCount() == 0) {
            // an empty split or selection: training would refuse late, evaluation report NaNs
            throw new DatasetException(
                    "--data " + spec + " holds no labelled frames (" + data.description() + ")");
        }
        return data;
    }

    private static LabelledData voc(String where, Selection s) {
        String[] parts = dirAndSplit(where);
        VocDataset dataset = VocDataset.open(Path.of(parts[0]));
        List<String> ids = parts[1] != null ? dataset.ids(parts[1]) : dataset.ids();
        List<VideoSequence> sequences = stills(ids, dataset::load, s);
        return new LabelledData(
                dataset.classes(),
                sequences,
                parts[1] != null
                        ? "PASCAL VOC " + parts[1] + " split at " + parts[0]
                        : "PASCAL VOC layout at " + parts[0],
                LabelledData.lineage("voc:" + where, sequences.size()));
    }

    /**
     * {@code DIR[:SPLIT]} as the folder and the split, null when none is named: a folder that
     * exists is all folder, even with a colon in its name; otherwise the split follows the last
     * colon.
     */
    private static String[] dirAndSplit(String where) {
        int colon = where.lastIndexOf(':');
        if (Files.isDirectory(Path.of(where)) || colon < 0) {
            return new String[] {where, null};
        }
        String split = where.substring(colon + 1).strip();
        return new String[] {where.substring(0, colon), split.isEmpty() ? null : split};
    }

    private static LabelledData cityscapes(String where, Selection s) {
        String[] parts = dirAndSplit(where);
        String split = parts[1] != null ? parts[1] : "train";
        CityscapesDataset dataset = CityscapesDataset.open(Path.of(parts[0]), split);
        List<VideoSequence> sequences = stills(dataset.ids(), dataset::load, s);
        return new LabelledData(
                dataset.classes(),
                sequences,
                "Cityscapes " + split + " split at " + parts[0],
                LabelledData.lineage("cityscapes:" + where, sequences.size()));
    }

    /** Photos: one-frame sequences, loaded and resized one at a time. */
    private static List<VideoSequence> stills(
            List<String> ids, Function<String, LabeledFrame> load, Selection s) {
        List<VideoSequence> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(
                    new VideoSequence(
                            id,
                            List.of(LabelledData.resize(load.apply(id), s.width(), s.height()))));
        }
        return out;
    }

    private static LabelledData topic(String name, Selection s) {
        String servers = s.kafka().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException(
                    "--data topic:" + name + " needs --bootstrap-servers HOST:PORT");
        }
        return TopicLabelledData.read(
                new TopicLabelledData.Request(
                        s.kafka(),
                        Topics.FRAMES_LABELLED.withName(name),
                        s.camera(),
                        s.range(),
                        s.exclude(),
                        s.width(),
                        s.height(),
                        TopicLabelledData.IDLE_LIMIT));
    }
}
