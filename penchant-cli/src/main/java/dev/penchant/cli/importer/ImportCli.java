package dev.penchant.cli.importer;

import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.data.io.DataSource;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command line for {@link DatasetImporter}; needs no Quarkus, runs on the packaged app's libraries:
 * <pre>
 * java -cp 'platform-api/target/quarkus-app/app/*:platform-api/target/quarkus-app/lib/main/*' \
 *   dev.penchant.cli.importer.ImportCli --data ../shared/data/ml-100k --format movielens-atomic \
 *   --url http://localhost:8080 --api-key $KEY
 * </pre>
 */
public final class ImportCli {
    private ImportCli() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> formatOptions = new LinkedHashMap<>();
        boolean shift = false;
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (k.equals("-h") || k.equals("--help")) {
                usage(0);
            }
            if (k.equals("--shift-to-now")) {
                shift = true;
                continue;
            }
            if (!k.startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad argument: " + k);
                usage(2);
            }
            String v = args[++i];
            if (k.equals("--option")) {
                int eq = v.indexOf('=');
                formatOptions.put(v.substring(0, eq), v.substring(eq + 1));
            } else {
                a.put(k.substring(2), v);
            }
        }
        if (!a.containsKey("data") || !a.containsKey("format")) {
            usage(2);
        }
        Path data = Path.of(a.get("data"));
        String dataset = a.getOrDefault("dataset", data.getFileName().toString());
        String key = a.getOrDefault("api-key", System.getenv("PENCHANT_API_KEY"));
        DatasetImporter.Options options = new DatasetImporter.Options(
                URI.create(a.getOrDefault("url", "http://localhost:8080")), key, dataset,
                Integer.parseInt(a.getOrDefault("batch-size", "1000")),
                Integer.parseInt(a.getOrDefault("concurrency", "4")), System.err, shift);
        try {
            DataSource source = DataFormats.open(data, a.get("format"), formatOptions);
            DatasetImporter.Summary s = new DatasetImporter(options).run(source);
            System.out.printf("imported %s: %,d users, %,d items, %,d events (%,d new, %,d duplicates) in %.1f s, %,.0f events/s%n",
                    dataset, s.users(), s.items(), s.events(), s.accepted(), s.duplicates(),
                    s.elapsed().toMillis() / 1000.0, s.eventsPerSecond());
        } catch (RuntimeException e) {
            System.err.println("\nimport failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(int code) {
        System.err.println("""
                usage: import --data PATH --format FORMAT [--url http://localhost:8080] [--api-key KEY | env PENCHANT_API_KEY]
                              [--dataset NAME] [--batch-size 1000] [--concurrency 4] [--option key=value ...]
                              [--shift-to-now]   move every timestamp so the newest event is now (ids unchanged)
                formats: """ + DataFormats.FORMATS);
        System.exit(code);
    }
}
