-- When each job that runs once across the nodes last finished (platform.database.Jobs): the node that
-- holds the job's advisory lock runs it only when its period has passed since then.
create table job_runs (
    name        varchar(64) primary key,
    finished_at timestamp   not null
);
