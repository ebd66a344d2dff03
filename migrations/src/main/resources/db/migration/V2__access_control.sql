-- Penchant schema, version 2: access control (roles on API keys, console users and sessions),
-- training jobs that name platform data instead of paths. Owning modules: docs/architecture.md.

-- ---------------------------------------------------------------------------------------------
-- API keys carry roles, may expire, and say when they were last used and who made them.
-- ---------------------------------------------------------------------------------------------
alter table api_keys
    add column roles        text[],
    add column expires_at   timestamptz,
    add column last_used_at timestamptz,
    add column created_by   text;
-- keys made before roles existed could do everything; they keep that (as admin) until revoked
update api_keys set roles = '{admin}';
alter table api_keys
    alter column roles set not null,
    add constraint api_keys_roles_check check (
        cardinality(roles) >= 1 and roles <@ array['ingest', 'serve', 'admin', 'privacy', 'analyst']);

-- ---------------------------------------------------------------------------------------------
-- Console users (the admin console's logins) and their sessions. Passwords are bcrypt hashes;
-- session tokens are stored as SHA-256 hashes, like API keys.
-- ---------------------------------------------------------------------------------------------
create table console_users (
    username      text        primary key check (username ~ '^[A-Za-z0-9._@-]{1,100}$'),
    password_hash text        not null,
    roles         text[]      not null check (
        cardinality(roles) >= 1 and roles <@ array['ingest', 'serve', 'admin', 'privacy', 'analyst']),
    -- consecutive failed logins; reaching the limit locks the user until locked_until
    failed_logins integer     not null default 0,
    locked_until  timestamptz,
    disabled_at   timestamptz,
    created_at    timestamptz not null default now(),
    created_by    text,
    last_login_at timestamptz
);

create table console_sessions (
    id          bigserial   primary key,
    token_hash  text        not null unique,
    username    text        not null references console_users (username) on delete cascade,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    revoked_at  timestamptz
);
create index console_sessions_user_idx on console_sessions (username);

-- ---------------------------------------------------------------------------------------------
-- Audit log: filtered by actor and action, paged newest first on (occurred_at, id). Actions name
-- no end user: user ids go, if ever, into user_id (the privacy workflow's keyed hash), never into
-- subject or details.
-- ---------------------------------------------------------------------------------------------
create index audit_log_actor_idx on audit_log (actor, occurred_at desc, id desc);
create index audit_log_action_idx on audit_log (action, occurred_at desc, id desc);

-- ---------------------------------------------------------------------------------------------
-- Training jobs name the platform's own events with filters (a JSON object: eventTypes, from, to;
-- {} = every event), never a file path. Jobs that named a file can no longer run.
-- ---------------------------------------------------------------------------------------------
alter table training_jobs alter column dataset type jsonb
    using (case when dataset = 'platform' then '{}'::jsonb else jsonb_build_object('legacy', dataset) end);
alter table training_jobs alter column dataset set default '{}'::jsonb;
update training_jobs
   set status = 'failed', finished_at = now(),
       error = 'file data sets are no longer read by the platform; train files with ./penchant train --data'
 where dataset ? 'legacy' and status in ('queued', 'running');
alter table training_jobs add column submitted_by text;
