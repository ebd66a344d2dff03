package dev.penchant.cli;

import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ModelSpec;
import dev.penchant.core.settings.Param;
import dev.penchant.core.settings.ParamGroup;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code penchant models}: every model with its hyperparameters (type, default, allowed values, meaning),
 * the shared trainer's settings once, and the run's data / split / eval settings, all from the
 * catalogue's declarations.
 */
public final class ModelsCommand {
    private ModelsCommand() {
    }

    public static int run(PrintStream out) {
        List<Param> trainer = ModelCatalog.trainerSettings();
        for (ModelSpec s : ModelCatalog.specs()) {
            out.printf(Locale.ROOT, "%s (%s%s): %s%n", s.name(), s.kind(),
                    ModelCatalog.available(s.name()) ? "" : ", not on this class path", s.description());
            List<Param> own = new ArrayList<>();
            List<String> differs = new ArrayList<>();
            for (Param p : s.params()) {
                Param common = trainer.stream().filter(t -> t.name().equals(p.name())).findFirst().orElse(null);
                if (common == null) own.add(p);
                else if (!Objects.equals(common.defaultValue(), p.defaultValue())) differs.add(p.name() + "=" + p.defaultText());
            }
            if (own.isEmpty()) out.println("  (no hyperparameters)");
            print(out, own, "");
            if (s.kind() == ModelSpec.Kind.TENSORFLOW)
                out.println("  + trainer settings" + (differs.isEmpty() ? "" : ", with " + String.join(" ", differs)));
            out.println();
        }
        out.println("trainer settings (every TensorFlow model; one training loop):");
        print(out, trainer, "");
        for (ParamGroup g : ModelCatalog.runSettings()) {
            out.println();
            out.println((g.prefix().isEmpty() ? "run settings" : g.prefix() + "* settings") + " (" + g.description() + "):");
            print(out, g.params(), g.prefix());
        }
        return 0;
    }

    private static void print(PrintStream out, List<Param> params, String prefix) {
        for (Param p : params) {
            String def = p.defaultValue() == null ? "-" : p.defaultText();
            String meaning = p.meaning() + (p.defaultValue() == null && p.defaultNote() != null ? " (default: " + p.defaultNote() + ")" : "");
            out.printf(Locale.ROOT, "  %-24s %-8s %-12s %-22s %s%n", prefix + p.name(), type(p), def, p.allowed(), meaning);
        }
    }

    private static String type(Param p) {
        return switch (p.type()) {
            case INT -> "int";
            case DOUBLE -> "number";
            case BOOLEAN -> "bool";
            case STRING -> "text";
            case CHOICE -> "choice";
            case INT_LIST -> "ints";
            case CHOICE_LIST, STRING_LIST -> "list";
        };
    }
}
