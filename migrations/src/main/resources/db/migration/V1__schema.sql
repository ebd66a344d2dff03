-- Penchant schema, version 1.
-- Rule for every table that holds user data: it carries a user_id column with an index, so a
-- privacy deletion is one indexed DELETE per table (see privacy_user_data_tables()).

-- ---------------------------------------------------------------------------------------------
-- Clients
-- ---------------------------------------------------------------------------------------------
create table api_keys (
    id          bigserial primary key,
    name        text        not null unique,
    -- SHA-256 of the key, hex; the key itself is never stored
    key_hash    text        not null unique,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

-- ---------------------------------------------------------------------------------------------
-- Catalogue and people
-- ---------------------------------------------------------------------------------------------
create table users (
    user_id     text        primary key,
    attributes  jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create table items (
    item_id     text        primary key,
    title       text,
    description text,
    categories  text[]      not null default '{}',
    attributes  jsonb       not null default '{}'::jsonb,
    -- unavailable items stay in history but are not recommended
    available   boolean     not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index items_categories_idx on items using gin (categories);

-- ---------------------------------------------------------------------------------------------
-- Behaviour events: append-heavy, partitioned by month of occurred_at.
-- ---------------------------------------------------------------------------------------------
-- A partitioned table can only enforce uniqueness together with the partition key, and a retried
-- event whose timestamp defaulted to its receive time arrives with another occurred_at. So
-- idempotency lives in event_keys (one row per client event id, not partitioned); the ingest
-- statement inserts there first and writes to events only the ids that were new.
create table event_keys (
    event_id    text        primary key,
    user_id     text        not null,
    occurred_at timestamptz not null
);
create index event_keys_user_idx on event_keys (user_id);

create table events (
    event_id    text             not null,
    user_id     text             not null,
    item_id     text             not null,
    type        text             not null,
    value       double precision,
    occurred_at timestamptz      not null,
    received_at timestamptz      not null default now(),
    context     jsonb,
    primary key (event_id, occurred_at)
) partition by range (occurred_at);

-- The read inference does on every request: a user's latest events.
create index events_user_time_idx on events (user_id, occurred_at desc);
create index events_item_idx on events (item_id);

-- Creates the monthly partition that holds ts, if missing. Safe under concurrency: an advisory
-- lock per partition name serialises creators across nodes. Ingest calls it for the months of a
-- batch it has not seen yet, so history of any age (e.g. MovieLens 1997) lands in its own month.
create function ensure_event_partition(ts timestamptz) returns text
language plpgsql as $$
declare
    month_start timestamptz := date_trunc('month', ts at time zone 'UTC') at time zone 'UTC';
    part_name   text        := 'events_' || to_char(month_start at time zone 'UTC', 'YYYY_MM');
begin
    if to_regclass(part_name) is null then
        perform pg_advisory_xact_lock(hashtext(part_name));
        if to_regclass(part_name) is null then
            execute format('create table if not exists %I partition of events for values from (%L) to (%L)',
                           part_name, month_start, month_start + interval '1 month');
        end if;
    end if;
    return part_name;
end $$;

create function ensure_event_partitions(ts timestamptz[]) returns void
language sql as $$
    select ensure_event_partition(m)
    from (select distinct date_trunc('month', t at time zone 'UTC') at time zone 'UTC' as m
          from unnest(ts) as t) months;
$$;

-- ---------------------------------------------------------------------------------------------
-- Training: jobs claimed by any number of workers, and the model registry.
-- ---------------------------------------------------------------------------------------------
create table training_jobs (
    id               bigserial   primary key,
    dataset          text        not null,
    model_type       text        not null,
    hyperparameters  jsonb       not null default '{}'::jsonb,
    seed             bigint      not null default 42,
    status           text        not null default 'queued'
                     check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    cancel_requested boolean     not null default false,
    worker_id        text,
    attempts         integer     not null default 0,
    heartbeat_at     timestamptz,
    -- latest progress: epoch, loss, validation metrics
    progress         jsonb       not null default '{}'::jsonb,
    report           jsonb,
    error            text,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
-- the claim query: oldest queued job, or a running one whose heartbeat timed out
create index training_jobs_claim_idx on training_jobs (status, created_at);

-- per-epoch history, so a job's learning curve survives the job
create table training_job_epochs (
    job_id     bigint      not null references training_jobs (id) on delete cascade,
    epoch      integer     not null,
    loss       double precision,
    metrics    jsonb       not null default '{}'::jsonb,
    logged_at  timestamptz not null default now(),
    primary key (job_id, epoch)
);

-- Artifacts live in PostgreSQL by default; the ArtifactStore interface lets an object store
-- replace this table.
create table model_artifacts (
    id          bigserial   primary key,
    sha256      text        not null,
    size_bytes  bigint      not null,
    content     bytea       not null,
    created_at  timestamptz not null default now()
);

create table models (
    id              bigserial   primary key,
    name            text        not null,
    version         integer     not null,
    model_type      text        not null,
    job_id          bigint      references training_jobs (id),
    -- lineage: which data (event count, time range, snapshot time) trained it
    data_snapshot   jsonb       not null default '{}'::jsonb,
    hyperparameters jsonb       not null default '{}'::jsonb,
    metrics         jsonb       not null default '{}'::jsonb,
    artifact_id     bigint      references model_artifacts (id),
    status          text        not null default 'registered'
                    check (status in ('registered', 'promoted', 'archived')),
    created_at      timestamptz not null default now(),
    promoted_at     timestamptz,
    unique (name, version),
    -- completing the same job twice registers one model
    unique (job_id)
);

-- ---------------------------------------------------------------------------------------------
-- Experiments and A/B tests
-- ---------------------------------------------------------------------------------------------
create table experiments (
    id          bigserial   primary key,
    name        text        not null unique,
    description text,
    status      text        not null default 'draft'
                check (status in ('draft', 'running', 'stopped')),
    created_at  timestamptz not null default now(),
    started_at  timestamptz,
    stopped_at  timestamptz
);

create table experiment_variants (
    id            bigserial   primary key,
    experiment_id bigint      not null references experiments (id) on delete cascade,
    name          text        not null,
    model_id      bigint      references models (id),
    -- share of traffic, 0..1
    weight        double precision not null check (weight >= 0 and weight <= 1),
    unique (experiment_id, name)
);

-- sticky assignment of a user to a variant (user data: reachable by user_id)
create table experiment_assignments (
    experiment_id bigint      not null references experiments (id) on delete cascade,
    user_id       text        not null,
    variant_id    bigint      not null references experiment_variants (id) on delete cascade,
    assigned_at   timestamptz not null default now(),
    primary key (experiment_id, user_id)
);
create index experiment_assignments_user_idx on experiment_assignments (user_id);

-- ---------------------------------------------------------------------------------------------
-- Privacy and audit
-- ---------------------------------------------------------------------------------------------
create table privacy_requests (
    id           bigserial   primary key,
    -- kept after completion only as a salted hash, see privacy service
    subject_hash text        not null,
    user_id      text,
    kind         text        not null check (kind in ('delete', 'export')),
    status       text        not null default 'pending'
                 check (status in ('pending', 'running', 'completed', 'failed')),
    requested_at timestamptz not null default now(),
    completed_at timestamptz,
    rows_deleted jsonb
);
create index privacy_requests_user_idx on privacy_requests (user_id);

create table audit_log (
    id          bigserial   primary key,
    occurred_at timestamptz not null default now(),
    actor       text        not null,
    action      text        not null,
    subject     text,
    user_id     text,
    details     jsonb       not null default '{}'::jsonb
);
create index audit_log_user_idx on audit_log (user_id);
create index audit_log_time_idx on audit_log (occurred_at desc);

-- The one list of (table, column) pairs that hold user data; the privacy service deletes from
-- each. A new table with user data must be added here by its migration.
create view privacy_user_data_tables (table_name, user_column) as
values ('events', 'user_id'),
       ('event_keys', 'user_id'),
       ('experiment_assignments', 'user_id'),
       ('audit_log', 'user_id'),
       ('users', 'user_id');
