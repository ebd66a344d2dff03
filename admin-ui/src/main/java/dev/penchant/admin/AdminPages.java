package dev.penchant.admin;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Server-rendered admin pages. Experiments, models and privacy pages are added by later work. */
@Path("/admin")
public class AdminPages {
    private final PlatformOverview overview;

    public AdminPages(PlatformOverview overview) {
        this.overview = overview;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(PlatformOverview.Counts counts);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> index() {
        return overview.counts().map(Templates::index);
    }
}
