package io.canvasflow.clients;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes images as an MP4 video with JavaCV's {@link FFmpegFrameRecorder}: H.264 (libx264 where the
 * bundled FFmpeg has it, else OpenH264) or, failing both, MPEG-4 part 2; see {@link
 * #preferredCodec()}. Images of another size than the video's are scaled to it. One thread writes;
 * {@link #close()} finishes the file.
 */
public final class VideoWriter implements AutoCloseable {

    private final Path file;
    private final int width;
    private final int height;
    private final FFmpegFrameRecorder recorder;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final BufferedImage canvas;
    private long frames;
    private boolean closed;

    private VideoWriter(Path file, int width, int height, FFmpegFrameRecorder recorder) {
        this.file = file;
        this.width = width;
        this.height = height;
        this.recorder = recorder;
        // 4:2:0 chroma needs even sizes; odd images are padded by one black row or column.
        this.canvas = new BufferedImage(even(width), even(height), BufferedImage.TYPE_3BYTE_BGR);
    }

    /**
     * Creates the file (and its folder) and starts the encoder.
     *
     * @param file the MP4 file to write, replaced if it exists
     * @param width the video width
     * @param height the video height
     * @param fps the frame rate written in the file
     * @return the writer
     * @throws UncheckedIOException when the file cannot be created or the encoder cannot start
     */
    public static VideoWriter open(Path file, int width, int height, double fps) {
        if (width <= 0 || height <= 0 || !(fps > 0)) {
            throw new IllegalArgumentException(
                    "expected a positive video size and frame rate but found "
                            + width
                            + "x"
                            + height
                            + " at "
                            + fps
                            + " fps");
        }
        String codec = preferredCodec();
        FFmpegFrameRecorder recorder =
                new FFmpegFrameRecorder(file.toFile(), even(width), even(height), 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName(codec);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize((int) Math.max(1, Math.round(fps * 2)));
        // About 0.2 bits per pixel: overlays are flat colours and compress well.
        recorder.setVideoBitrate((int) Math.max(400_000, even(width) * even(height) * fps * 0.2));
        if (codec.equals("libx264")) {
            recorder.setVideoOption("preset", "veryfast");
            recorder.setVideoOption("crf", "23");
        } else if (codec.equals("mpeg4")) {
            recorder.setVideoQuality(4);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the folder of the video " + file, e);
        }
        try {
            recorder.start();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            release(recorder);
            throw new UncheckedIOException(
                    "could not start the " + codec + " encoder for " + file + ": " + e.getMessage(),
                    new IOException(e));
        }
        return new VideoWriter(file, width, height, recorder);
    }

    /**
     * The encoder new videos use: the first of libx264, libopenh264 and mpeg4 that the bundled
     * FFmpeg build has.
     *
     * @return the FFmpeg encoder name
     */
    public static String preferredCodec() {
        return Ffmpeg.preferredVideoEncoder();
    }

    /**
     * Appends one frame.
     *
     * @param image the frame, scaled to the video size when it differs
     * @throws UncheckedIOException when the encoder fails
     */
    public void write(BufferedImage image) {
        if (closed) {
            throw new IllegalStateException("the video " + file + " is closed");
        }
        Graphics2D g = canvas.createGraphics();
        try {
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        try {
            recorder.record(converter.convert(canvas));
        } catch (FrameRecorder.Exception e) {
            throw new UncheckedIOException(
                    "could not encode frame " + frames + " of " + file, new IOException(e));
        }
        frames++;
    }

    /**
     * Returns how many frames were written.
     *
     * @return the frame count
     */
    public long frames() {
        return frames;
    }

    /** Flushes the encoder and writes the MP4 index; the file is playable afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new UncheckedIOException(
                    "could not finish the video " + file, new IOException(e));
        } finally {
            release(recorder);
            converter.close();
        }
    }

    private static void release(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            // Nothing is left to save; the file was finished or never started.
        }
    }

    private static int even(int size) {
        return size + (size & 1);
    }
}
