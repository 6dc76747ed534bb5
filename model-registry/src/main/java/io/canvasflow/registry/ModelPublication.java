package io.canvasflow.registry;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelVersion;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.avro.ModelChunk;
import io.canvasflow.schemas.avro.ModelManifest;
import io.canvasflow.schemas.avro.ModelPart;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A model directory cut into the records of the models topic: its parameter file in chunks, then
 * the manifest that names them. The digest in {@code model.json} is checked here, before anything
 * is sent, and again by every reader when the chunks are put back together.
 *
 * @param version the model version, from {@code model.json}
 * @param manifest the manifest
 * @param chunks the parameter file's slices, in order
 * @param publication the id shared by this publication's records
 */
public record ModelPublication(
        String version, ModelManifest manifest, List<byte[]> chunks, String publication) {

    /**
     * Chunk size: well under Kafka's default 1 MiB record limit ({@code max.message.bytes}) with
     * room for the Avro envelope and the key.
     */
    public static final int DEFAULT_CHUNK_BYTES = 512 * 1024;

    /**
     * Reads and checks a model directory.
     *
     * @param dir the model directory ({@code model.json} and its parameter file)
     * @param chunkBytes the largest chunk
     * @return the publication
     * @throws io.canvasflow.model.ModelLoadException when {@code model.json} is bad
     * @throws ModelRegistryException when the parameter file does not match {@code model.json}
     */
    public static ModelPublication read(Path dir, int chunkBytes) {
        // the parameter file's size and SHA-256 too: publish nothing every serve would refuse
        ModelSpec spec = SegmentationModel.checkFiles(dir);
        if (!ModelVersion.isValid(spec.version())) {
            throw new ModelRegistryException(
                    dir.resolve(ModelSpec.FILE_NAME)
                            + " names version \""
                            + spec.version()
                            + "\": a published version must be letters, digits, '.', '_' and"
                            + " '-' only, begin with a letter or digit, and be at most "
                            + ModelVersion.MAX_LENGTH
                            + " characters");
        }
        Path params = dir.resolve(spec.parameters().file());
        byte[] bytes;
        String json;
        try {
            bytes = Files.readAllBytes(params);
            json = Files.readString(dir.resolve(ModelSpec.FILE_NAME), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelRegistryException("cannot read " + params + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new ModelRegistryException(
                    "the parameter file " + params + " is empty: re-save the model");
        }
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < bytes.length || chunks.isEmpty(); from += chunkBytes) {
            chunks.add(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkBytes)));
        }
        String sha = Digests.sha256(chunks);
        if (!sha.equals(spec.parameters().sha256())) {
            throw new ModelRegistryException(
                    "the SHA-256 of "
                            + params
                            + " is "
                            + sha
                            + " but model.json says "
                            + spec.parameters().sha256()
                            + ": the files do not belong together; re-save the model");
        }
        ModelManifest manifest =
                ModelManifest.newBuilder()
                        .setModelJson(json)
                        .setParametersSha256(sha)
                        .setParametersBytes(bytes.length)
                        .setChunkCount(chunks.size())
                        .setPublishedAt(Instant.now())
                        .setPublishedBy(whoAmI())
                        .build();
        return new ModelPublication(
                spec.version(), manifest, List.copyOf(chunks), UUID.randomUUID().toString());
    }

    /**
     * The records to send, chunks first and the manifest last, so that a reader that sees the
     * manifest has seen every chunk before it (one transaction makes them visible together).
     *
     * @return key to value, in sending order
     */
    public List<Map.Entry<String, ModelPart>> records() {
        List<Map.Entry<String, ModelPart>> records = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            ModelChunk chunk = new ModelChunk(i, ByteBuffer.wrap(chunks.get(i)));
            records.add(Map.entry(ModelKeys.chunk(version, i), part(chunk)));
        }
        records.add(Map.entry(ModelKeys.manifest(version), part(manifest)));
        return records;
    }

    /** The total size of the parameter file. */
    public long parametersBytes() {
        return manifest.getParametersBytes();
    }

    private ModelPart part(Object body) {
        return ModelPart.newBuilder()
                .setVersion(version)
                .setPublication(publication)
                .setPart(body)
                .build();
    }

    /** {@code user@host}, for the record of who published or assigned. */
    static String whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }
}
