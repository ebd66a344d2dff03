package dev.penchant.api.training;

import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ModelSpec;
import dev.penchant.core.settings.Param;
import dev.penchant.core.settings.ParamGroup;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The model catalogue as data: every model type with its declared hyperparameters (type, default,
 * range or choices, meaning), so a client (the console's launch form) describes and pre-checks a job
 * from the same specs {@link JobValidation} validates against.
 */
@Path("/v1/model-types")
@Produces(MediaType.APPLICATION_JSON)
public class ModelTypesResource {
    public record ParamView(String name, String type, String typeLabel, String defaultValue, String defaultNote,
                            Double min, Double max, List<String> choices, String allowed, String meaning) {
        static ParamView of(String prefix, Param p) {
            return new ParamView(prefix + p.name(), p.type().name().toLowerCase(java.util.Locale.ROOT), p.type().label(),
                    p.defaultValue(), p.defaultNote(), p.min(), p.max(), p.choices(), p.allowed(), p.meaning());
        }
    }

    public record GroupView(String prefix, String description, List<ParamView> parameters) {
    }

    public record ModelTypeView(String name, String kind, String description, List<ParamView> parameters) {
        static ModelTypeView of(ModelSpec s) {
            return new ModelTypeView(s.name(), s.kind().toString(), s.description(),
                    s.params().stream().map(p -> ParamView.of("", p)).toList());
        }
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Model types (baselines first) with their declared hyperparameters: type, default, range, meaning")
    public List<ModelTypeView> list() {
        return ModelCatalog.specs().stream().map(ModelTypeView::of).toList();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "One model type with its declared hyperparameters")
    public ModelTypeView get(@PathParam("name") String name) {
        return ModelCatalog.specs().stream().filter(s -> s.name().equals(name)).findFirst().map(ModelTypeView::of)
                .orElseThrow(() -> ProblemException.notFound("No model type '" + name + "'; known: " + ModelCatalog.known()));
    }

    @GET
    @Path("/run-settings")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "The settings every run reads besides the model's own (run keys, data.*, split.*, eval.*)")
    public List<GroupView> runSettings() {
        return ModelCatalog.runSettings().stream().map(ModelTypesResource::group).toList();
    }

    private static GroupView group(ParamGroup g) {
        return new GroupView(g.prefix(), g.description(), g.params().stream().map(p -> ParamView.of(g.prefix(), p)).toList());
    }
}
