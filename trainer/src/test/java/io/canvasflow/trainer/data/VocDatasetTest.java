package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocDatasetTest {

    @TempDir Path tmp;

    @Test
    void shouldLoadLabelmeSemanticSegmentationExample() throws IOException {
        VocDataset voc = loadEveryImage("semantic_segmentation");

        assertEquals("_background_", voc.classes().name(0));
        assertEquals("person", voc.classes().name(15));
        assertEquals(21, voc.classes().size());
    }

    @Test
    void shouldLoadLabelmeVideoAnnotationExample() throws IOException {
        VocDataset voc = loadEveryImage("video_annotation");

        assertEquals(List.of("_background_", "car", "track"), voc.classes().names());
    }

    /** Opens a labelme example and checks that it loads every image with real labels. */
    private VocDataset loadEveryImage(String example) throws IOException {
        Path root = labelme(example);
        VocDataset voc = VocDataset.open(root);
        List<LabeledFrame> frames = voc.ids().stream().map(voc::load).toList();
        assertEquals(countFiles(root.resolve("JPEGImages"), ".jpg"), frames.size());
        assertRealLabels(voc, frames, root);
        return voc;
    }

    @Test
    void shouldReadPaletteIndicesNotColoursAndKeepIgnore() throws IOException {
        // A palette whose colours have nothing to do with the indices.
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (255 - i);
            g[i] = (byte) (i * 7);
            b[i] = (byte) 200;
        }
        int[] values = {0, 1, 2, 15, 20, 255};
        writeVoc(tmp, "img_a", values, new IndexColorModel(8, 256, r, g, b));
        Files.createDirectories(tmp.resolve("ImageSets/Segmentation"));
        Files.writeString(tmp.resolve("ImageSets/Segmentation/train.txt"), "img_a\n");
        Files.writeString(tmp.resolve("ImageSets/Segmentation/val.txt"), "");

        VocDataset voc = VocDataset.open(tmp);
        LabeledFrame f = voc.load("img_a");

        assertEquals(List.of("img_a"), voc.ids("train"));
        assertEquals(List.of(), voc.ids("val"));
        assertEquals(ClassTable.VOC_21, voc.classes());
        byte[] expected = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            expected[i] = (byte) values[i];
        }
        assertArrayEquals(expected, f.labels());
        assertEquals(255, f.label(5, 0));
    }

    @Test
    void shouldReadASplitWhenDataNamesOne() throws IOException {
        // Given two images, one in each of the train and val splits
        writeVoc(tmp, "a", new int[] {1, 0}, vocPalette());
        writeVoc(tmp, "b", new int[] {0, 1}, vocPalette());
        writeSplits(tmp, "a\n", "b\n");

        // When --data names the val split, and then no split
        LabelledData val = LabelledSources.open("voc:" + tmp + ":val", ALL);
        LabelledData every = LabelledSources.open("voc:" + tmp, ALL);

        // Then the split holds its one image, with its labels, and no split holds both
        assertEquals(1, val.frameCount());
        assertArrayEquals(new byte[] {0, 1}, val.frames().get(0).labels());
        assertEquals("PASCAL VOC val split at " + tmp, val.description());
        assertEquals(2, every.frameCount());
    }

    @Test
    void shouldReadAFolderWithAColonAndRefuseASplitListingAnUnlabelledImage() throws IOException {
        // Given a dataset in a folder whose name has a colon, with a split file that starts with
        // a byte-order mark and lists an image with no label map
        Path root = tmp.resolve("cams:a");
        writeVoc(root, "a", new int[] {1, 0}, vocPalette());
        writeSplits(root, "\uFEFFa\r\n", "a\nz\n");

        // Then the folder is read whole, a trailing colon names no split, a split is read past
        // its mark, and the split that lists z says so in one sentence naming the file
        assertEquals(1, LabelledSources.open("voc:" + root, ALL).frameCount());
        assertEquals(1, LabelledSources.open("voc:" + root + ":", ALL).frameCount());
        assertEquals(1, LabelledSources.open("voc:" + root + ":train", ALL).frameCount());
        DatasetException e =
                assertThrows(
                        DatasetException.class,
                        () -> LabelledSources.open("voc:" + root + ":val", ALL));
        assertEquals(
                root.resolve("ImageSets/Segmentation/val.txt")
                        + " lists z, which has no label map in "
                        + root.resolve("SegmentationClass"),
                e.getMessage());
    }

    @Test
    void shouldUseAllLabelledImagesButRefuseASplitWhenImageSetsIsMissing() throws IOException {
        writeVoc(tmp, "b", new int[] {0, 1}, vocPalette());
        writeVoc(tmp, "a", new int[] {1, 0}, vocPalette());

        VocDataset voc = VocDataset.open(tmp);

        assertEquals(List.of("a", "b"), voc.ids());
        DatasetException e = assertThrows(DatasetException.class, () -> voc.ids("train"));
        assertTrue(e.getMessage().startsWith("Expected split file "), e.getMessage());
    }

    @Test
    void shouldNameTheMissingDirectory() {
        Path missing = tmp.resolve("nowhere");

        DatasetException e = assertThrows(DatasetException.class, () -> VocDataset.open(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void shouldNameTheMissingImageDirectory() throws IOException {
        Files.createDirectories(tmp.resolve("SegmentationClass"));

        DatasetException e = assertThrows(DatasetException.class, () -> VocDataset.open(tmp));

        assertTrue(e.getMessage().contains(tmp.resolve("JPEGImages").toString()), e.getMessage());
    }

    @Test
    void shouldNameAnUnreadableLabelFile() throws IOException {
        writeVoc(tmp, "ok", new int[] {0, 1}, vocPalette());
        Path broken = tmp.resolve("SegmentationClass/broken.png");
        Files.write(broken, new byte[] {1, 2, 3, 4});
        ImageIO.write(
                new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR),
                "jpg",
                tmp.resolve("JPEGImages/broken.jpg").toFile());
        VocDataset voc = VocDataset.open(tmp);

        DatasetException e = assertThrows(DatasetException.class, () -> voc.load("broken"));

        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }

    @Test
    void shouldRefuseAnImageWhoseHeaderClaimsTooManyPixelsNamingItWithoutAllocatingThem()
            throws IOException {
        // Given a VOC image that is a 60-byte PNG claiming 26000x26000 pixels (2 GB as RGB)
        writeVoc(tmp, "ok", new int[] {0, 1}, vocPalette());
        Path bomb = tmp.resolve("JPEGImages/bomb.jpg");
        Files.write(bomb, TestImages.pngClaiming(26_000, 26_000));
        Files.copy(
                tmp.resolve("SegmentationClass/ok.png"), tmp.resolve("SegmentationClass/bomb.png"));
        VocDataset voc = VocDataset.open(tmp);

        // When it is loaded
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        DatasetException e = assertThrows(DatasetException.class, () -> voc.load("bomb"));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // Then one sentence names the file, its size and the limit
        assertEquals(
                "Could not decode image "
                        + bomb
                        + ": its header declares 26000x26000 pixels, more than the 67108864"
                        + " (8192x8192) decoded here; scale it down first",
                e.getMessage());
        // And nothing like its raster was allocated
        assertTrue(allocated < 16L * 1024 * 1024, "refusing it allocated " + allocated + " bytes");
    }

    @Test
    void shouldRejectRgbLabelMapsAndOutOfRangeLabels() throws IOException {
        writeVoc(tmp, "ok", new int[] {0, 1}, vocPalette());
        ImageIO.write(
                new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB),
                "png",
                tmp.resolve("SegmentationClass/rgb.png").toFile());
        ImageIO.write(
                new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR),
                "jpg",
                tmp.resolve("JPEGImages/rgb.jpg").toFile());
        writeVoc(tmp, "high", new int[] {0, 21}, vocPalette());
        VocDataset voc = VocDataset.open(tmp);

        assertThrows(DatasetException.class, () -> voc.load("rgb"));
        DatasetException e = assertThrows(DatasetException.class, () -> voc.load("high"));
        assertTrue(e.getMessage().contains("21"), e.getMessage());
    }

    private static Path labelme(String example) {
        Optional<Path> root = LabelmeExamples.vocDataset(example);
        assumeTrue(root.isPresent(), LabelmeExamples.HOW_TO);
        return root.get();
    }

    private static void assertRealLabels(VocDataset voc, List<LabeledFrame> frames, Path root)
            throws IOException {
        Set<Integer> seen = new HashSet<>();
        List<String> ids = voc.ids();
        for (int i = 0; i < frames.size(); i++) {
            LabeledFrame f = frames.get(i);
            BufferedImage jpeg =
                    ImageIO.read(root.resolve("JPEGImages").resolve(ids.get(i) + ".jpg").toFile());
            assertEquals(jpeg.getWidth(), f.width());
            assertEquals(jpeg.getHeight(), f.height());
            assertEquals(f.width() * f.height(), f.labels().length);
            int[] hist = f.labelHistogram();
            for (int v = 0; v < 256; v++) {
                if (hist[v] > 0) {
                    assertTrue(
                            v < voc.classes().size() || v == 255,
                            "label " + v + " in " + ids.get(i));
                    if (v != 255) {
                        seen.add(v);
                    }
                }
            }
        }
        assertTrue(seen.size() >= 2, "classes seen: " + seen);
    }

    private static long countFiles(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }

    private static IndexColorModel vocPalette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = ClassTable.vocColor(i);
            r[i] = (byte) (c >> 16);
            g[i] = (byte) (c >> 8);
            b[i] = (byte) c;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    /** Writes a one-row image and its palette label map. */
    /** Every image of a 2x1 dataset, at its own size. */
    private static final LabelledSources.Selection ALL =
            new LabelledSources.Selection(Map.of(), null, SequenceRange.ALL, null, 2, 1);

    /** Writes the train and val split files, as given. */
    private static void writeSplits(Path root, String train, String val) throws IOException {
        Path sets = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
        Files.writeString(sets.resolve("train.txt"), train);
        Files.writeString(sets.resolve("val.txt"), val);
    }

    static void writeVoc(Path root, String id, int[] labels, IndexColorModel palette)
            throws IOException {
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("SegmentationClass"));
        BufferedImage image = new BufferedImage(labels.length, 1, BufferedImage.TYPE_3BYTE_BGR);
        ImageIO.write(image, "jpg", root.resolve("JPEGImages").resolve(id + ".jpg").toFile());
        BufferedImage label =
                new BufferedImage(labels.length, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        WritableRaster raster = label.getRaster();
        for (int x = 0; x < labels.length; x++) {
            raster.setSample(x, 0, 0, labels[x]);
        }
        ImageIO.write(
                label, "png", root.resolve("SegmentationClass").resolve(id + ".png").toFile());
    }
}
