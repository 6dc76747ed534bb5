package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.ChildJvm;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class VideoFileSourceTest {

    /** System property, or else environment variable, naming OpenCV's sample {@code vtest.avi}. */
    static final String VTEST_PROPERTY = "canvasflow.vtest";

    static final String VTEST_ENV = "CANVASFLOW_VTEST";

    @TempDir Path dir;

    @Test
    void shouldReadEveryFrameOfAVideoInOrder() {
        // Given a video whose frame i is grey 10 * i on the left and 200 - 10 * i on the right;
        // 96 pixels is a width whose BGR rows FFmpeg pads
        Path file = dir.resolve("ramp.mp4");
        try (VideoWriter writer = VideoWriter.open(file, 96, 64, 10)) {
            for (int i = 0; i < 20; i++) {
                BufferedImage image = OverlayRendererTest.solid(96, 64, grey(200 - 10 * i));
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(grey(10 * i)));
                g.fillRect(0, 0, 48, 64);
                g.dispose();
                writer.write(image);
            }
        }

        // When
        List<SourceFrame> frames = new ArrayList<>();
        long damaged;
        try (VideoFileSource source = VideoFileSource.open(file)) {
            assertEquals(10.0, source.nativeFps(), 0.01);
            assertEquals(96, source.width());
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                frames.add(f.get());
            }
            damaged = source.damagedFrames();
        }

        // Then: all 20, numbered in order, each its own image of the right grey (lossy codec)
        assertEquals(20, frames.size());
        assertEquals(0, damaged, "FFmpeg reported no error");
        for (int i = 0; i < frames.size(); i++) {
            SourceFrame frame = frames.get(i);
            assertEquals(i, frame.index());
            assertEquals(96, frame.image().getWidth());
            assertEquals(64, frame.image().getHeight());
            assertEquals(10 * i, meanGreen(frame.image(), 8, 40), 6, "left of frame " + i);
            assertEquals(200 - 10 * i, meanGreen(frame.image(), 56, 88), 6, "right of frame " + i);
        }
        assertTrue(frames.get(0).image() != frames.get(1).image(), "images are not reused");
    }

    @Test
    void shouldSayWhatFfmpegReportsOfDamagedFootageInAFewLinesOfItsOwn() throws Exception {
        // Given a video of noise (frames of many bytes) with a run in its middle overwritten
        Path file = dir.resolve("damaged.mp4");
        Random random = new Random(7);
        try (VideoWriter writer = VideoWriter.open(file, 320, 240, 10)) {
            for (int i = 0; i < 40; i++) {
                writer.write(ImageCodecsTest.noise(320, 240, i));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        byte[] run = new byte[bytes.length / 10];
        random.nextBytes(run);
        System.arraycopy(run, 0, bytes, bytes.length / 2, run.length);
        Files.write(file, bytes);

        // When it is read to its end in a process of its own, whose standard error FFmpeg shares
        List<String> lines = readInAChild(file);

        // Then the frames come, FFmpeg's errors are counted, and what is said is CanvasFlow's
        // WARN, once when the damage starts and once at the end, not FFmpeg's line a message
        String read = lines.stream().filter(l -> l.startsWith("read ")).findFirst().orElseThrow();
        Matcher counts = Pattern.compile("read (\\d+) frames, (\\d+) damaged").matcher(read);
        assertTrue(counts.matches(), read);
        int frames = Integer.parseInt(counts.group(1));
        assertTrue(frames >= 20, read);
        int damaged = Integer.parseInt(counts.group(2));
        assertTrue(damaged >= 1, read);
        assertEquals(
                List.of(),
                lines.stream().filter(l -> l.contains(" @ 0x")).toList(),
                "FFmpeg's own lines");
        assertEquals(
                1,
                lines.stream()
                        .filter(l -> l.contains("FFmpeg reports errors decoding frame"))
                        .count(),
                String.join("\n", lines));
        assertEquals(
                1,
                lines.stream()
                        .filter(
                                l ->
                                        l.contains(
                                                "FFmpeg reported errors decoding "
                                                        + damaged
                                                        + " of the "
                                                        + frames
                                                        + " frames read"))
                        .count(),
                String.join("\n", lines));
        assertEquals(
                0,
                lines.stream().filter(l -> l.contains("frames its header lists")).count(),
                "an MP4's sample count is not checked: an edit list can trim it");
        assertTrue(
                lines.stream().allMatch(l -> l.startsWith("read ") || l.contains(" WARN ")),
                String.join("\n", lines));
    }

    @Test
    void shouldSayWhichFileIsMissing() {
        Path missing = dir.resolve("nope.mp4");

        FrameSourceException e =
                assertThrows(FrameSourceException.class, () -> VideoFileSource.open(missing));

        // (it said "expected a video file or a stream URL but ... is neither")
        assertEquals(
                "no file at " + missing + "; give a video file or a stream URL", e.getMessage());
    }

    @Test
    void shouldSayWhenFfmpegCannotDecodeAFile() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.mp4"), new byte[] {1, 2, 3, 4, 5});

        FrameSourceException e =
                assertThrows(FrameSourceException.class, () -> VideoFileSource.open(garbage));

        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    @Test
    void shouldRefuseASoundFileThatHasNoVideo() throws Exception {
        // Given a WAV file: FFmpeg opens it, and it has no picture to give
        Path wav = dir.resolve("song.wav");
        AudioFormat format = new AudioFormat(8000f, 16, 1, true, false);
        byte[] silence = new byte[8000 * 2];
        try (AudioInputStream in =
                new AudioInputStream(
                        new ByteArrayInputStream(silence), format, silence.length / 2)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }

        // Then it is refused when opened, where publish used to send 0 frames and exit 0
        FrameSourceException e =
                assertThrows(FrameSourceException.class, () -> VideoFileSource.open(wav));
        assertEquals(
                wav
                        + " has no video stream: expected a video file or stream such as MP4, AVI,"
                        + " MKV or RTSP",
                e.getMessage());
    }

    @Test
    void shouldGiveEveryStreamATimeoutWhateverTheCaseOfItsScheme() {
        Map<String, String> rtsp = Map.of("rtsp_transport", "tcp", "timeout", "10000000");
        assertEquals(rtsp, VideoFileSource.streamOptions("rtsp://10.0.0.7/live"));
        assertEquals(rtsp, VideoFileSource.streamOptions("rtsps://10.0.0.7:322/live"));
        assertEquals(rtsp, VideoFileSource.streamOptions("RTSPS://10.0.0.7:322/live"));
        assertEquals(rtsp, VideoFileSource.streamOptions("Rtsp://10.0.0.7/live"));
        Map<String, String> other = Map.of("rw_timeout", "10000000");
        assertEquals(other, VideoFileSource.streamOptions("https://host/v.m3u8"));
        assertEquals(other, VideoFileSource.streamOptions("rtmps://host/app/key"));
        assertEquals(other, VideoFileSource.streamOptions("tcp://10.0.0.7:5000"));
        assertEquals(Map.of(), VideoFileSource.streamOptions("clips/rtsp:cam.mp4"));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldGiveUpOnASilentRtspsCameraInsteadOfWaitingForEver() throws Exception {
        // Given a server that accepts connections and never says a word
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread accepting =
                    new Thread(
                            () -> {
                                List<Socket> held = new ArrayList<>();
                                try {
                                    while (true) {
                                        held.add(silent.accept());
                                    }
                                } catch (IOException e) {
                                    // closed: the test is over
                                }
                            });
            accepting.setDaemon(true);
            accepting.start();

            // When a camera there is opened over RTSPS, then it fails in FFmpeg's 10 s timeout
            String url = "rtsps://127.0.0.1:" + silent.getLocalPort() + "/live";
            FrameSourceException e =
                    assertThrows(FrameSourceException.class, () -> new VideoFileSource(url));
            assertTrue(e.getMessage().startsWith("FFmpeg cannot read " + url), e.getMessage());
        }
    }

    @Test
    void shouldReadAllOfOpenCvsSampleVideo() {
        String location = System.getProperty(VTEST_PROPERTY, System.getenv(VTEST_ENV));
        Assumptions.assumeTrue(
                location != null && Files.isRegularFile(Path.of(location)),
                "set -D" + VTEST_PROPERTY + " or " + VTEST_ENV + " to opencv-doc's vtest.avi");

        int frames = 0;
        try (VideoFileSource source = new VideoFileSource(location)) {
            assertEquals(10.0, source.nativeFps(), 0.01);
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                assertEquals(768, f.get().image().getWidth());
                assertEquals(576, f.get().image().getHeight());
                frames++;
            }
            assertEquals(0, source.damagedFrames(), "FFmpeg reported no error");
        }

        assertEquals(795, frames);
    }

    @Test
    void shouldSayWhenADamagedAviGivesFewerFramesThanItsHeaderLists() throws Exception {
        String location = System.getProperty(VTEST_PROPERTY, System.getenv(VTEST_ENV));
        Assumptions.assumeTrue(
                location != null && Files.isRegularFile(Path.of(location)),
                "set -D" + VTEST_PROPERTY + " or " + VTEST_ENV + " to opencv-doc's vtest.avi");
        // Given vtest.avi with three 50 kB runs overwritten, at a third, a half and two thirds
        byte[] bytes = Files.readAllBytes(Path.of(location));
        Random random = new Random(1);
        for (int at : new int[] {bytes.length / 3, bytes.length / 2, 2 * bytes.length / 3}) {
            byte[] run = new byte[50_000];
            random.nextBytes(run);
            System.arraycopy(run, 0, bytes, at, run.length);
        }
        Path damaged = Files.write(dir.resolve("vtest-damaged.avi"), bytes);

        // When it is read in a process of its own
        List<String> lines = readInAChild(damaged);

        // Then the frames FFmpeg dropped are said, with the header's 795
        String read = lines.stream().filter(l -> l.startsWith("read ")).findFirst().orElseThrow();
        Matcher counts = Pattern.compile("read (\\d+) frames, (\\d+) damaged").matcher(read);
        assertTrue(counts.matches(), read);
        int frames = Integer.parseInt(counts.group(1));
        assertTrue(frames < 794, read);
        assertEquals(
                1,
                lines.stream()
                        .filter(l -> l.contains(frames + " of the 795 frames its header lists"))
                        .count(),
                String.join("\n", lines));
    }

    /** The output of {@link ChildVideoRead} on a video, which it read with exit status 0. */
    private List<String> readInAChild(Path video) throws Exception {
        Path log = dir.resolve("child.log");
        Process child =
                ChildJvm.start(
                        List.of("-Xmx256m"), ChildVideoRead.class, List.of(video.toString()), log);
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child did not read the video in 60 s");
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(0, child.exitValue(), String.join("\n", lines));
        return lines;
    }

    private static double meanGreen(BufferedImage image, int fromX, int toX) {
        long sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = fromX; x < toX; x++) {
                sum += (image.getRGB(x, y) >> 8) & 0xFF;
            }
        }
        return (double) sum / ((toX - fromX) * image.getHeight());
    }

    private static int grey(int level) {
        return level << 16 | level << 8 | level;
    }
}
