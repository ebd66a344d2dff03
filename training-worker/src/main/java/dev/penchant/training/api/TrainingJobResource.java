package dev.penchant.training.api;

import dev.penchant.training.jobs.JobQueue;
import dev.penchant.training.jobs.TrainingJobService;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.List;

/** Training jobs: submit, watch, cancel. Blocking JDBC, so these run on worker threads. */
@Path("/v1/training-jobs")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingJobResource {
    private final TrainingJobService jobs;

    public TrainingJobResource(TrainingJobService jobs) {
        this.jobs = jobs;
    }

    @POST
    public Response submit(TrainingJobService.SubmitRequest request, @Context UriInfo uri) {
        JobQueue.JobView job = jobs.submit(request);
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(job.id())).build()).entity(job).build();
    }

    @GET
    @Path("/{id}")
    public JobQueue.JobView get(@PathParam("id") long id) {
        return jobs.get(id);
    }

    @GET
    public List<JobQueue.JobView> list(@QueryParam("status") String status,
                                       @QueryParam("limit") @DefaultValue("100") int limit) {
        return jobs.list(status, limit);
    }

    /** 202: a queued job is cancelled at once, a running one stops at its worker's next heartbeat. */
    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        return Response.accepted(jobs.cancel(id)).build();
    }
}
