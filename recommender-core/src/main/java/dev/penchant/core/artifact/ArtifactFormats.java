package dev.penchant.core.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The artifact formats on the class path, and opening an unpacked archive by the format it names. */
public final class ArtifactFormats {
    /** Every format writes this file at the archive's root; its "format" field names the format. */
    public static final String MODEL_JSON = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Map<String, ArtifactFormat> formats;

    private ArtifactFormats() {
    }

    public static Map<String, ArtifactFormat> known() {
        Map<String, ArtifactFormat> f = formats;
        if (f == null) {
            Map<String, ArtifactFormat> m = new TreeMap<>();
            for (ArtifactFormat a : ServiceLoader.load(ArtifactFormat.class, ArtifactFormats.class.getClassLoader())) {
                m.put(a.format(), a);
            }
            formats = f = Map.copyOf(m);
        }
        return f;
    }

    /** The "format" field of dir/model.json. */
    public static String formatOf(Path dir) {
        try {
            Object format = JSON.readValue(dir.resolve(MODEL_JSON).toFile(), Map.class).get("format");
            if (!(format instanceof String s)) throw new IllegalArgumentException("model.json names no format: " + dir);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("no readable " + MODEL_JSON + " in " + dir, e);
        }
    }

    /** Opens the unpacked archive with the format its model.json names. */
    public static ServableModel open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MODEL_JSON))) throw new IllegalArgumentException("not a model archive (no model.json): " + dir);
        String format = formatOf(dir);
        ArtifactFormat f = known().get(format);
        if (f == null) {
            throw new IllegalArgumentException("artifact format '" + format + "' is not on this node's class path (known: "
                    + known().keySet() + ")");
        }
        return f.open(dir);
    }
}
