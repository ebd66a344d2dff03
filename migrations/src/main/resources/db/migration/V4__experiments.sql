-- Penchant schema, version 4: named models, promotion per surface, A/B experiments (variants are
-- models or baselines), exposures, and events that name the recommendation they answer.
-- Owning modules: docs/architecture.md.

-- ---------------------------------------------------------------------------------------------
-- A job names its model (default: the model type); versions count per name (models.name/version).
-- ---------------------------------------------------------------------------------------------
alter table training_jobs add column name text;
update training_jobs set name = model_type;
alter table training_jobs
    alter column name set not null,
    add constraint training_jobs_name_check check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$');

-- ---------------------------------------------------------------------------------------------
-- Which model serves each surface. user = GET /v1/recommendations/{userId}, session = POST
-- /v1/recommendations, similar = GET /v1/items/{itemId}/similar. models.status 'promoted' means
-- "serves at least one surface"; a model that no surface serves any more is 'archived'.
-- ---------------------------------------------------------------------------------------------
create table serving_models (
    surface     text        primary key check (surface in ('user', 'session', 'similar')),
    model_id    bigint      not null references models (id),
    promoted_at timestamptz not null default now(),
    promoted_by text
);
create index serving_models_model_idx on serving_models (model_id);

-- Until now the most recently promoted model served every endpoint; it keeps doing so. Other promoted
-- models (other names) were reachable only by name and are archived: nothing serves them any more.
insert into serving_models (surface, model_id, promoted_at, promoted_by)
select s.surface, m.id, coalesce(m.promoted_at, now()), 'migration V4'
  from (select id, promoted_at from models where status = 'promoted'
         order by promoted_at desc nulls last, id desc limit 1) m
 cross join (values ('user'), ('session'), ('similar')) as s(surface);
update models set status = 'archived'
 where status = 'promoted' and id not in (select model_id from serving_models);

-- ---------------------------------------------------------------------------------------------
-- Experiments. Nothing used the V1 tables, so they are replaced rather than altered. Assignment is a
-- hash of (salt, user id) computed by every inference node (no assignment rows): see
-- dev.penchant.experiments.assignment.Assignment.
-- ---------------------------------------------------------------------------------------------
drop table experiment_assignments;
drop table experiment_variants;
drop table experiments;

create table experiments (
    id                 bigserial   primary key,
    key                text        not null unique check (key ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    hypothesis         text        not null default '',
    surface            text        not null check (surface in ('user', 'session', 'similar')),
    -- 128 random bits, hex; a restart (weights changed while running) draws a new one
    salt               text        not null,
    -- {"kind":"all"} | {"kind":"new_users"} | {"kind":"percentage","percentage":0..100}
    audience           jsonb       not null default '{"kind":"all"}'::jsonb,
    -- ctr = clicks per exposure (user is the unit, ratio), conversion = purchasing users per user,
    -- mean_value = mean attributed event value per user
    primary_metric     text        not null check (primary_metric in ('ctr', 'conversion', 'mean_value')),
    guardrails         text[]      not null default '{}'
                       check (guardrails <@ array['ctr', 'conversion', 'mean_value']),
    attribution_window interval    not null default interval '24 hours' check (attribution_window > interval '0'),
    status             text        not null default 'draft'
                       check (status in ('draft', 'running', 'stopped', 'concluded')),
    winner_variant_id  bigint,
    created_by         text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- the latest start (or restart): results count exposures from here on
    started_at         timestamptz,
    stopped_at         timestamptz
);
-- one running experiment per surface, also under concurrent starts
create unique index experiments_running_surface_idx on experiments (surface) where status = 'running';
create index experiments_status_idx on experiments (status, created_at desc);

create table experiment_variants (
    id            bigserial        primary key,
    experiment_id bigint           not null references experiments (id) on delete cascade,
    -- order of the variants; position 0 is the control
    position      integer          not null check (position >= 0),
    name          text             not null check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    -- share of traffic, 0..1; an experiment's weights sum to 1
    weight        double precision not null check (weight >= 0 and weight <= 1),
    model_id      bigint           references models (id),
    -- current = whatever the experiment's surface serves today (serving_models)
    baseline      text             check (baseline in ('popularity', 'transition', 'seqknn', 'current')),
    check ((model_id is null) <> (baseline is null)),
    unique (experiment_id, name),
    unique (experiment_id, position)
);
create index experiment_variants_model_idx on experiment_variants (model_id);

alter table experiments add constraint experiments_winner_fk
    foreign key (winner_variant_id) references experiment_variants (id);

-- ---------------------------------------------------------------------------------------------
-- Exposures: one row per recommendation answer (fallbacks included), written by the inference node
-- off the request path. User data: the privacy workflow deletes by user_id. No foreign keys: it is an
-- append-only log written in batches, and an exposure outlives nothing it names.
-- ---------------------------------------------------------------------------------------------
create table exposures (
    recommendation_id uuid        not null,
    shown_at          timestamptz not null,
    -- null for anonymous session requests
    user_id           text,
    surface           text        not null check (surface in ('user', 'session', 'similar')),
    experiment_id     bigint,
    variant_id        bigint,
    model_id          bigint,
    fallback_reason   text,
    -- the items shown; position = array order (1-based in SQL)
    items             text[]      not null default '{}',
    primary key (recommendation_id, shown_at)
);
create index exposures_experiment_idx on exposures (experiment_id, shown_at) where experiment_id is not null;
create index exposures_user_idx on exposures (user_id);

-- ---------------------------------------------------------------------------------------------
-- An event may name the recommendation it answers (a click on a shown item); attribution joins it to
-- the exposure.
-- ---------------------------------------------------------------------------------------------
alter table events add column recommendation_id uuid;
create index events_recommendation_idx on events (recommendation_id) where recommendation_id is not null;

-- The list of user-data tables: experiment_assignments is gone, exposures holds user ids.
create or replace view privacy_user_data_tables (table_name, user_column) as
values ('events', 'user_id'),
       ('event_keys', 'user_id'),
       ('exposures', 'user_id'),
       ('audit_log', 'user_id'),
       ('users', 'user_id');
