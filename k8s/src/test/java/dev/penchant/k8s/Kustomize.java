package dev.penchant.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization as {@code kubectl kustomize DIR} does: with kubectl when it is installed
 * (its built-in kustomize is the reference), else with {@link FallbackKustomize}, which
 * {@code KustomizeRenderTest} keeps equal to kubectl wherever both exist.
 */
final class Kustomize {
    /** PENCHANT_KUBECTL names another binary; "none" forces the fallback. */
    private static final String KUBECTL = System.getenv().getOrDefault("PENCHANT_KUBECTL", "kubectl");
    private static Boolean available;

    private Kustomize() {
    }

    static List<Map<String, Object>> render(Path dir) {
        return kubectlAvailable() ? Repo.documents(kubectl(dir)) : FallbackKustomize.render(dir);
    }

    static synchronized boolean kubectlAvailable() {
        if (available == null) {
            try {
                available = !"none".equals(KUBECTL) && run(List.of(KUBECTL, "version", "--client")).exitCode == 0;
            } catch (UncheckedIOException e) {
                available = false;
            }
        }
        return available;
    }

    /** kubectl kustomize's output; fails with kubectl's own message when the build fails. */
    static String kubectl(Path dir) {
        Result r = run(List.of(KUBECTL, "kustomize", dir.toString()));
        if (r.exitCode != 0) throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + r.stderr);
        return r.stdout;
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> command) {
        Path errors = null;
        try {
            // stderr to a file, so neither stream can fill up and block the child
            errors = Files.createTempFile("kubectl", ".err");
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(errors));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (errors != null) errors.toFile().delete();
        }
    }
}
