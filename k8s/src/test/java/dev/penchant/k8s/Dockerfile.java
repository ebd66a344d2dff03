package dev.penchant.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Dockerfile read the way the builder reads it (comments, parser directives, backslash
 * continuations, JSON or shell form), and Penchant's checks of an image recipe built from a
 * Quarkus fast-jar: known instructions, every FROM pinned to a tag that is not latest, a numeric
 * non-root USER in the final stage, COPY sources only from what {@code ./mvnw package} writes to
 * target/quarkus-app (checked on disk when it is there), all four parts of the fast-jar copied.
 */
final class Dockerfile {
    static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
            "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER");
    /** What a Quarkus fast-jar build leaves in target/quarkus-app, and all an image needs of it. */
    static final List<String> FAST_JAR = List.of("target/quarkus-app/quarkus-run.jar", "target/quarkus-app/lib/",
            "target/quarkus-app/app/", "target/quarkus-app/quarkus/");

    record Instruction(int line, String keyword, List<String> flags, List<String> args, String raw) {
        String flag(String name) {
            for (String f : flags) if (f.startsWith("--" + name + "=")) return f.substring(name.length() + 3);
            return null;
        }
    }

    final Path file;
    final List<Instruction> instructions;

    private Dockerfile(Path file, List<Instruction> instructions) {
        this.file = file;
        this.instructions = instructions;
    }

    static Dockerfile parse(Path file) {
        return parse(file, Repo.read(file));
    }

    static Dockerfile parse(Path file, String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        boolean directives = true;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (current == null) {
                if (trimmed.startsWith("#")) {
                    // parser directives (# syntax=..., # escape=...) only at the very top; this parser knows only the default escape
                    if (directives && trimmed.matches("#\\s*escape\\s*=.*") && !trimmed.matches("#\\s*escape\\s*=\\s*\\\\\\s*")) {
                        throw new IllegalArgumentException(file + ":" + (i + 1) + ": only the default escape character is supported");
                    }
                    continue;
                }
                if (trimmed.isEmpty()) continue;
                directives = false;
                current = new StringBuilder();
                start = i + 1;
            } else if (trimmed.startsWith("#")) {
                continue; // comment lines inside a continued instruction are dropped, as the builder does
            }
            if (line.stripTrailing().endsWith("\\")) {
                String s = line.stripTrailing();
                current.append(s, 0, s.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            out.add(instruction(file, start, current.toString().strip()));
            current = null;
        }
        if (current != null) throw new IllegalArgumentException(file + ":" + start + ": the last instruction ends in a line continuation");
        return new Dockerfile(file, out);
    }

    private static Instruction instruction(Path file, int line, String text) {
        String[] parts = text.split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        List<String> flags = new ArrayList<>();
        if (Set.of("FROM", "COPY", "ADD", "RUN").contains(keyword)) {
            while (rest.startsWith("--")) {
                String[] f = rest.split("\\s+", 2);
                flags.add(f[0]);
                rest = f.length > 1 ? f[1].strip() : "";
            }
        }
        List<String> args;
        if (rest.startsWith("[") && Set.of("COPY", "ADD", "CMD", "ENTRYPOINT", "RUN", "SHELL", "VOLUME").contains(keyword)) {
            args = jsonArray(file, line, rest);
        } else {
            args = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
        }
        return new Instruction(line, keyword, flags, args, text);
    }

    /** The exec form: a JSON array of strings (with the escapes a Dockerfile uses: \" and \\). */
    private static List<String> jsonArray(Path file, int line, String text) {
        if (!text.endsWith("]")) throw new IllegalArgumentException(file + ":" + line + ": unterminated JSON array: " + text);
        List<String> out = new ArrayList<>();
        String body = text.substring(1, text.length() - 1).strip();
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) != '"') throw new IllegalArgumentException(file + ":" + line + ": JSON array items must be strings: " + text);
            StringBuilder s = new StringBuilder();
            i++;
            while (i < body.length() && body.charAt(i) != '"') {
                if (body.charAt(i) == '\\' && i + 1 < body.length()) i++;
                s.append(body.charAt(i++));
            }
            if (i >= body.length()) throw new IllegalArgumentException(file + ":" + line + ": unterminated string in " + text);
            out.add(s.toString());
            i++;
            while (i < body.length() && Character.isWhitespace(body.charAt(i))) i++;
            if (i < body.length()) {
                if (body.charAt(i) != ',') throw new IllegalArgumentException(file + ":" + line + ": expected ',' in " + text);
                i++;
                while (i < body.length() && Character.isWhitespace(body.charAt(i))) i++;
            }
        }
        return out;
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword.equals(keyword)).toList();
    }

    /** The instructions of the last stage (from its FROM on). */
    List<Instruction> finalStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) if (instructions.get(i).keyword.equals("FROM")) from = i;
        return instructions.subList(from, instructions.size());
    }

    /**
     * Every problem of this recipe. context: the build context (the node's directory); its
     * target/quarkus-app, when present, is where COPY sources are looked up for real.
     */
    List<String> problems(Path context) {
        List<String> problems = new ArrayList<>();
        if (instructions.isEmpty()) return List.of(file + ": empty");
        Set<String> stages = new HashSet<>();
        boolean seenFrom = false;
        for (Instruction i : instructions) {
            String where = file.getFileName() + ":" + i.line + " " + i.keyword + ": ";
            if (!INSTRUCTIONS.contains(i.keyword)) {
                problems.add(where + "unknown instruction");
                continue;
            }
            if (!seenFrom && !i.keyword.equals("FROM") && !i.keyword.equals("ARG")) problems.add(where + "comes before the first FROM");
            switch (i.keyword) {
                case "FROM" -> {
                    seenFrom = true;
                    List<String> a = i.args;
                    if (a.isEmpty() || (a.size() != 1 && !(a.size() == 3 && a.get(1).equalsIgnoreCase("AS")))) {
                        problems.add(where + "expected FROM image[:tag] [AS name]");
                        break;
                    }
                    if (!stages.contains(a.get(0))) {
                        String reason = ImageRef.parse(a.get(0)).unpinnedReason();
                        if (reason != null) problems.add(where + a.get(0) + " " + reason);
                    }
                    if (a.size() == 3) stages.add(a.get(2));
                }
                case "ADD" -> problems.add(where + "use COPY (ADD fetches URLs and unpacks archives)");
                case "COPY" -> {
                    if (i.args.size() < 2) {
                        problems.add(where + "needs a source and a destination");
                    } else if (i.flag("from") == null) {
                        for (String source : i.args.subList(0, i.args.size() - 1)) problems.addAll(copySource(where, context, source));
                    } else if (!stages.contains(i.flag("from"))) {
                        String reason = ImageRef.parse(i.flag("from")).unpinnedReason();
                        if (reason != null) problems.add(where + "--from=" + i.flag("from") + " " + reason);
                    }
                }
                default -> {
                }
            }
        }
        List<Instruction> users = finalStage().stream().filter(i -> i.keyword.equals("USER")).toList();
        if (users.isEmpty()) {
            problems.add(file.getFileName() + ": the final stage sets no USER (runs as root)");
        } else {
            String user = String.join(" ", users.get(users.size() - 1).args);
            String uid = user.split(":")[0];
            if (!uid.matches("[0-9]+") || Integer.parseInt(uid) == 0) problems.add(file.getFileName() + ": USER " + user + " must be a numeric, non-root uid");
        }
        Set<String> copied = new HashSet<>();
        for (Instruction i : all("COPY")) if (i.flag("from") == null && i.args.size() >= 2) copied.addAll(i.args.subList(0, i.args.size() - 1));
        for (String part : FAST_JAR) if (!copied.contains(part)) problems.add(file.getFileName() + ": does not copy " + part);
        if (finalStage().stream().noneMatch(i -> i.keyword.equals("ENTRYPOINT") || i.keyword.equals("CMD"))) {
            problems.add(file.getFileName() + ": no ENTRYPOINT or CMD");
        }
        if (all("EXPOSE").isEmpty()) problems.add(file.getFileName() + ": no EXPOSE");
        return problems;
    }

    /** A source must be one of the fast-jar's parts; when the app is built, it must also exist. */
    private static List<String> copySource(String where, Path context, String source) {
        if (!FAST_JAR.contains(source)) return List.of(where + source + " is not part of target/quarkus-app " + FAST_JAR);
        Path app = context.resolve("target/quarkus-app");
        if (!Files.isDirectory(app)) return List.of(); // not built here: the static check above is all there is
        boolean directory = source.endsWith("/");
        Path path = context.resolve(source);
        if (directory ? !Files.isDirectory(path) : !Files.isRegularFile(path)) return List.of(where + source + " does not exist in " + app);
        return List.of();
    }

    /** The value of -Dname=value in any ENV of the final stage, or null. */
    String systemProperty(String name) {
        for (Instruction i : finalStage()) {
            if (!i.keyword.equals("ENV")) continue;
            for (String word : i.raw.split("[\\s\"]+")) if (word.startsWith("-D" + name + "=")) return word.substring(name.length() + 3);
        }
        return null;
    }

    /** The ports of EXPOSE instructions. */
    List<Integer> exposed() {
        List<Integer> ports = new ArrayList<>();
        for (Instruction i : all("EXPOSE")) for (String a : i.args) ports.add(Integer.parseInt(a.split("/")[0]));
        return ports;
    }
}
