package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelmeJsonDatasetTest {

    @TempDir Path dir;

    @Test
    void shouldDrawThePolygonsAsLabelmesOwnVocExportDoes() {
        // Given labelme's annotated photos and the VOC folder labelme2voc.py made of them
        Optional<Path> voc = LabelmeExamples.vocDataset("semantic_segmentation");
        assumeTrue(voc.isPresent(), LabelmeExamples.HOW_TO);
        Path annotated = voc.get().resolveSibling("data_annotated");
        // When the JSON polygons are read
        LabelledData read = LabelmeJsonDataset.read(annotated, 0, 0);
        VocDataset export = VocDataset.open(voc.get());
        // Then the classes and nearly every pixel agree with labelme's own rasterisation
        assertEquals(export.classes().names(), read.classes().names());
        assertEquals(3, read.frameCount());
        long same = 0;
        long total = 0;
        for (LabeledFrame f : read.frames()) {
            int index = read.frames().indexOf(f);
            LabeledFrame expected = export.load(export.ids().get(index));
            byte[] a = f.labels();
            byte[] b = expected.labels();
            for (int i = 0; i < a.length; i++) {
                same += a[i] == b[i] ? 1 : 0;
            }
            total += a.length;
        }
        assertTrue((double) same / total > 0.98, "pixel agreement " + (double) same / total);
        // and the labels are people's, so evaluate scores against them, not against a teacher
        assertEquals("people, with labelme", read.lineage().get("labelledBy"));
        assertFalse(read.lineage().containsKey("teacher"), read.lineage().toString());
        // in one order on every JVM, for model.json and the report (Map.of's changed per run)
        assertEquals(
                List.of("source", "frames", "labelledBy"), List.copyOf(read.lineage().keySet()));
    }

    @Test
    void shouldChainOnlyConsecutivelyNumberedFramesOfOneSizeIntoASequence() throws Exception {
        // Given frames 1, 2 and 4 of a clip, frame 5 of another camera, frame 6 of the clip at
        // another size, and a photo with no number
        Path folder = Files.createDirectories(dir.resolve("mixed"));
        for (String name : List.of("gate_0001", "gate_0002", "gate_0004", "lobby_0005", "photo")) {
            labelled(folder, name, 8, 8);
        }
        labelled(folder, "gate_0005", 8, 8);
        labelled(folder, "gate_0006", 16, 8);
        // When the folder is read
        LabelledData read = LabelmeJsonDataset.read(folder, 0, 0);
        // Then only 1-2 and 4-5 of the clip are sequences; every other frame stands alone, as a
        // VOC folder's photos do (all were one sequence, seeded each from the one before)
        assertEquals(
                List.of("gate_0001 2", "gate_0004 2", "gate_0006 1", "lobby_0005 1", "photo 1"),
                read.sequences().stream().map(q -> q.id() + " " + q.size()).toList());
        assertEquals(7, read.lineage().get("frames"));
    }

    @Test
    void shouldChainFramesNumberedWithoutPaddingInNumberOrder() throws Exception {
        // Given frames 1 to 12 of one clip, numbered without zero padding
        Path folder = Files.createDirectories(dir.resolve("unpadded"));
        for (int i = 1; i <= 12; i++) {
            labelled(folder, "f-" + i, 8, 8);
        }
        // When the folder is read
        LabelledData read = LabelmeJsonDataset.read(folder, 0, 0);
        // Then they are one sequence of 12 from f-1 (sorted as text, f-10 came before f-2: f-1,
        // f-10..f-12 and f-2..f-9 were three pieces)
        assertEquals(
                List.of("f-1 12"),
                read.sequences().stream().map(q -> q.id() + " " + q.size()).toList());
    }

    @Test
    void shouldReadLabelmesVideoExampleAsOneSequenceAndItsPhotosApart() {
        Optional<Path> photos = LabelmeExamples.vocDataset("semantic_segmentation");
        Optional<Path> video = LabelmeExamples.vocDataset("video_annotation");
        assumeTrue(photos.isPresent() && video.isPresent(), LabelmeExamples.HOW_TO);
        // When labelme's annotated photos and its annotated video frames are read
        LabelledData stills =
                LabelmeJsonDataset.read(photos.get().resolveSibling("data_annotated"), 0, 0);
        LabelledData clip =
                LabelmeJsonDataset.read(video.get().resolveSibling("data_annotated"), 0, 0);
        // Then the photos are three of their own, and the video's frames one sequence
        assertEquals(
                List.of("2011_000003 1", "2011_000006 1", "2011_000025 1"),
                stills.sequences().stream().map(q -> q.id() + " " + q.size()).toList());
        assertEquals(
                List.of("00000100 5"),
                clip.sequences().stream().map(q -> q.id() + " " + q.size()).toList());
    }

    /** A labelme file {@code name.json} with one rectangle, beside a black {@code w x h} image. */
    private static void labelled(Path folder, String name, int w, int h) throws Exception {
        Files.writeString(
                folder.resolve(name + ".json"),
                "{\"shapes\":[{\"label\":\"person\",\"shape_type\":\"rectangle\","
                        + "\"points\":[[1,1],[3,3]]}],\"imagePath\":\""
                        + name
                        + ".png\"}");
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
                "png",
                folder.resolve(name + ".png").toFile());
    }

    @Test
    void shouldRefuseAShapeOfAnUnknownClass() throws Exception {
        Files.writeString(dir.resolve("labels.txt"), "__ignore__\n_background_\nperson\n");
        Path frames = Files.createDirectories(dir.resolve("frames"));
        Files.writeString(frames.resolve("labels.txt"), "__ignore__\n_background_\nperson\n");
        Files.writeString(
                frames.resolve("a.json"),
                "{\"shapes\":[{\"label\":\"dog\",\"shape_type\":\"polygon\",\"points\":[[0,0],[4,0],[4,4]]}],"
                        + "\"imagePath\":\"a.jpg\",\"imageData\":null}");
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        javax.imageio.ImageIO.write(image, "jpg", frames.resolve("a.jpg").toFile());
        DatasetException e =
                assertThrows(DatasetException.class, () -> LabelmeJsonDataset.read(frames, 0, 0));
        assertEquals(
                "Labelme file "
                        + frames.resolve("a.json")
                        + " labels a shape 'dog', which is not among the classes [_background_,"
                        + " person]",
                e.getMessage());
    }

    @Test
    void shouldRefuseARectangleWithoutItsPointsNamingTheFile() throws Exception {
        // Given a labelme file whose rectangle has one corner
        Path frames = Files.createDirectories(dir.resolve("one-corner"));
        Files.writeString(
                frames.resolve("a.json"),
                "{\"shapes\":[{\"label\":\"person\",\"shape_type\":\"rectangle\","
                        + "\"points\":[[1,1]]}],\"imagePath\":\"a.jpg\"}");
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
                "jpg",
                frames.resolve("a.jpg").toFile());

        // Then reading it is one sentence naming the file and the shape
        DatasetException e =
                assertThrows(DatasetException.class, () -> LabelmeJsonDataset.read(frames, 0, 0));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "Labelme file "
                                        + frames.resolve("a.json")
                                        + " has a 'rectangle' shape without its points"),
                e.getMessage());
    }

    @Test
    void shouldRefuseAnEmbeddedImageOfTooManyPixelsOrScansNamingTheFile() throws Exception {
        // Given a labelme file whose imageData is a 60-byte PNG claiming 26000x26000 pixels, and
        // one whose imageData is a 64x48 progressive JPEG of 600 scans
        Path bombs = Files.createDirectories(dir.resolve("bombs"));
        Path huge = labelmeWithImageData(bombs, "huge", TestImages.pngClaiming(26_000, 26_000));
        Path scans = Files.createDirectories(dir.resolve("scans"));
        byte[] jpeg =
                TestImages.withRepeatedScan(
                        TestImages.progressiveJpeg(
                                new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR)),
                        590);
        Path slow = labelmeWithImageData(scans, "slow", jpeg);

        // When read, Then each is one sentence naming the file, what it has and the limit
        assertEquals(
                List.of(
                        "Could not decode the image of labelme file "
                                + huge
                                + ": its header declares 26000x26000 pixels, more than the"
                                + " 67108864 (8192x8192) decoded here; scale it down first",
                        "Could not decode the image of labelme file "
                                + slow
                                + ": it has 600 scans, more than the 500 decoded at 64x48 (each"
                                + " scan is a pass over the whole image); re-encode it as a"
                                + " baseline JPEG"),
                List.of(
                        assertThrows(
                                        DatasetException.class,
                                        () -> LabelmeJsonDataset.read(bombs, 0, 0))
                                .getMessage(),
                        assertThrows(
                                        DatasetException.class,
                                        () -> LabelmeJsonDataset.read(scans, 0, 0))
                                .getMessage()));
    }

    private static Path labelmeWithImageData(Path folder, String name, byte[] image)
            throws Exception {
        Path file = folder.resolve(name + ".json");
        Files.writeString(
                file,
                "{\"shapes\":[{\"label\":\"person\",\"shape_type\":\"rectangle\","
                        + "\"points\":[[0,0],[4,4]]}],\"imageData\":\""
                        + Base64.getEncoder().encodeToString(image)
                        + "\"}");
        return file;
    }
}
