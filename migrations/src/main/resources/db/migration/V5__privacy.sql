-- Penchant schema, version 5: privacy requests (deletion and export, GDPR Art. 15/17/20) as a durable
-- workflow, the suppression list, event tombstones, inference-node acknowledgements and model marks.
-- Owner: platform-api (dev.penchant.api.privacy), except privacy_listeners/privacy_cache_acks, which
-- inference nodes write (dev.penchant.serving.privacy). See docs/architecture.md.
--
-- Every hash here is keyed with penchant.privacy.hash-key (random per installation): without the key,
-- a hash cannot be recomputed from a guessed user id or event id.

-- ---------------------------------------------------------------------------------------------
-- privacy_requests: one row per request, holding its workflow state. Any platform-api node claims a
-- request whose lease is free or expired (FOR UPDATE SKIP LOCKED, like training_jobs), runs the next
-- step, commits it with the step recorded, and renews the lease while it works.
-- user_id is set only while the request is open; a finished request keeps subject_hash only
-- (HMAC-SHA256 of the user id, hex).
-- ---------------------------------------------------------------------------------------------
alter table privacy_requests drop constraint privacy_requests_status_check;
update privacy_requests set status = case status when 'pending' then 'received' when 'running' then 'in_progress'
                                                 else status end;
alter table privacy_requests
    alter column status set default 'received',
    add constraint privacy_requests_status_check check (status in ('received', 'in_progress', 'completed', 'failed'));
alter table privacy_requests rename column rows_deleted to counts;
update privacy_requests set counts = '{}'::jsonb where counts is null;
alter table privacy_requests
    alter column counts set default '{}'::jsonb,
    alter column counts set not null,
    -- the legal deadline: requested_at + penchant.privacy.deadline (one month by default)
    add column deadline         timestamptz,
    -- the last step committed (null: none yet); the workflow resumes after it
    add column step             text,
    add column lease_owner      text,
    add column lease_expires_at timestamptz,
    add column attempts         integer     not null default 0,
    -- what verification found: {"residue": {"table.column": n}, "artifacts": n, "caches": {...}, "clean": bool}
    add column verification     jsonb,
    add column error            text,
    add column requested_by     text,
    add column started_at       timestamptz,
    add column updated_at       timestamptz not null default now();
update privacy_requests set deadline = requested_at + interval '1 month';
alter table privacy_requests alter column deadline set not null;
-- one open request per user and kind: a second POST returns the open one
create unique index privacy_requests_open_idx on privacy_requests (subject_hash, kind)
    where status in ('received', 'in_progress');
-- the claim: open requests, oldest first
create index privacy_requests_claim_idx on privacy_requests (status, requested_at) where status in ('received', 'in_progress');
create index privacy_requests_list_idx on privacy_requests (requested_at desc, id desc);

-- The export document of an export request (everything held about the user at the time). Deleted when
-- a deletion request for the same subject runs, or after penchant.privacy.export-retention.
create table privacy_exports (
    request_id  bigint      primary key references privacy_requests (id) on delete cascade,
    document    jsonb       not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null
);

-- ---------------------------------------------------------------------------------------------
-- Future data: a deleted user is suppressed (keyed hash): ingest refuses or drops their events
-- (penchant.privacy.suppressed-events) and inference answers them with cold start.
-- ---------------------------------------------------------------------------------------------
create table privacy_suppressions (
    subject_hash  text        primary key,
    request_id    bigint      references privacy_requests (id) on delete set null,
    suppressed_at timestamptz not null default now()
);

-- The event ids of deleted events, as keyed SHA-256 (sha256(key || event_id)): event_keys loses the
-- user's rows, and ingest skips any event whose id hash is here, so re-running an import does not
-- bring deleted events back.
create table privacy_event_tombstones (
    event_hash  bytea       primary key,
    deleted_at  timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------
-- Inference nodes: each live node heartbeats here; on NOTIFY privacy_forget (payload: request id) it
-- evicts any per-user state and acknowledges. The workflow waits for every live node's ack.
-- ---------------------------------------------------------------------------------------------
create table privacy_listeners (
    node_id     text        primary key,
    started_at  timestamptz not null default now(),
    seen_at     timestamptz not null default now()
);

create table privacy_cache_acks (
    request_id  bigint      not null references privacy_requests (id) on delete cascade,
    node_id     text        not null,
    acked_at    timestamptz not null default now(),
    -- what the node evicted (counts per cache), for the verification record
    evicted     jsonb       not null default '{}'::jsonb,
    primary key (request_id, node_id)
);

-- ---------------------------------------------------------------------------------------------
-- Models trained on data that included the user. action: rewritten (the user's id removed from
-- model.json; no per-user weights), withdrawn (per-user weights: no longer served, retrained now),
-- marked (retrain due within penchant.privacy.retrain-within). retrain_job_id: the job scheduled.
-- ---------------------------------------------------------------------------------------------
create table privacy_model_marks (
    request_id     bigint      not null references privacy_requests (id) on delete cascade,
    model_id       bigint      not null references models (id) on delete cascade,
    action         text        not null check (action in ('rewritten', 'withdrawn')),
    marked_at      timestamptz not null default now(),
    retrain_due_at timestamptz not null,
    retrain_job_id bigint      references training_jobs (id) on delete set null,
    primary key (request_id, model_id)
);
create index privacy_model_marks_due_idx on privacy_model_marks (retrain_due_at) where retrain_job_id is null;

-- The list of user-data tables is now code (dev.penchant.api.privacy.UserDataRegistry) checked against
-- information_schema by a test, so a new user-id column cannot be forgotten; the view is retired.
drop view if exists privacy_user_data_tables;
