package dev.penchant.api.training;

import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import dev.penchant.training.queue.JobQueue;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Training jobs: submit, watch, cancel. Blocking JDBC (the training store), so these run on worker threads. */
@Path("/v1/training-jobs")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingJobsResource {
    private final TrainingJobService jobs;
    private final SecurityIdentity identity;

    public TrainingJobsResource(TrainingJobService jobs, SecurityIdentity identity) {
        this.jobs = jobs;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Queue a training job: {modelType, name?, dataset?: {eventTypes?, from?, to?}, hyperparameters?, seed?}; the model is registered as name (default: modelType), versions count per name")
    public Response submit(TrainingJobService.SubmitRequest request, @Context UriInfo uri) {
        JobQueue.JobView job = jobs.submit(request, Identities.actor(identity));
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(job.id())).build()).entity(job).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "A job: status, progress, epochs (the learning curve), report, error, model id")
    public JobQueue.JobView get(@PathParam("id") long id) {
        return jobs.get(id);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Jobs, newest first")
    public List<JobQueue.JobView> list(@QueryParam("status") String status, @QueryParam("limit") String limit) {
        return jobs.list(status, limit);
    }

    /** 202: a queued job is cancelled at once, a running one stops at its worker's next heartbeat. */
    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Cancel a job (202); 409 when it has finished")
    public Response cancel(@PathParam("id") long id) {
        return Response.accepted(jobs.cancel(id, Identities.actor(identity))).build();
    }
}
